import * as z from "#validation/zod-mini.ts";
import { eventEnvelope, nonEmpty } from "./envelope.ts";

// Vote events carry ids and counts only: who chose what is never in an event, so a secret
// ballot cannot leak through the bus, its archive or a dead letter.

const optionSchema = z.strictObject({ id: nonEmpty(), label: z.string() });

/** A number in [0, 1]: a share of the electorate. */
const fraction = () => z.number().check(z.minimum(0), z.maximum(1));
const count = () => z.int().check(z.minimum(0));

/** What carries the vote (shared/domain/vote-threshold.ts): more than half, or at least a fraction. */
const thresholdRuleSchema = z.union([
  z.strictObject({ kind: z.literal("majority") }),
  z.strictObject({
    kind: z.literal("at-least"),
    numerator: count(),
    denominator: z.int().check(z.minimum(1)),
  }),
]);

export const voteSnapshot = z.strictObject({
  id: nonEmpty(),
  question: z.string(),
  kind: z.enum(["proposal", "choice", "election"]),
  options: z.array(optionSchema),
  roleId: z.optional(z.string()),
  closesAt: z.iso.datetime(),
  quorum: fraction(),
  /** The rule as one share (0.5 for more than half); thresholdRule says it exactly. */
  threshold: fraction(),
  /** Absent from events published before threshold rules, whose threshold meant "more than". */
  thresholdRule: z.optional(thresholdRuleSchema),
  secrecy: z.enum(["secret", "open"]),
  eligibleMemberIds: z.array(nonEmpty()),
  reminderMinutesBeforeClose: count(),
});

export const VoteOpened = eventEnvelope("VoteOpened", z.strictObject({ vote: voteSnapshot }));

/** A ballot was counted (or replaced an earlier one); the choice itself stays in the store. */
export const BallotCast = eventEnvelope(
  "BallotCast",
  z.strictObject({ voteId: nonEmpty(), memberId: nonEmpty(), replaced: z.boolean() }),
);

/** Scheduled: remind members who have not voted yet. */
export const VoteClosingSoon = eventEnvelope("VoteClosingSoon", z.strictObject({ voteId: nonEmpty() }));

/** Scheduled: the vote's closing time has come. */
export const VoteCloseDue = eventEnvelope("VoteCloseDue", z.strictObject({ voteId: nonEmpty() }));

const outcomeSchema = z.union([
  z.strictObject({ kind: z.enum(["passed", "rejected", "no-quorum", "no-votes", "no-majority"]) }),
  z.strictObject({ kind: z.enum(["elected", "chosen"]), optionId: z.string() }),
  z.strictObject({ kind: z.literal("tie"), optionIds: z.array(z.string()) }),
]);

export const voteResultSchema = z.strictObject({
  counts: z.record(z.string(), count()),
  ballots: count(),
  eligible: count(),
  turnout: fraction(),
  quorumMet: z.boolean(),
  outcome: outcomeSchema,
});

export const VoteClosed = eventEnvelope(
  "VoteClosed",
  z.strictObject({
    voteId: nonEmpty(),
    kind: z.enum(["proposal", "choice", "election"]),
    roleId: z.optional(z.string()),
    closedEarly: z.boolean(),
    result: voteResultSchema,
  }),
);

export const VoteCancelled = eventEnvelope(
  "VoteCancelled",
  z.strictObject({ voteId: nonEmpty(), reason: z.optional(z.string().check(z.maxLength(500))) }),
);

export type VoteOpened = z.infer<typeof VoteOpened>;
export type BallotCast = z.infer<typeof BallotCast>;
export type VoteClosingSoon = z.infer<typeof VoteClosingSoon>;
export type VoteCloseDue = z.infer<typeof VoteCloseDue>;
export type VoteClosed = z.infer<typeof VoteClosed>;
export type VoteCancelled = z.infer<typeof VoteCancelled>;
