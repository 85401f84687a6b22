import { deliverOnce } from "#delivery/deliver-once.ts";
import type { Reply } from "#inbound/read-reply.ts";
import { renderRoleReplyNotUnderstood, type RoleReplyProblem } from "#messages/role-emails.ts";
import type { RoleReplyRef } from "#ports/role-store.ts";
import { answerRole, readRoleAnswer, type RoleAnswerOutcome } from "#use-cases/answer-role.ts";
import type { Deps as VacancyDeps } from "#use-cases/fill-vacancy.ts";
import { firstName, sendRoleEmail } from "#use-cases/role-messages.ts";
import { getRoleView } from "#use-cases/roles.ts";

export type RoleReplyOutcome = RoleAnswerOutcome | "duplicate-message" | "not-from-member" | "unverified";

/**
 * A member replied to a role email (a call for volunteers, an offer, an objection notice, a
 * request to appoint). The same trust rules as a ballot: the token names the member, the
 * From address must be theirs, and a DMARC failure acts on nothing (the email's link still
 * works). One message acts once: its key is claimed first, and given back if acting fails.
 * A reply that changed nothing is explained to the member's own address.
 */
export const receiveRoleReply = async (
  deps: VacancyDeps,
  ref: RoleReplyRef,
  reply: Reply,
  messageKey: string,
  dmarcFailed: boolean,
): Promise<RoleReplyOutcome> => {
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
