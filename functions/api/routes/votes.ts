import { createRoute, z } from "@hono/zod-openapi";
import { requireGroup } from "../../../shared/access/principal.ts";
import { notFound } from "../../../shared/domain/errors.ts";
import type { Vote as VoteEntity } from "../../../shared/domain/vote.ts";
import type { Ports } from "../../../shared/ports/ports.ts";
import { cancelGroupVote, openGroupVote } from "../../../shared/use-cases/votes.ts";
import { emptyJsonIsNoBody, newRouter } from "../context.ts";
import { CancelInput, Id } from "../schemas.ts";
import { errorResponses } from "./responses.ts";

const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });
const GroupParams = z.object({ organisationId: Id, groupId: Id });
const VoteParams = z.object({ organisationId: Id, groupId: Id, voteId: Id });
const base = "/organisations/{organisationId}/groups/{groupId}/votes";

const Share = z.number().min(0).max(1);
export const VoteInput = z
  .object({
    question: z.string().trim().min(1).max(500),
    kind: z.enum(["proposal", "choice", "election"]),
    options: z.array(z.string().trim().min(1).max(200)).min(2).max(10).optional(),
    candidateMemberIds: z.array(Id).min(2).max(20).optional(),
    roleId: Id.optional(),
    closesAt: z.iso.datetime({ offset: true }).openapi({
      example: "2026-12-10T18:00:00Z",
      pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$",
      description: "An instant in ISO 8601 with Z or an offset",
    }),
    quorum: Share.default(0.5),
    threshold: Share.default(0.5),
    secrecy: z.enum(["secret", "open"]).default("secret"),
    reminderMinutesBeforeClose: z.int().min(0).max(43_200).default(1440),
  })
  .strict()
  .openapi("VoteInput");

const Outcome = z.object({
  kind: z.string(),
  optionId: z.string().optional(),
  optionIds: z.array(z.string()).optional(),
});
const VoteView = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    id: z.string(),
    question: z.string(),
    kind: z.enum(["proposal", "choice", "election"]),
    options: z.array(z.object({ id: z.string(), label: z.string() })),
    roleId: z.string().optional(),
    closesAt: z.string(),
    quorum: z.number(),
    threshold: z.number(),
    secrecy: z.enum(["secret", "open"]),
    reminderMinutesBeforeClose: z.int(),
    status: z.enum(["open", "closed", "cancelled"]),
    openedAt: z.string(),
    eligible: z.int(),
    turnout: z.object({ ballots: z.int(), share: z.number() }),
    result: z
      .object({
        counts: z.record(z.string(), z.int()),
        ballots: z.int(),
        eligible: z.int(),
        turnout: z.number(),
        quorumMet: z.boolean(),
        outcome: Outcome,
      })
      .optional(),
    ballots: z
      .array(z.object({ memberId: z.string(), optionId: z.string(), castAt: z.string() }))
      .optional()
      .openapi({ description: "Open ballots only: who chose what. Never present for a secret ballot." }),
  })
  .openapi("Vote");

const open = createRoute({
  method: "post",
  path: base,
  summary: "Open a vote; every member of the group gets a ballot by email",
  request: { params: GroupParams, body: { ...json(VoteInput), required: true } },
  responses: { 201: { description: "Opened", ...json(VoteView) }, ...errorResponses },
});
const list = createRoute({
  method: "get",
  path: base,
  summary: "List the group's votes",
  request: { params: GroupParams },
  responses: {
    200: { description: "Votes", ...json(z.object({ items: z.array(VoteView) })) },
    ...errorResponses,
  },
});
const read = createRoute({
  method: "get",
  path: `${base}/{voteId}`,
  summary: "Read a vote with its live turnout (and, for an open ballot, the choices)",
  request: { params: VoteParams },
  responses: { 200: { description: "The vote", ...json(VoteView) }, ...errorResponses },
});
const cancel = createRoute({
  method: "post",
  path: `${base}/{voteId}/cancel`,
  summary: "Cancel an open vote; members are told",
  middleware: [emptyJsonIsNoBody],
  request: {
    params: VoteParams,
    body: { ...json(CancelInput), required: false },
  },
  responses: { 200: { description: "Cancelled", ...json(VoteView) }, ...errorResponses },
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

export const voteRoutes = (ports: Ports) =>
  newRouter()
    .openapi(open, async (c) => {
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
    })
    .openapi(list, async (c) => {
      const { organisationId, groupId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      const votes = await ports.votes.listGroupVotes(organisationId, groupId);
      return c.json({ items: await Promise.all(votes.map((v) => view(ports, v))) }, 200);
    })
    .openapi(read, async (c) => {
      const { organisationId, groupId, voteId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      const vote = await ports.votes.getVote(organisationId, groupId, voteId);
      if (!vote) throw notFound("vote");
      return c.json(await view(ports, vote), 200);
    })
    .openapi(cancel, async (c) => {
      const { organisationId, groupId, voteId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      const { reason } = c.req.valid("json");
      return c.json(
        await view(ports, await cancelGroupVote(ports, organisationId, groupId, voteId, reason)),
        200,
      );
    });
