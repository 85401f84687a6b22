import { channels, undeliverableReasons } from "#domain/member.ts";
import * as z from "#validation/zod-mini.ts";
import {
  activityEventTypes,
  roleFilledHows,
  roleVacatedReasons,
  voteKinds,
  voteOutcomeKinds,
} from "./group-activity.ts";

/**
 * The one written-down shape of an activity log item: its types are derived from
 * it, and the store checks items against it on the way in and on the way out, so a fact
 * cannot be written and then silently dropped when read (as headcount once was). Strict: an
 * attribute it does not name is an error, never a leak or a loss.
 */
export const activityItemShape = z.strictObject({
  eventId: z.string().check(z.minLength(1)),
  type: z.enum(activityEventTypes),
  /** When the event occurred, ISO 8601 in UTC: the log's order. */
  occurredAt: z.iso.datetime(),
  // What an item may say beyond its event: ids, enums, wall times, counts and flags only.
  memberId: z.optional(z.string()),
  sessionId: z.optional(z.string()),
  voteId: z.optional(z.string()),
  roleId: z.optional(z.string()),
  /** A session's start, wall time in the group's zone (YYYY-MM-DDTHH:mm). */
  startLocal: z.optional(z.string()),
  /** Where a rescheduled session was before. */
  previousStartLocal: z.optional(z.string()),
  voteKind: z.optional(z.enum(voteKinds)),
  outcome: z.optional(z.enum(voteOutcomeKinds)),
  /** The vote closed before its time because everyone had voted. */
  closedEarly: z.optional(z.boolean()),
  /** A later reply replaced the member's earlier ballot. */
  replaced: z.optional(z.boolean()),
  how: z.optional(z.enum(roleFilledHows)),
  reason: z.optional(z.enum(roleVacatedReasons)),
  channel: z.optional(z.enum(channels)),
  /** A training's catalogue id, e.g. "safeguarding". */
  trainingId: z.optional(z.string()),
  /** How many came to a session (a count; nobody is named). */
  headcount: z.optional(z.int().check(z.minimum(0))),
  /** The count a correction replaced. */
  previousHeadcount: z.optional(z.int().check(z.minimum(0))),
  /** Why email to the member cannot arrive. */
  emailProblem: z.optional(z.enum(undeliverableReasons)),
});

export type ActivityItem = z.infer<typeof activityItemShape>;

/** What an item may say beyond its event. */
export type ActivityFacts = Omit<ActivityItem, "eventId" | "type" | "occurredAt">;

/** The names of every fact an item may hold, from the shape. */
export const activityFactNames = Object.keys(activityItemShape.def.shape).filter(
  (name) => !["eventId", "type", "occurredAt"].includes(name),
) as (keyof ActivityFacts)[];
