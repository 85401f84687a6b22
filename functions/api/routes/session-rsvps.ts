import { mayNameAttendees } from "#access/principal.ts";
import { conflict, invalid, notFound } from "#domain/errors.ts";
import { countsOf, rsvpAnswers, type RsvpSettings as RsvpSettingsValue } from "#domain/rsvp.ts";
import { defaultRsvpPrivacy, mayShowAnyName, namesShown } from "#domain/rsvp-privacy.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import { placesOf } from "#use-cases/rsvp/change-places.ts";
import { setRsvpSettings } from "#use-cases/rsvp/set-rsvp-settings.ts";
import { setSeriesRsvpSettings } from "#use-cases/rsvp/set-series-rsvp-settings.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { Id } from "../schemas.ts";
import { groupParams, groupPath } from "./params.ts";
import { errorResponses, json } from "./responses.ts";

const SessionParams = z.object({ organisationId: Id, groupId: Id, sessionId: Id });
const sessionPath = `${groupPath}/sessions/{sessionId}`;

/** The paths of these operations, which the HTTP API sends to the planning-api function. */
export const sessionRsvpPaths = [`/api/v1${sessionPath}/rsvp-settings`, `/api/v1${sessionPath}/rsvps`];

const places = () => z.int().check(z.minimum(0), z.maximum(1000));
const RsvpSettingsInput = z
  .strictObject({ asked: z.boolean(), capacity: z.optional(places()), reserved: z.optional(places()) })
  .register(z.globalRegistry, { id: "RsvpSettingsInput" });
const count = z.int();
const RsvpSettings = z.object({ asked: z.boolean(), capacity: z.optional(count), reserved: count });
const RsvpSummary = z.object({
  asked: z.boolean(),
  capacity: z.optional(count),
  reserved: count,
  counts: z.object({ yes: count, maybe: count, no: count, waiting: count }),
  /**
   * Only for the group's coordinators, as the group's privacy allows (every member's, none, or
   * those who opted in): who answered what. The waiting list's order is never shown.
   */
  answers: z.optional(
    z.array(
      z.object({
        memberId: z.string(),
        name: z.string(),
        answer: z.enum(rsvpAnswers),
        place: z.optional(z.enum(["going", "waiting"])),
      }),
    ),
  ),
});

const put = defineRoute({
  method: "put",
  path: `${sessionPath}/rsvp-settings`,
  operationId: "setSessionRsvpSettings",
  summary: "Ask a session's members whether they are coming, with an optional capacity and reserved places",
  params: SessionParams,
  body: { schema: RsvpSettingsInput, required: true },
  responses: { 200: json("The session's RSVP settings and counts", RsvpSummary), ...errorResponses },
});
const read = defineRoute({
  method: "get",
  path: `${sessionPath}/rsvps`,
  operationId: "getSessionRsvps",
  summary: "A session's answers: counts; names only for the group's coordinators",
  params: SessionParams,
  responses: { 200: json("The session's RSVP settings and counts", RsvpSummary), ...errorResponses },
});

/** These operations' definitions, for the OpenAPI document of a function that does not serve them. */
const putSeries = defineRoute({
  method: "put",
  path: `${groupPath}/series/{seriesId}/rsvp-settings`,
  operationId: "setSeriesRsvpSettings",
  summary: "Ask a series' sessions whether members are coming; a session answered already keeps its own",
  params: z.object({ organisationId: Id, groupId: Id, seriesId: Id }),
  body: { schema: RsvpSettingsInput, required: true },
  responses: { 200: json("The series' RSVP settings", RsvpSettings), ...errorResponses },
});

const settingsOf = (input: z.infer<typeof RsvpSettingsInput>): RsvpSettingsValue => ({
  asked: input.asked,
  ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
  reserved: input.reserved ?? 0,
});

export const sessionRsvpRoutes = (ports: Ports): ApiRoute[] => {
  const summary = async (session: Session, organiser: boolean) => {
    const { organisationId, groupId, id: sessionId } = session;
    const stored = await placesOf(ports, session);
    const { asked, capacity, reserved } = stored.settings;
    const base = {
      asked,
      ...(capacity !== undefined ? { capacity } : {}),
      reserved,
      counts: countsOf(stored),
    };
    if (!organiser) return base;
    const privacy =
      (await ports.rsvps.getPrivacy(organisationId, groupId)) ?? defaultRsvpPrivacy(organisationId, groupId);
    if (!mayShowAnyName(privacy.names, organiser)) return base;
    const [rsvps, members, optedIn] = await Promise.all([
      ports.rsvps.listRsvps(organisationId, sessionId),
      ports.store.listGroupMembers(organisationId, groupId),
      privacy.names === "opt-in" ? ports.rsvps.listNameOptIns(organisationId, groupId) : new Set<string>(),
    ]);
    const shown = namesShown(privacy.names, organiser, optedIn);
    const nameOf = new Map(members.map((m) => [m.id, m.name]));
    const placeOf = new Map(
      stored.holders.map((h) => [h.memberId, h.status === "going" ? "going" : "waiting"] as const),
    );
    return {
      ...base,
      // Those who left the group since are no longer named (their answer became a "no").
      answers: rsvps
        .filter((r) => shown(r.memberId) && nameOf.has(r.memberId))
        .map((r) => ({
          memberId: r.memberId,
          name: nameOf.get(r.memberId) ?? "",
          answer: r.answer,
          ...(r.answer === "yes" && placeOf.has(r.memberId) ? { place: placeOf.get(r.memberId)! } : {}),
        })),
    };
  };
  const sessionOf = async (o: string, g: string, s: string) => {
    const session = await ports.store.getSession(o, g, s);
    if (!session) throw notFound("session");
    return session;
  };
  return [
    implement(put, async (c) => {
      const { organisationId, groupId, sessionId } = groupParams(c);
      const ref = { organisationId, groupId, sessionId };
      const outcome = await setRsvpSettings(ports, ref, settingsOf(c.req.valid("json")));
      if (outcome.kind === "capacity-too-low") throw invalid(outcome.field, outcome.detail);
      if (outcome.kind === "no-session") throw notFound("session");
      // A cancelled or started session takes no settings.
      if (outcome.kind !== "set") throw conflict(`the session is ${outcome.kind.replace("session-", "")}`);
      const session = await sessionOf(organisationId, groupId, sessionId);
      return c.json(await summary(session, mayNameAttendees(c.var.principal, organisationId, groupId)), 200);
    }),
    implement(read, async (c) => {
      const { organisationId, groupId, sessionId } = groupParams(c);
      const session = await sessionOf(organisationId, groupId, sessionId);
      return c.json(await summary(session, mayNameAttendees(c.var.principal, organisationId, groupId)), 200);
    }),
    implement(putSeries, async (c) => {
      const { organisationId, groupId, seriesId } = groupParams(c);
      const settings = settingsOf(c.req.valid("json"));
      return c.json(await setSeriesRsvpSettings(ports, { organisationId, groupId, seriesId }, settings), 200);
    }),
  ];
};
