import { notFound } from "#domain/errors.ts";
import type { Vote as VoteEntity } from "#domain/vote.ts";
import { thresholdShare } from "#domain/vote-threshold.ts";
import type { Ports } from "#ports/ports.ts";
import { cancelGroupVote, openGroupVote } from "#use-cases/votes/vote-lifecycle.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { GroupParams, groupParams, groupPath } from "./params.ts";
import { CancelInput, Id } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

const VoteParams = z.object({ organisationId: Id, groupId: Id, voteId: Id });
const base = `${groupPath}/votes`;

const Share = z.number().check(z.minimum(0), z.maximum(1));

// The threshold: a rule, or (as before rules) a share. The domain checks that a fraction's
// numerator is at most its denominator (a refinement the document could not show).
const ThresholdRule = z
  .union([
    z.strictObject({ kind: z.literal("majority") }).register(z.globalRegistry, {
      description: "More than half of the votes for or against (abstentions aside): a simple majority",
    }),
    z
      .strictObject({
        kind: z.literal("at-least"),
        numerator: z.int().check(z.minimum(0), z.maximum(1_000_000_000)),
        denominator: z.int().check(z.minimum(1), z.maximum(1_000_000_000)),
      })
      .register(z.globalRegistry, {
        description:
          "At least numerator/denominator of the votes for or against (abstentions aside), compared exactly: {numerator: 2, denominator: 3} is met by 6 of 9; 1/1 is unanimity",
      }),
  ])
  .register(z.globalRegistry, { id: "ThresholdRule" });
const Threshold = z.union([
  ThresholdRule,
  // Its own instance: registering a description on Share would describe the quorum too.
  z.number().check(z.minimum(0), z.maximum(1)).register(z.globalRegistry, {
    description:
      "A share, as before threshold rules: 0.5 means more than half (a simple majority), as it always did; any other share means at least that share. A share written to three or more decimal places that rounds a third, sixth, seventh, ninth, eleventh or twelfth is read as that fraction (0.667 and 0.6667 are two-thirds); a whole percentage such as 0.67 is exact. Send a ThresholdRule to be exact.",
  }),
]);
const Kind = z.enum(["proposal", "choice", "election"]);
const Secrecy = z.enum(["secret", "open"]);
const Label = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
export const VoteInput = z
  .strictObject({
    question: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
    kind: Kind,
    options: z.optional(z.array(Label).check(z.minLength(2), z.maxLength(10))),
    candidateMemberIds: z.optional(z.array(Id).check(z.minLength(2), z.maxLength(20))),
    roleId: z.optional(Id),
    closesAt: z.iso.datetime({ offset: true }).register(z.globalRegistry, {
      example: "2026-12-10T18:00:00Z",
      pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$",
      description: "An instant in ISO 8601 with Z or an offset",
    }),
    quorum: z._default(Share, 0.5),
    threshold: z._default(Threshold, { kind: "majority" }),
    secrecy: z._default(Secrecy, "secret"),
    reminderMinutesBeforeClose: z._default(z.int().check(z.minimum(0), z.maximum(43_200)), 1440),
  })
  .register(z.globalRegistry, { id: "VoteInput" });

const Outcome = z.object({
  kind: z.string(),
  optionId: z.optional(z.string()),
  optionIds: z.optional(z.array(z.string())),
});
const VoteView = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    id: z.string(),
    question: z.string(),
    kind: Kind,
    options: z.array(z.object({ id: z.string(), label: z.string() })),
    roleId: z.optional(z.string()),
    closesAt: z.string(),
    quorum: z.number(),
    threshold: z.number().register(z.globalRegistry, {
      description:
        "The threshold as one share, for clients written before thresholdRule: 0.5 for more than half; otherwise at least this share, which a fraction such as 2/3 only approximates",
    }),
    thresholdRule: ThresholdRule,
    secrecy: Secrecy,
    reminderMinutesBeforeClose: z.int(),
    status: z.enum(["open", "closed", "cancelled"]),
    openedAt: z.string(),
    eligible: z.int(),
    turnout: z.object({ ballots: z.int(), share: z.number() }),
    result: z.optional(
      z.object({
        counts: z.record(z.string(), z.int()),
        ballots: z.int(),
        eligible: z.int(),
        turnout: z.number(),
        quorumMet: z.boolean(),
        outcome: Outcome,
      }),
    ),
    ballots: z.optional(
      z
        .array(z.object({ memberId: z.string(), optionId: z.string(), castAt: z.string() }))
        .register(z.globalRegistry, {
          description: "Open ballots only: who chose what. Never present for a secret ballot.",
        }),
    ),
  })
  .register(z.globalRegistry, { id: "Vote" });

const open = defineRoute({
  method: "post",
  path: base,
  operationId: "openVote",
  summary: "Open a vote; every member of the group gets a ballot by email",
  params: GroupParams,
  body: { schema: VoteInput, required: true },
  responses: { 201: json("Opened", VoteView), ...errorResponses },
});
const list = defineRoute({
  method: "get",
  path: base,
  operationId: "listVotes",
  summary: "List the group's votes",
  params: GroupParams,
  responses: { 200: json("Votes", z.object({ items: z.array(VoteView) })), ...errorResponses },
});
const read = defineRoute({
  method: "get",
  path: `${base}/{voteId}`,
  operationId: "getVote",
  summary: "Read a vote with its live turnout (and, for an open ballot, the choices)",
  params: VoteParams,
  responses: { 200: json("The vote", VoteView), ...errorResponses },
});
const cancel = defineRoute({
  method: "post",
  path: `${base}/{voteId}/cancel`,
  operationId: "cancelVote",
  summary: "Cancel an open vote; members are told",
  params: VoteParams,
  body: { schema: CancelInput, required: false },
  responses: { 200: json("Cancelled", VoteView), ...errorResponses },
});

/** The vote as the API shows it: a secret ballot's choices never leave the store. */
const view = async (ports: Ports, vote: VoteEntity) => {
  const ballots = await ports.votes.listBallots(vote.organisationId, vote.id);
  const eligible = vote.eligibleMemberIds.length;
  const { eligibleMemberIds: _eligible, openedBy: _by, threshold, ...rest } = vote;
  return {
    ...rest,
    threshold: thresholdShare(threshold),
    thresholdRule: threshold,
    eligible,
    turnout: { ballots: ballots.length, share: eligible === 0 ? 0 : ballots.length / eligible },
    ...(vote.secrecy === "open"
      ? { ballots: ballots.map((b) => ({ memberId: b.memberId, optionId: b.optionId, castAt: b.castAt })) }
      : {}),
  };
};

export const voteRoutes = (ports: Ports): ApiRoute[] => [
  implement(open, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    const vote = await openGroupVote(
      ports,
      organisationId,
      groupId,
      c.var.principal.subject,
      c.req.valid("json"),
    );
    return c.json(await view(ports, vote), 201);
  }),
  implement(list, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    const votes = await ports.votes.listGroupVotes(organisationId, groupId);
    return c.json({ items: await Promise.all(votes.map((v) => view(ports, v))) }, 200);
  }),
  implement(read, async (c) => {
    const { organisationId, groupId, voteId } = groupParams(c);
    const vote = await ports.votes.getVote(organisationId, groupId, voteId);
    if (!vote) throw notFound("vote");
    return c.json(await view(ports, vote), 200);
  }),
  implement(cancel, async (c) => {
    const { organisationId, groupId, voteId } = groupParams(c);
    const { reason } = c.req.valid("json");
    return c.json(
      await view(ports, await cancelGroupVote(ports, organisationId, groupId, voteId, reason)),
      200,
    );
  }),
];
