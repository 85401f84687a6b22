import { conflict, invalid, notFound } from "./errors.ts";
import {
  findDefinition,
  holdsRole,
  openPlaces,
  type GroupRole,
  type RoleDefinition,
  type RoleHolder,
} from "./role.ts";
import { missingTraining, type TrainingRecord } from "./training.ts";

/**
 * Who holds a group's roles, and how they stop holding them. Pure:
 * every function returns new values and throws DomainError for what a user can get wrong.
 * Each way of vacating returns the RoleVacancy facts that RoleVacated carries.
 */

export interface AssignHolderRequest {
  roleId: string;
  memberId: string;
  /** ISO instant with an offset; absent: now + the role's termMonths, or no term. */
  termEndsAt?: string;
  /** Only an umbrella admin may give one (the handler checks the token); needs a reason. */
  override?: { by: string; reason: string };
}

/** What assignHolder needs to know about the group. */
export interface AssignmentFacts {
  /** The group's roles. */
  roles: readonly GroupRole[];
  catalogue: readonly RoleDefinition[];
  /** The group's members now. */
  memberIds: readonly string[];
  /** The member's own training records. */
  training: readonly TrainingRecord[];
}

export type VacancyReason = "stepped-down" | "left-group" | "term-ended";

/** One place a holder left: the facts of a RoleVacated event. */
export interface RoleVacancy {
  roleId: string;
  memberId: string;
  reason: VacancyReason;
  /** ISO UTC instant. */
  vacatedAt: string;
}

/** A role after a change, with the vacancies the change made (none: nothing to publish). */
export interface RoleChange {
  role: GroupRole;
  vacancies: RoleVacancy[];
}

const maxReasonLength = 500;

/**
 * Makes a member a holder of one of the group's roles; returns the role with them added.
 * Checked in this order, the first failure thrown:
 * 1. The role is one the group has (not-found), and in the catalogue (not-found).
 * 2. The member is in the group: invalid("memberId").
 * 3. They do not hold it already, and the role has an open place: conflict.
 * 4. termEndsAt, if given, is an ISO instant after now: invalid("termEndsAt"). Absent, the
 *    term is now + the role's termMonths (calendar months, UTC), or none.
 * 5. They have every required training current: invalid("memberId"), naming the trainings.
 *    An override lifts this rule; it needs a reason (invalid("override.reason")) and is kept
 *    on the holder with the trainings it waived. An override where nothing is missing is not
 *    recorded: there was nothing to override.
 * The holder's arrival ends the vacancy (vacantSince goes).
 */
export function assignHolder(request: AssignHolderRequest, facts: AssignmentFacts, now: Date): GroupRole {
  const role = facts.roles.find((candidate) => candidate.roleId === request.roleId);
  if (role === undefined) throw notFound(`the role "${request.roleId}" in this group`);
  const definition = findDefinition(facts.catalogue, request.roleId);
  if (definition === undefined) throw notFound(`the role "${request.roleId}" in the catalogue`);

  if (!facts.memberIds.includes(request.memberId))
    throw invalid("memberId", "only a member of the group can hold its roles");
  if (holdsRole(role, request.memberId)) throw conflict("the member already holds this role");
  if (openPlaces(role) === 0)
    throw conflict(`the role is already filled (${role.maxHolders} of ${role.maxHolders} holders)`);

  const termEndsAt = termEnd(request.termEndsAt, definition, now);

  const missing = missingTraining(definition, facts.training, now);
  let trainingOverride: RoleHolder["trainingOverride"];
  if (missing.length > 0) {
    if (request.override === undefined)
      throw invalid("memberId", `the member has no current training in ${missing.join(", ")}`);
    const reason = request.override.reason.trim();
    if (reason === "") throw invalid("override.reason", "an override needs a reason");
    if ([...reason].length > maxReasonLength)
      throw invalid("override.reason", `the reason must be at most ${maxReasonLength} characters`);
    if (request.override.by.trim() === "") throw invalid("override.by", "an override needs the admin's id");
    trainingOverride = { by: request.override.by, reason, at: now.toISOString(), trainingIds: missing };
  }

  const holder: RoleHolder = {
    memberId: request.memberId,
    since: now.toISOString(),
    ...(termEndsAt === undefined ? {} : { termEndsAt }),
    ...(trainingOverride === undefined ? {} : { trainingOverride }),
  };
  const { vacantSince: _ended, ...held } = role;
  return { ...held, holders: [...role.holders, holder] };
}

/** A holder steps down. Throws invalid("memberId") when they do not hold the role. */
export function stepDown(role: GroupRole, memberId: string, now: Date): RoleChange {
  if (!holdsRole(role, memberId)) throw invalid("memberId", "the member does not hold this role");
  return withoutHolders(role, [memberId], "stepped-down", now);
}

/**
 * A member leaves the group: every role they hold is vacated, to be written in one
 * transaction with the leaving. Returns only the roles that changed; none if they held none.
 */
export function leaveGroup(memberId: string, roles: readonly GroupRole[], now: Date): RoleChange[] {
  return roles
    .filter((role) => holdsRole(role, memberId))
    .map((role) => withoutHolders(role, [memberId], "left-group", now));
}

/**
 * The scheduled end of terms: every holder whose termEndsAt is at or before now leaves the
 * role. Run late or twice, it is the same: a holder already gone, or whose term was extended,
 * is not touched, and no vacancy is returned for them.
 */
export function termEnded(role: GroupRole, now: Date): RoleChange {
  const ended = role.holders
    .filter((holder) => holder.termEndsAt !== undefined && Date.parse(holder.termEndsAt) <= now.getTime())
    .map((holder) => holder.memberId);
  return ended.length === 0 ? { role, vacancies: [] } : withoutHolders(role, ended, "term-ended", now);
}

function withoutHolders(
  role: GroupRole,
  memberIds: readonly string[],
  reason: VacancyReason,
  now: Date,
): RoleChange {
  const vacatedAt = now.toISOString();
  const holders = role.holders.filter((holder) => !memberIds.includes(holder.memberId));
  const changed: GroupRole =
    holders.length === 0 ? { ...role, holders, vacantSince: vacatedAt } : { ...role, holders };
  return {
    role: changed,
    vacancies: memberIds.map((memberId) => ({ roleId: role.roleId, memberId, reason, vacatedAt })),
  };
}

function termEnd(requested: string | undefined, definition: RoleDefinition, now: Date): string | undefined {
  if (requested === undefined) {
    if (definition.termMonths === undefined) return undefined;
    return plusCalendarMonthsUtc(now, definition.termMonths).toISOString();
  }
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = iso.test(requested) ? Date.parse(requested) : Number.NaN;
  if (Number.isNaN(ms))
    throw invalid("termEndsAt", "must be an ISO date and time with an offset, e.g. 2027-05-01T00:00:00Z");
  if (ms <= now.getTime()) throw invalid("termEndsAt", "the term must end in the future");
  return new Date(ms).toISOString();
}

/**
 * `months` calendar months after `at`, counted in UTC, the time of day kept; a day the target
 * month lacks becomes its last (31 January + 1 month = 28 or 29 February). Plain Date UTC
 * arithmetic: date-fns's addMonths would read the process's own zone unless given a TZDate.
 */
function plusCalendarMonthsUtc(at: Date, months: number): Date {
  const result = new Date(at);
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(result);
  lastDay.setUTCMonth(lastDay.getUTCMonth() + 1, 0);
  result.setUTCDate(Math.min(at.getUTCDate(), lastDay.getUTCDate()));
  return result;
}
