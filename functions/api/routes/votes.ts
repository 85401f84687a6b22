import { requireGroup } from "../../../shared/access/principal.ts";
import { notFound } from "../../../shared/domain/errors.ts";
import type { Vote as VoteEntity } from "../../../shared/domain/vote.ts";
import type { Ports } from "../../../shared/ports/ports.ts";
import { cancelGroupVote, openGroupVote } from "../../../shared/use-cases/votes.ts";
import * as z from "../../../shared/validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { CancelInput, Id } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

const GroupParams = z.object({ organisationId: Id, groupId: Id });
const VoteParams = z.object({ organisationId: Id, groupId: Id, voteId: Id });
const base = "/organisations/{organisationId}/groups/{groupId}/votes";

const Share = z.number().check(z.minimum(0), z.maximum(1));
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
    threshold: z._default(Share, 0.5),
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
    threshold: z.number(),
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
  summary: "Open a vote; every member of the group gets a ballot by email",
  params: GroupParams,
  body: { schema: VoteInput, required: true },
  responses: { 201: json("Opened", VoteView), ...errorResponses },
});
const list = defineRoute({
  method: "get",
  path: base,
  summary: "List the group's votes",
  params: GroupParams,
  responses: { 200: json("Votes", z.object({ items: z.array(VoteView) })), ...errorResponses },
});
const read = defineRoute({
  method: "get",
  path: `${base}/{voteId}`,
  summary: "Read a vote with its live turnout (and, for an open ballot, the choices)",
  params: VoteParams,
  responses: { 200: json("The vote", VoteView), ...errorResponses },
});
const cancel = defineRoute({
  method: "post",
  path: `${base}/{voteId}/cancel`,
  summary: "Cancel an open vote; members are told",
  params: VoteParams,
  body: { schema: CancelInput, required: false },
  responses: { 200: json("Cancelled", VoteView), ...errorResponses },
});

/** The vote as the API shows it: a secret ballot's choices never leave the store. */
const view = async (ports: Ports, vote: VoteEntity) => {
  const ballots = await ports.votes.listBallots(vote.organisationId, vote.id);
  const eligible = vote.eligibleMemberIds.length;
  const { eligibleMemberIds: _eligible, openedBy: _by, ...rest } = vote;
  return {
    ...rest,
    eligible,
    turnout: { ballots: ballots.length, share: eligible === 0 ? 0 : ballots.length / eligible },
    ...(vote.secrecy === "open"
      ? { ballots: ballots.map((b) => ({ memberId: b.memberId, optionId: b.optionId, castAt: b.castAt })) }
      : {}),
  };
};

export const voteRoutes = (ports: Ports): ApiRoute[] => [
  implement(open, async (c) => {
    const { organisationId, groupId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
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
    const { organisationId, groupId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    const votes = await ports.votes.listGroupVotes(organisationId, groupId);
    return c.json({ items: await Promise.all(votes.map((v) => view(ports, v))) }, 200);
  }),
  implement(read, async (c) => {
    const { organisationId, groupId, voteId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    const vote = await ports.votes.getVote(organisationId, groupId, voteId);
    if (!vote) throw notFound("vote");
    return c.json(await view(ports, vote), 200);
  }),
  implement(cancel, async (c) => {
    const { organisationId, groupId, voteId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    const { reason } = c.req.valid("json");
    return c.json(
      await view(ports, await cancelGroupVote(ports, organisationId, groupId, voteId, reason)),
      200,
    );
  }),
];
