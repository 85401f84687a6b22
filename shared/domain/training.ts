import { invalid } from "./errors.ts";
import type { RoleDefinition } from "./role.ts";

/**
 * Members' completed trainings. A role that requires training can only be taken by
 * a member whose training is current. Pure: the clock is passed in.
 *
 * A member may hold several records of one training (they renewed it): the one that lasts
 * longest speaks for them, so a renewal silences the reminder of the record it replaces.
 */

export interface TrainingRecord {
  memberId: string;
  /** The catalogue's training id, e.g. "safeguarding". */
  trainingId: string;
  /** ISO UTC instant. */
  completedAt: string;
  /** ISO UTC instant; absent: never expires. */
  expiresAt?: string;
}

const dayMs = 86_400_000;

/** Completed by now and not yet expired: current from completedAt, up to but not at expiresAt. */
export function isCurrent(record: TrainingRecord, now: Date): boolean {
  const at = now.getTime();
  if (Date.parse(record.completedAt) > at) return false;
  return record.expiresAt === undefined || at < Date.parse(record.expiresAt);
}

/**
 * The role's required trainings for which none of the records is current, in the role's
 * order. `records` are the member's own: the caller loads them by member.
 */
export function missingTraining(
  role: Pick<RoleDefinition, "requiredTrainingIds">,
  records: readonly TrainingRecord[],
  now: Date,
): string[] {
  return role.requiredTrainingIds.filter(
    (trainingId) => !records.some((record) => record.trainingId === trainingId && isCurrent(record, now)),
  );
}

/**
 * Current trainings that expire within the next `days` days (after now, at most now + days),
 * soonest first: who gets a renewal reminder, and what the dashboard lists. Per member and
 * training only the longest-lasting record counts, so a renewed training is not reported.
 */
export function trainingExpiringWithin(
  records: readonly TrainingRecord[],
  now: Date,
  days: number,
): TrainingRecord[] {
  if (!Number.isFinite(days) || days < 0) throw invalid("days", "must be a number of days, 0 or more");
  const horizon = now.getTime() + days * dayMs;
  const longest = new Map<string, TrainingRecord>();
  for (const record of records) {
    if (!isCurrent(record, now)) continue;
    const key = `${record.memberId}\u0000${record.trainingId}`;
    const kept = longest.get(key);
    if (kept === undefined || lastsLonger(record, kept)) longest.set(key, record);
  }
  return [...longest.values()]
    .filter((record) => record.expiresAt !== undefined && Date.parse(record.expiresAt) <= horizon)
    .sort((a, b) => Date.parse(a.expiresAt ?? "") - Date.parse(b.expiresAt ?? ""));
}

/**
 * Checks a record from outside (API); throws "invalid" naming the field: ids present,
 * completedAt an ISO instant not in the future, expiresAt an ISO instant after completedAt.
 */
export function validateTrainingRecord(record: TrainingRecord, now: Date): TrainingRecord {
  if (record.memberId.trim() === "") throw invalid("memberId", "the member is missing");
  if (record.trainingId.trim() === "") throw invalid("trainingId", "the training is missing");
  const completedAt = instantMs(record.completedAt, "completedAt");
  if (completedAt > now.getTime())
    throw invalid("completedAt", "the training cannot be completed in the future");
  if (record.expiresAt === undefined) return record;
  if (instantMs(record.expiresAt, "expiresAt") <= completedAt)
    throw invalid("expiresAt", "the training must expire after it was completed");
  return record;
}

function lastsLonger(a: TrainingRecord, b: TrainingRecord): boolean {
  if (a.expiresAt === undefined) return true;
  if (b.expiresAt === undefined) return false;
  return Date.parse(a.expiresAt) > Date.parse(b.expiresAt);
}

/** An ISO instant with an explicit offset; a bare local time would depend on the server's zone. */
function instantMs(value: string, field: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = iso.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw invalid(field, "must be an ISO date and time with an offset, e.g. 2026-05-01T18:00:00Z");
  return ms;
}
