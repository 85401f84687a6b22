import { z } from "zod";
import { eventEnvelope } from "./envelope.ts";

// Vote events carry ids and counts only: who chose what is never in an event, so a secret
// ballot cannot leak through the bus, its archive or a dead letter.

const optionSchema = z.object({ id: z.string().min(1), label: z.string() }).strict();

export const voteSnapshot = z
  .object({
    id: z.string().min(1),
    question: z.string(),
    kind: z.enum(["proposal", "choice", "election"]),
    options: z.array(optionSchema),
    roleId: z.string().optional(),
    closesAt: z.iso.datetime(),
    quorum: z.number().min(0).max(1),
    threshold: z.number().min(0).max(1),
    secrecy: z.enum(["secret", "open"]),
    eligibleMemberIds: z.array(z.string().min(1)),
    reminderMinutesBeforeClose: z.int().min(0),
  })
  .strict();

export const VoteOpened = eventEnvelope("VoteOpened", z.object({ vote: voteSnapshot }).strict());

/** A ballot was counted (or replaced an earlier one); the choice itself stays in the store. */
export const BallotCast = eventEnvelope(
  "BallotCast",
  z.object({ voteId: z.string().min(1), memberId: z.string().min(1), replaced: z.boolean() }).strict(),
);

/** Scheduled: remind members who have not voted yet. */
export const VoteClosingSoon = eventEnvelope(
  "VoteClosingSoon",
  z.object({ voteId: z.string().min(1) }).strict(),
);

/** Scheduled: the vote's closing time has come. */
export const VoteCloseDue = eventEnvelope("VoteCloseDue", z.object({ voteId: z.string().min(1) }).strict());

const outcomeSchema = z.union([
  z.object({ kind: z.enum(["passed", "rejected", "no-quorum", "no-votes", "no-majority"]) }).strict(),
  z.object({ kind: z.enum(["elected", "chosen"]), optionId: z.string() }).strict(),
  z.object({ kind: z.literal("tie"), optionIds: z.array(z.string()) }).strict(),
]);

export const voteResultSchema = z
  .object({
    counts: z.record(z.string(), z.int().min(0)),
    ballots: z.int().min(0),
    eligible: z.int().min(0),
    turnout: z.number().min(0).max(1),
    quorumMet: z.boolean(),
    outcome: outcomeSchema,
  })
  .strict();

export const VoteClosed = eventEnvelope(
  "VoteClosed",
  z
    .object({
      voteId: z.string().min(1),
      kind: z.enum(["proposal", "choice", "election"]),
      roleId: z.string().optional(),
      closedEarly: z.boolean(),
      result: voteResultSchema,
    })
    .strict(),
);

export const VoteCancelled = eventEnvelope(
  "VoteCancelled",
  z.object({ voteId: z.string().min(1), reason: z.string().max(500).optional() }).strict(),
);

export type VoteOpened = z.infer<typeof VoteOpened>;
export type BallotCast = z.infer<typeof BallotCast>;
export type VoteClosingSoon = z.infer<typeof VoteClosingSoon>;
export type VoteCloseDue = z.infer<typeof VoteCloseDue>;
export type VoteClosed = z.infer<typeof VoteClosed>;
export type VoteCancelled = z.infer<typeof VoteCancelled>;
