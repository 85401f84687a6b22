import {
  attendanceRecordings,
  defaultRsvpPrivacy,
  nameVisibilities,
  type RsvpPrivacy as RsvpPrivacyValue,
} from "#domain/rsvp-privacy.ts";
import type { Ports } from "#ports/ports.ts";
import { setRsvpPrivacy } from "#use-cases/rsvp/set-rsvp-privacy.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { GroupParams, groupParams, groupPath } from "./params.ts";
import { errorResponses, json } from "./responses.ts";

// The API function documents these operations too, and its bundle is at its budget: the
// definitions stay lean (one schema for input and answer, one description).
const RsvpPrivacy = z
  .strictObject({
    names: z.enum(nameVisibilities),
    attendance: z.enum(attendanceRecordings),
    /** Absent in a PUT: 12. */
    retentionMonths: z.optional(z.int().check(z.minimum(1), z.maximum(120))),
  })
  .register(z.globalRegistry, { id: "RsvpPrivacyInput" });
const privacyPath = `${groupPath}/rsvp-privacy`;
const answer = {
  200: json("The group's RSVP privacy", RsvpPrivacy),
  ...errorResponses,
};

/** The paths of these operations, which the HTTP API sends to the planning-api function. */
export const rsvpPrivacyPaths = [`/api/v1${privacyPath}`];

const read = defineRoute({
  method: "get",
  path: privacyPath,
  operationId: "getRsvpPrivacy",
  summary: "The group's RSVP privacy",
  params: GroupParams,
  responses: answer,
});
const put = defineRoute({
  method: "put",
  path: privacyPath,
  operationId: "setRsvpPrivacy",
  summary: "Set the group's RSVP privacy",
  params: GroupParams,
  body: { schema: RsvpPrivacy, required: true },
  responses: answer,
});

const view = (p: RsvpPrivacyValue) => ({
  names: p.names,
  attendance: p.attendance,
  retentionMonths: p.retentionMonths,
});

export const rsvpPrivacyRoutes = (ports: Ports): ApiRoute[] => [
  implement(read, async (c) => {
    const { organisationId: o, groupId: g } = groupParams(c);
    return c.json(view((await ports.rsvps.getPrivacy(o, g)) ?? defaultRsvpPrivacy(o, g)), 200);
  }),
  implement(put, async (c) => {
    const { organisationId: o, groupId: g } = groupParams(c);
    return c.json(view(await setRsvpPrivacy(ports, o, g, c.req.valid("json"))), 200);
  }),
];
