import { createRoute, z } from "@hono/zod-openapi";
import { requireGroup } from "../../../shared/access/principal.ts";
import { notFound } from "../../../shared/domain/errors.ts";
import { sessionStartInstant } from "../../../shared/domain/local-time.ts";
import type { Session as SessionEntity } from "../../../shared/domain/session.ts";
import type { Ports } from "../../../shared/ports/ports.ts";
import { cancelSession, rescheduleSession, scheduleSession } from "../../../shared/use-cases/sessions.ts";
import { emptyJsonIsNoBody, newRouter } from "../context.ts";
import { CancelInput, Id, RescheduleInput, Session, SessionInput } from "../schemas.ts";
import { errorResponses } from "./responses.ts";

const GroupParams = z.object({ organisationId: Id, groupId: Id });
const SessionParams = z.object({ organisationId: Id, groupId: Id, sessionId: Id });
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });
const base = "/organisations/{organisationId}/groups/{groupId}/sessions";

const schedule = createRoute({
  method: "post",
  path: base,
  summary: "Schedule a session; members' reminders follow",
  request: { params: GroupParams, body: { ...json(SessionInput), required: true } },
  responses: { 201: { description: "Scheduled", ...json(Session) }, ...errorResponses },
});
const upcoming = createRoute({
  method: "get",
  path: base,
  summary: "List the group's upcoming sessions, soonest first",
  request: {
    params: GroupParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  },
  responses: {
    200: { description: "Sessions", ...json(z.object({ items: z.array(Session) })) },
    ...errorResponses,
  },
});
const read = createRoute({
  method: "get",
  path: `${base}/{sessionId}`,
  summary: "Read a session",
  request: { params: SessionParams },
  responses: { 200: { description: "The session", ...json(Session) }, ...errorResponses },
});
const reschedule = createRoute({
  method: "post",
  path: `${base}/{sessionId}/reschedule`,
  summary: "Move a session; reminders move with it and members get an updated invite",
  request: { params: SessionParams, body: { ...json(RescheduleInput), required: true } },
  responses: { 200: { description: "Rescheduled", ...json(Session) }, ...errorResponses },
});
const cancel = createRoute({
  method: "post",
  path: `${base}/{sessionId}/cancel`,
  summary: "Cancel a session; members are told and no reminder follows",
  middleware: [emptyJsonIsNoBody],
  request: { params: SessionParams, body: { ...json(CancelInput), required: false } },
  responses: { 200: { description: "Cancelled", ...json(Session) }, ...errorResponses },
});

const view = (s: SessionEntity) => ({
  ...s,
  startsAt: sessionStartInstant(s.startLocal, s.timeZone).toISOString(),
});

export const sessionRoutes = (ports: Ports) =>
  newRouter()
    .openapi(schedule, async (c) => {
      const { organisationId, groupId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      return c.json(view(await scheduleSession(ports, organisationId, groupId, c.req.valid("json"))), 201);
    })
    .openapi(upcoming, async (c) => {
      const { organisationId, groupId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      const sessions = await ports.store.listUpcomingSessions(
        organisationId,
        groupId,
        ports.clock.now(),
        c.req.valid("query").limit,
      );
      return c.json({ items: sessions.map(view) }, 200);
    })
    .openapi(read, async (c) => {
      const { organisationId, groupId, sessionId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      const session = await ports.store.getSession(organisationId, groupId, sessionId);
      if (!session) throw notFound("session");
      return c.json(view(session), 200);
    })
    .openapi(reschedule, async (c) => {
      const { organisationId, groupId, sessionId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      return c.json(
        view(await rescheduleSession(ports, organisationId, groupId, sessionId, c.req.valid("json"))),
        200,
      );
    })
    .openapi(cancel, async (c) => {
      const { organisationId, groupId, sessionId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      const { reason } = c.req.valid("json");
      return c.json(view(await cancelSession(ports, organisationId, groupId, sessionId, reason)), 200);
    });
