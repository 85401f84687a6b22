import { isCurrent, type TrainingRecord } from "./training.ts";

/**
 * Reminding a member that a training of theirs is about to expire. Pure: the clock
 * is passed in. The reminder belongs to the member's latest record of a training: recording
 * it again later (a renewal) silences the reminder of the record it replaces.
 */

/** How long before a training expires its holder is reminded. */
export const trainingReminderDaysBefore = 30;

const dayMs = 86_400_000;

/** Which record a reminder is about (TrainingExpiryDue's data). */
export type TrainingRef = Pick<TrainingRecord, "memberId" | "trainingId" | "completedAt">;

/**
 * When to remind the member of this record: `daysBefore` days before it expires; "now" when
 * that instant has passed but the training has not expired yet; null when it never expires
 * or has expired already (a reminder then comes too late to help).
 */
export function trainingReminderAt(
  record: TrainingRecord,
  now: Date,
  daysBefore = trainingReminderDaysBefore,
): Date | "now" | null {
  if (record.expiresAt === undefined) return null;
  const expires = Date.parse(record.expiresAt);
  if (expires <= now.getTime()) return null;
  const at = expires - daysBefore * dayMs;
  return at <= now.getTime() ? "now" : new Date(at);
}

/** The member's most recently completed record of the training, if any. */
export function latestRecord(
  records: readonly TrainingRecord[],
  trainingId: string,
): TrainingRecord | undefined {
  let latest: TrainingRecord | undefined;
  for (const record of records) {
    if (record.trainingId !== trainingId) continue;
    if (latest === undefined || Date.parse(record.completedAt) > Date.parse(latest.completedAt))
      latest = record;
  }
  return latest;
}

/**
 * The record a scheduled reminder is about, if it is still worth sending now: the record
 * exists, expires, is current (not yet expired), and no later record of the same training
 * exists (renewed). `records` are the member's own.
 */
export function reminderStillDue(
  records: readonly TrainingRecord[],
  ref: TrainingRef,
  now: Date,
): TrainingRecord | undefined {
  const latest = latestRecord(records, ref.trainingId);
  if (latest === undefined || latest.memberId !== ref.memberId) return undefined;
  if (Date.parse(latest.completedAt) !== Date.parse(ref.completedAt)) return undefined;
  if (latest.expiresAt === undefined || !isCurrent(latest, now)) return undefined;
  return latest;
}
