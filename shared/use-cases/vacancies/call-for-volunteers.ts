import { deliverEach } from "#delivery/deliver-once.ts";
import { sendRoleEmail } from "#delivery/send-role-email.ts";
import { sendRoleSms } from "#delivery/send-role-sms.ts";
import { firstNameOf as firstName } from "#messages/email-kit/render-email.ts";
import { renderCallForVolunteers } from "#messages/roles/call-for-volunteers-email.ts";
import type { VacancyRef } from "#ports/role-store.ts";
import { offerToNextInRotation } from "./offer-role-by-rotation.ts";
import {
  dayMs,
  loadVacancy,
  localTime,
  scheduleWindowClose,
  type VacancyPorts,
  type VacancyStep,
} from "./vacancy-facts.ts";

/** How long members may volunteer after a call. */
export const volunteeringWindowDays = 7;

/**
 * A role fell vacant (RoleVacated). Rotating groups offer it to the next member in the
 * rotation; the others (and a rotation with nobody left) call every member to volunteer
 * and close the call after the window.
 */
export const callForVolunteers = async (
  deps: VacancyPorts,
  vacancy: VacancyRef,
  previousHolderId: string,
): Promise<VacancyStep> => {
  const facts = await loadVacancy(deps, vacancy);
  if (!facts) return "stale";
  if (facts.group.leadershipModel === "rotating") {
    // The member who left the role is not offered it again.
    await deps.roles.recordVacancyResponse(vacancy, {
      memberId: previousHolderId,
      kind: "declined",
      at: vacancy.vacantSince,
    });
    const offered = await offerToNextInRotation(deps, facts);
    if (offered) return "offer";
  }
  const closesAt = new Date(Date.parse(vacancy.vacantSince) + volunteeringWindowDays * dayMs);
  await scheduleWindowClose(deps, facts, "volunteering", closesAt);
  await deliverEach(
    facts.members.filter((m) => m.id !== previousHolderId),
    (member) =>
      sendRoleEmail(
        deps,
        vacancy,
        member,
        "call",
        (links) =>
          renderCallForVolunteers({
            groupName: facts.group.name,
            firstName: firstName(member),
            definition: facts.definition,
            closesAtLocal: localTime(facts, closesAt),
            volunteerUrl: links.volunteer!,
          }),
        ["volunteer"],
      ).then(() => sendRoleSms(deps, vacancy, member, "call", facts.definition.name)),
  );
  return "called";
};
