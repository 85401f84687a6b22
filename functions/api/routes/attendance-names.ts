import { mayNameAttendees } from "#access/principal.ts";
import { notFound } from "#domain/errors.ts";
import { maxHeadcount } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import { recordNamedAttendance } from "#use-cases/sessions/record-named-attendance.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { Id, Session } from "../schemas.ts";
import { groupParams, groupPath } from "./params.ts";
import { errorResponses, json } from "./responses.ts";
import { sessionView } from "./session-view.ts";

// Who came to a session, in a group that records attendance by name. The group's organisers
// (as for the headcount: its coordinators and umbrella admins) reach these; the names
// themselves are read by its coordinators only (mayNameAttendees), as with RSVPs: an umbrella
// admin's view is the organisation's, and gets the count.

const SessionParams = z.object({ organisationId: Id, groupId: Id, sessionId: Id });
const namesPath = `${groupPath}/sessions/{sessionId}/attendance/names`;

/** The paths of these operations, which the HTTP API sends to the planning-api function. */
export const attendanceNamesPaths = [`/api/v1${namesPath}`];

const AttendanceNamesInput = z
  .strictObject({ memberIds: z.array(Id).check(z.maxLength(maxHeadcount)) })
  .register(z.globalRegistry, { id: "AttendanceNamesInput" });
const AttendanceNames = z.object({
  /** How many names are kept (0 when none: never recorded by name, or faded). */
  count: z.int(),
  /** The group's coordinators only: who they are (empty when none are kept). */
  memberIds: z.optional(z.array(z.string())),
  /** When the names fade and only the count remains (ISO UTC). */
  fadesAt: z.optional(z.string()),
});

const read = defineRoute({
  method: "get",
  path: namesPath,
  operationId: "getAttendanceNames",
  summary: "Who came to a session, while the group's retention keeps the names; none once they fade",
  params: SessionParams,
  responses: { 200: json("The members recorded as present", AttendanceNames), ...errorResponses },
});
const put = defineRoute({
  method: "put",
  path: namesPath,
  operationId: "recordAttendanceNames",
  summary:
    "Record who came to a session that has started, in a group that records attendance by name; its headcount becomes the number of names, and stays once they fade",
  params: SessionParams,
  body: { schema: AttendanceNamesInput, required: true },
  responses: { 200: json("Recorded: the session with its headcount", Session), ...errorResponses },
});

export const attendanceNamesRoutes = (ports: Ports): ApiRoute[] => [
  implement(read, async (c) => {
    const { organisationId: o, groupId: g, sessionId: s } = groupParams(c);
    if (!(await ports.store.getSession(o, g, s))) throw notFound("session");
    const names = await ports.rsvps.getNamedAttendance(o, g, s, ports.clock.now());
    const memberIds = names?.memberIds ?? [];
    return c.json(
      {
        count: memberIds.length,
        ...(mayNameAttendees(c.var.principal, o, g) ? { memberIds } : {}),
        ...(names ? { fadesAt: new Date(names.expiresAt * 1000).toISOString() } : {}),
      },
      200,
    );
  }),
  implement(put, async (c) => {
    const { organisationId: o, groupId: g, sessionId: s } = groupParams(c);
    const { memberIds } = c.req.valid("json");
    return c.json(sessionView(await recordNamedAttendance(ports, o, g, s, memberIds)), 200);
  }),
];
