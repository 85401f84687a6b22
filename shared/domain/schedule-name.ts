import { createHash } from "node:crypto";

/** Which reminders one schedule fires: those of one session version due at one instant. */
export interface ReminderScheduleRef {
  organisationId: string;
  sessionId: string;
  sessionVersion: number;
  dueAt: Date | string;
}

/** EventBridge Scheduler's limits on a schedule name. */
export const scheduleNamePattern = /^[0-9a-zA-Z\-_.]{1,64}$/;

/**
 * A deterministic schedule name, so creating the same schedule twice (a retried event)
 * collides instead of doubling, and a new version or instant gets its own schedule.
 * Shape: "rem-20260329T170000Z-" + 40 hex of a SHA-256 over all the parts = 61 characters.
 * The due time is readable for operators; the digest keeps tenants and sessions apart
 * without putting ids of arbitrary length into a 64-character name.
 */
export function reminderScheduleName({
  organisationId,
  sessionId,
  sessionVersion,
  dueAt,
}: ReminderScheduleRef): string {
  const dueMs = new Date(dueAt).getTime();
  if (Number.isNaN(dueMs)) throw new RangeError("dueAt must be a valid instant");
  const dueIso = new Date(dueMs).toISOString();
  const digest = createHash("sha256")
    .update(JSON.stringify(["reminder", organisationId, sessionId, sessionVersion, dueIso]))
    .digest("hex")
    .slice(0, 40);
  // "2026-03-29T17:00:00.000Z" → "20260329T170000Z"
  const readableDue = `${dueIso.slice(0, 19).replace(/[-:]/g, "")}Z`;
  return `rem-${readableDue}-${digest}`;
}

/** Deterministic names of a vote's two schedules: the reminder to non-voters and the close. */
export function voteScheduleName(
  purpose: "remind" | "close",
  organisationId: string,
  voteId: string,
): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([purpose, organisationId, voteId]))
    .digest("hex")
    .slice(0, 40);
  return `vote-${purpose}-${digest}`;
}

/**
 * A deterministic name for any other one-time schedule: a short purpose (lower-case letters
 * and hyphens, at most 18 characters) and a digest of the parts that make it unique.
 */
export function scheduleName(purpose: string, ...parts: readonly (string | number)[]): string {
  if (!/^[a-z-]{1,18}$/.test(purpose))
    throw new RangeError("purpose must be 1-18 lower-case letters or hyphens");
  const digest = createHash("sha256")
    .update(JSON.stringify([purpose, ...parts]))
    .digest("hex")
    .slice(0, 40);
  return `${purpose}-${digest}`;
}
