import { deliverEach } from "#delivery/deliver-once.ts";
import { sendRoleEmail } from "#delivery/send-role-email.ts";
import { firstNameOf as firstName } from "#messages/email-kit/render-email.ts";
import { renderObjectionNotice } from "#messages/roles/objection-notice-email.ts";
import {
  dayMs,
  localTime,
  scheduleWindowClose,
  type VacancyFacts,
  type VacancyPorts,
} from "./vacancy-facts.ts";

/** Collective groups: how long members may object to the only volunteer. */
export const objectionWindowDays = 3;

/**
 * A group that decides together has one eligible volunteer: they are proposed, the other
 * members are told they will be confirmed unless someone objects, and the objection window's
 * close is scheduled (the decision is taken then).
 */
export const inviteObjections = async (
  deps: VacancyPorts,
  facts: VacancyFacts,
  volunteerId: string,
  now: Date,
): Promise<void> => {
  const { vacancy, group, definition } = facts;
  await deps.roles.recordVacancyResponse(vacancy, {
    memberId: volunteerId,
    kind: "proposed",
    at: now.toISOString(),
  });
  const confirmAt = new Date(now.getTime() + objectionWindowDays * dayMs);
  await scheduleWindowClose(deps, facts, "objections", confirmAt);
  const volunteerName = facts.members.find((m) => m.id === volunteerId)!.name;
  await deliverEach(
    facts.members.filter((m) => m.id !== volunteerId),
    (member) =>
      sendRoleEmail(
        deps,
        vacancy,
        member,
        "objection",
        (links) =>
          renderObjectionNotice({
            groupName: group.name,
            firstName: firstName(member),
            definition,
            volunteerName,
            confirmAtLocal: localTime(facts, confirmAt),
            objectUrl: links.object!,
          }),
        ["object"],
      ),
  );
};
