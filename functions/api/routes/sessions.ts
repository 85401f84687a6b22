import { notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import {
  cancelSession,
  recordAttendance,
  rescheduleSession,
  scheduleSession,
} from "#use-cases/sessions/session-changes.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { GroupParams, groupParams, groupPath } from "./params.ts";
import { AttendanceInput, CancelInput, Id, RescheduleInput, Session, SessionInput } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";
import { sessionView } from "./session-view.ts";

const SessionParams = z.object({ organisationId: Id, groupId: Id, sessionId: Id });
const base = `${groupPath}/sessions`;

const schedule = defineRoute({
  method: "post",
  path: base,
  operationId: "scheduleSession",
  summary: "Schedule a session; members' reminders follow",
  params: GroupParams,
  body: { schema: SessionInput, required: true },
  responses: { 201: json("Scheduled", Session), ...errorResponses },
});
const list = defineRoute({
  method: "get",
  path: base,
  operationId: "listSessions",
  summary:
    "List the group's sessions: upcoming ones soonest first, or (when=past) those already started, latest first",
  params: GroupParams,
  query: z.object({
    when: z._default(z.enum(["upcoming", "past"]), "upcoming"),
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  }),
  responses: { 200: json("Sessions", z.object({ items: z.array(Session) })), ...errorResponses },
});
const read = defineRoute({
  method: "get",
  path: `${base}/{sessionId}`,
  operationId: "getSession",
  summary: "Read a session",
  params: SessionParams,
  responses: { 200: json("The session", Session), ...errorResponses },
});
const reschedule = defineRoute({
  method: "post",
  path: `${base}/{sessionId}/reschedule`,
  operationId: "rescheduleSession",
  summary: "Move a session; reminders move with it and members get an updated invite",
  params: SessionParams,
  body: { schema: RescheduleInput, required: true },
  responses: { 200: json("Rescheduled", Session), ...errorResponses },
});
const cancel = defineRoute({
  method: "post",
  path: `${base}/{sessionId}/cancel`,
  operationId: "cancelSession",
  summary: "Cancel a session; members are told and no reminder follows",
  params: SessionParams,
  body: { schema: CancelInput, required: false },
  responses: { 200: json("Cancelled", Session), ...errorResponses },
});

const attendance = defineRoute({
  method: "put",
  path: `${base}/{sessionId}/attendance`,
  operationId: "recordAttendance",
  summary:
    "Record how many came to a session once it has started, or correct the count; the same count again changes nothing",
  params: SessionParams,
  body: { schema: AttendanceInput, required: true },
  responses: { 200: json("Recorded", Session), ...errorResponses },
});

const view = sessionView;

export const sessionRoutes = (ports: Ports): ApiRoute[] => [
  implement(schedule, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    return c.json(view(await scheduleSession(ports, organisationId, groupId, c.req.valid("json"))), 201);
  }),
  implement(list, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    const { when, limit } = c.req.valid("query");
    const now = ports.clock.now();
    const sessions =
      when === "past"
        ? await ports.store.listPastSessions(organisationId, groupId, now, limit)
        : await ports.store.listUpcomingSessions(organisationId, groupId, now, limit);
    return c.json({ items: sessions.map(view) }, 200);
  }),
  implement(read, async (c) => {
    const { organisationId, groupId, sessionId } = groupParams(c);
    const session = await ports.store.getSession(organisationId, groupId, sessionId);
    if (!session) throw notFound("session");
    return c.json(view(session), 200);
  }),
  implement(reschedule, async (c) => {
    const { organisationId, groupId, sessionId } = groupParams(c);
    return c.json(
      view(await rescheduleSession(ports, organisationId, groupId, sessionId, c.req.valid("json"))),
      200,
    );
  }),
  implement(cancel, async (c) => {
    const { organisationId, groupId, sessionId } = groupParams(c);
    const { reason } = c.req.valid("json");
    return c.json(view(await cancelSession(ports, organisationId, groupId, sessionId, reason)), 200);
  }),
  implement(attendance, async (c) => {
    const { organisationId, groupId, sessionId } = groupParams(c);
    const { headcount } = c.req.valid("json");
    return c.json(view(await recordAttendance(ports, organisationId, groupId, sessionId, headcount)), 200);
  }),
];
