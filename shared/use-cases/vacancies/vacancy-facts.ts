import type { Group } from "#domain/group.ts";
import { formatLocal } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { findDefinition, type RoleDefinition } from "#domain/role.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import { missingTraining, type TrainingRecord } from "#domain/training.ts";
import type { VacancyDecision } from "#domain/vacancy.ts";
import type { Ports } from "#ports/ports.ts";
import type { StoredGroupRole, VacancyRef } from "#ports/role-store.ts";

/**
 * Filling a vacant role, stage by stage: the call for volunteers (call-for-volunteers.ts) or,
 * in a rotating group, an offer to the next member (offer-role-by-rotation.ts, answered or
 * lapsed in decline-role-offer.ts); when volunteering closes, the decision by the group's
 * leadership model (decide-vacancy.ts; the rules are the domain's vacancyDecision), which may
 * first invite objections to the only volunteer (invite-objections.ts) or open a vote
 * (vacancy-vote.ts); and the appointment itself (fill-role.ts). Every step is safe to run
 * twice: emails go once per purpose and member, schedules and votes have deterministic names
 * and ids, and a step for a vacancy that has ended (the role was filled, or vacated again
 * later) does nothing. This file holds what the stages share.
 */

export type VacancyPorts = Pick<
  Ports,
  "store" | "roles" | "votes" | "scheduler" | "mailer" | "clock" | "settings" | "log"
> &
  // Where the function has it, members who chose SMS are asked by text too.
  Partial<Pick<Ports, "sms">>;

export const dayMs = 86_400_000;

/** What a stage did with a vacancy; "stale" when the vacancy was over. */
export type VacancyStep = VacancyDecision["kind"] | "stale" | "called" | "objections-invited";

export interface VacancyFacts {
  vacancy: VacancyRef;
  role: StoredGroupRole;
  group: Group;
  definition: RoleDefinition;
  members: Member[];
  /** Training records of the group's members, for eligibility. */
  training: TrainingRecord[];
}

/** The vacancy's facts, or undefined when it is over (filled, re-vacated later, or gone). */
export const loadVacancy = async (
  deps: VacancyPorts,
  vacancy: VacancyRef,
): Promise<VacancyFacts | undefined> => {
  const { organisationId: o, groupId: g, roleId } = vacancy;
  const [role, group, catalogue] = await Promise.all([
    deps.roles.getRole(o, g, roleId),
    deps.store.getGroup(o, g),
    deps.roles.getCatalogue(o),
  ]);
  const definition = findDefinition(catalogue, roleId);
  if (!role || !group || !definition || role.vacantSince !== vacancy.vacantSince) return undefined;
  const [members, training] = await Promise.all([
    deps.store.listGroupMembers(o, g),
    definition.requiredTrainingIds.length > 0 ? deps.roles.listGroupTraining(o, g) : Promise.resolve([]),
  ]);
  return { vacancy, role, group, definition, members, training };
};

/** In the group, not holding the role already, and with the role's training current. */
export const eligibility = (facts: VacancyFacts, now: Date) => {
  const memberIds = new Set(facts.members.map((m) => m.id));
  return (memberId: string) =>
    memberIds.has(memberId) &&
    !facts.role.holders.some((h) => h.memberId === memberId) &&
    missingTraining(
      facts.definition,
      facts.training.filter((t) => t.memberId === memberId),
      now,
    ).length === 0;
};

/** An instant as the group's members read it, in its time zone. */
export const localTime = (facts: VacancyFacts, at: Date) => formatLocal(at, facts.group.timeZone);

/** Schedules VolunteeringClosed for the call's window, or (collective) the objection window. */
export const scheduleWindowClose = (
  deps: VacancyPorts,
  facts: VacancyFacts,
  stage: "volunteering" | "objections",
  at: Date,
) => {
  const { organisationId: o, groupId: g, roleId, vacantSince } = facts.vacancy;
  return deps.scheduler.scheduleOnce({
    name: scheduleName(
      `vacancy-${stage === "volunteering" ? "call" : "objections"}`,
      o,
      g,
      roleId,
      vacantSince,
    ),
    at,
    timeZone: facts.group.timeZone,
    event: newEvent(
      "VolunteeringClosed",
      { organisationId: o, groupId: g },
      { roleId, vacantSince, stage },
      at,
    ),
  });
};
