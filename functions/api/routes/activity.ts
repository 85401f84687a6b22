import { notFound } from "#domain/errors.ts";
import { channels, undeliverableReasons } from "#domain/member.ts";
import type { Ports } from "#ports/ports.ts";
import {
  activityEventTypes,
  roleFilledHows,
  roleVacatedReasons,
  voteKinds,
  voteOutcomeKinds,
  type ActivityPosition,
} from "#read-models/group-activity.ts";
import { readGroupActivity } from "#use-cases/overview/read-group-activity.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { groupParams } from "./params.ts";
import { Id } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

// A page ends at an item; the cursor is that item's position, base64url-encoded so clients
// treat it as opaque. A cursor only moves within the group's own log: it cannot name another.
const position = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9-]{1,64})$/;

const encodeCursor = (p: ActivityPosition): string =>
  Buffer.from(`${p.occurredAt}#${p.eventId}`).toString("base64url");

const decodeCursor = (cursor: string): ActivityPosition | undefined => {
  const match = position.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? { occurredAt: match[1]!, eventId: match[2]! } : undefined;
};

const Cursor = z
  .string()
  .check(
    z.maxLength(200),
    z.refine(
      (s) => /^[A-Za-z0-9_-]+$/.test(s) && decodeCursor(s) !== undefined,
      "must be the `next` of an earlier page",
    ),
  )
  .register(z.globalRegistry, {
    pattern: "^[A-Za-z0-9_-]+$",
    description: "The `next` of the previous page: the items older than its last",
  });

const ActivityItem = z
  .object({
    eventId: z.string(),
    type: z.enum(activityEventTypes),
    occurredAt: z.string().register(z.globalRegistry, { description: "When it happened, ISO 8601 in UTC" }),
    memberId: z.optional(z.string()),
    sessionId: z.optional(z.string()),
    voteId: z.optional(z.string()),
    roleId: z.optional(z.string()),
    startLocal: z.optional(
      z.string().register(z.globalRegistry, {
        description: "The session's start, wall time in the group's zone (YYYY-MM-DDTHH:mm)",
      }),
    ),
    previousStartLocal: z.optional(z.string()),
    voteKind: z.optional(z.enum(voteKinds)),
    outcome: z.optional(z.enum(voteOutcomeKinds)),
    closedEarly: z.optional(z.boolean()),
    replaced: z.optional(z.boolean()),
    how: z.optional(z.enum(roleFilledHows)),
    reason: z.optional(z.enum(roleVacatedReasons)),
    channel: z.optional(z.enum(channels)),
    trainingId: z.optional(z.string()),
    headcount: z.optional(z.int()),
    previousHeadcount: z.optional(z.int()),
    emailProblem: z.optional(z.enum(undeliverableReasons)),
  })
  .register(z.globalRegistry, {
    id: "ActivityItem",
    description: "One event of the group: ids and facts only, never a name or text someone typed",
  });
const ActivityPage = z
  .object({
    items: z.array(ActivityItem),
    next: z.optional(
      z.string().register(z.globalRegistry, {
        description: "Present when older items remain: send it as `before` for the next page",
      }),
    ),
  })
  .register(z.globalRegistry, { id: "ActivityPage" });

const list = defineRoute({
  method: "get",
  path: "/organisations/{organisationId}/groups/{groupId}/activity",
  operationId: "listGroupActivity",
  summary: "The group's activity log, newest first, a page at a time (kept for 400 days)",
  params: z.object({ organisationId: Id, groupId: Id }),
  query: z.object({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
    before: z.optional(Cursor),
  }),
  responses: { 200: json("A page of the log", ActivityPage), ...errorResponses },
});

export const activityRoutes = (ports: Ports): ApiRoute[] => [
  implement(list, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    if (!(await ports.store.getGroup(organisationId, groupId))) throw notFound("group");
    const { limit, before } = c.req.valid("query");
    const page = await readGroupActivity(ports, organisationId, groupId, {
      limit,
      before: before === undefined ? undefined : decodeCursor(before),
    });
    return c.json({ items: page.items, ...(page.next ? { next: encodeCursor(page.next) } : {}) }, 200);
  }),
];
