import { deliverOnce } from "#delivery/deliver-once.ts";
import { sendRoleEmail } from "#delivery/send-role-email.ts";
import { firstNameOf as firstName } from "#messages/email-kit/render-email.ts";
import {
  renderRoleReplyNotUnderstood,
  type RoleReplyProblem,
} from "#messages/roles/role-reply-not-understood-email.ts";
import { answerRole, readRoleAnswer, type RoleAnswerOutcome } from "./answer-role.ts";
import type { ReceivedReply } from "../votes/receive-ballot-reply.ts";
import { getRoleView } from "./role-holders.ts";
import type { VacancyPorts } from "../vacancies/vacancy-facts.ts";

export type RoleReplyOutcome =
  RoleAnswerOutcome | "duplicate-message" | "not-from-member" | "unverified" | "unknown-token";

/**
 * A member replied to a role email (a call for volunteers, an offer, an objection notice, a
 * request to appoint); `roleToken` is the one its envelope recipient carried. The same trust
 * rules as a ballot: the token names the member, the From address must be theirs, and a DMARC
 * failure acts on nothing (the email's link still works). One message acts once: its key is
 * claimed first, and given back if acting fails. A reply that changed nothing is explained to
 * the member's own address.
 */
export const receiveRoleReply = async (
  deps: VacancyPorts,
  roleToken: string,
  { reply, messageKey, dmarcFailed }: ReceivedReply,
): Promise<RoleReplyOutcome> => {
  const ref = await deps.roles.resolveRoleReplyToken(roleToken);
  if (!ref) return "unknown-token";
  const member = await deps.store.getMember(ref.organisationId, ref.memberId);
  if (!member) return "not-a-member";
  let outcome: RoleReplyOutcome = "duplicate-message";
  await deliverOnce(
    deps.store,
    ref.organisationId,
    `role-reply#${messageKey}`,
    deps.clock.now(),
    async () => {
      if (reply.from !== member.email.toLowerCase()) outcome = "not-from-member";
      else if (dmarcFailed) outcome = "unverified";
      else {
        const answer = await readRoleAnswer(deps, ref, reply.typedText);
        outcome = answer ? await answerRole(deps, ref, answer) : "unreadable";
      }
    },
  );
  const problem = problemOf(outcome);
  if (problem) {
    const [role, group] = await Promise.all([
      getRoleView(deps, ref.organisationId, ref.groupId, ref.roleId),
      deps.store.getGroup(ref.organisationId, ref.groupId),
    ]);
    await sendRoleEmail(
      deps,
      ref,
      member,
      "reply",
      () =>
        renderRoleReplyNotUnderstood({
          groupName: group?.name ?? "your group",
          firstName: firstName(member),
          definition: role.definition,
          problem,
        }),
      [],
      `role-reply-answer#${messageKey}`,
    );
  }
  return outcome;
};

const problemOf = (outcome: RoleReplyOutcome): RoleReplyProblem | undefined => {
  switch (outcome) {
    case "unreadable":
    case "vacancy-over":
    case "not-from-member":
    case "not-a-candidate":
    case "not-a-member":
    case "unverified":
      return outcome;
    default:
      return undefined;
  }
};
