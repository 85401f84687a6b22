import { sendRoleEmail } from "#delivery/send-role-email.ts";
import { sendRoleSms } from "#delivery/send-role-sms.ts";
import { newEvent } from "#domain/new-event.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import { vacancyDecision } from "#domain/vacancy.ts";
import { firstNameOf as firstName } from "#messages/email-kit/render-email.ts";
import { renderRoleOffer } from "#messages/roles/role-offer-email.ts";
import { dayMs, eligibility, type VacancyFacts, type VacancyPorts } from "./vacancy-facts.ts";

/** Rotating groups: how long a member has to answer an offer before it passes on. */
export const offerDays = 3;

/**
 * Rotating: offers the role to the next eligible member who has not declined, and schedules
 * RoleOfferLapsed for when the offer passes on; false when nobody is left.
 */
export const offerToNextInRotation = async (deps: VacancyPorts, facts: VacancyFacts): Promise<boolean> => {
  const responses = await deps.roles.listVacancyResponses(facts.vacancy);
  const decision = vacancyDecision({
    model: "rotating",
    critical: facts.definition.critical,
    volunteers: [],
    windowClosed: false,
    objections: [],
    rotationOrder: facts.group.rotationOrder ?? facts.members.map((m) => m.id),
    declined: responses.filter((r) => r.kind === "declined").map((r) => r.memberId),
    eligible: eligibility(facts, deps.clock.now()),
  });
  if (decision.kind !== "offer") return false;
  const member = facts.members.find((m) => m.id === decision.memberId)!;
  await sendRoleEmail(
    deps,
    facts.vacancy,
    member,
    "offer",
    (links) =>
      renderRoleOffer({
        groupName: facts.group.name,
        firstName: firstName(member),
        definition: facts.definition,
        acceptUrl: links.accept!,
        declineUrl: links.decline!,
      }),
    ["accept", "decline"],
  );
  await sendRoleSms(deps, facts.vacancy, member, "offer", facts.definition.name);
  const { organisationId: o, groupId: g, roleId, vacantSince } = facts.vacancy;
  const lapsesAt = new Date(deps.clock.now().getTime() + offerDays * dayMs);
  await deps.scheduler.scheduleOnce({
    name: scheduleName("vacancy-offer", o, g, roleId, vacantSince, member.id),
    at: lapsesAt,
    timeZone: facts.group.timeZone,
    event: newEvent(
      "RoleOfferLapsed",
      { organisationId: o, groupId: g },
      { roleId, vacantSince, memberId: member.id },
      lapsesAt,
    ),
  });
  return true;
};
