import * as z from "../shared/validation/zod-mini.ts";
import { eventEnvelope, nonEmpty } from "./envelope.ts";

// Vote events carry ids and counts only: who chose what is never in an event, so a secret
// ballot cannot leak through the bus, its archive or a dead letter.

const optionSchema = z.strictObject({ id: nonEmpty(), label: z.string() });

/** A number in [0, 1]: a share of the electorate. */
const fraction = () => z.number().check(z.minimum(0), z.maximum(1));
const count = () => z.int().check(z.minimum(0));

export const voteSnapshot = z.strictObject({
  id: nonEmpty(),
  question: z.string(),
  kind: z.enum(["proposal", "choice", "election"]),
  options: z.array(optionSchema),
  roleId: z.optional(z.string()),
  closesAt: z.iso.datetime(),
  quorum: fraction(),
  threshold: fraction(),
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
