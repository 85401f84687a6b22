import { conflict, invalid } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import {
  appointVolunteer,
  currentVacancy,
  getRoleView,
  volunteerFor,
} from "#use-cases/roles/role-holders.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { groupParams, groupPath } from "./params.ts";
import { Id } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";
import { GroupRoleView, RoleParams, withVolunteers } from "./role-schemas.ts";

const VolunteerInput = z.strictObject({ memberId: Id }).register(z.globalRegistry, { id: "VolunteerInput" });
const AppointmentInput = z
  .strictObject({ memberId: Id })
  .register(z.globalRegistry, { id: "AppointmentInput" });
const VolunteerOutcome = z.object({
  outcome: z.enum(["recorded", "already-volunteered"]),
});

const volunteer = defineRoute({
  method: "post",
  path: `${groupPath}/roles/{roleId}/volunteers`,
  operationId: "volunteer",
  summary: "Record a member volunteering for the vacant role (as if they had replied)",
  params: RoleParams,
  body: { schema: VolunteerInput, required: true },
  responses: {
    201: json("Recorded", VolunteerOutcome),
    200: json("Already recorded", VolunteerOutcome),
    ...errorResponses,
  },
});
const appoint = defineRoute({
  method: "post",
  path: `${groupPath}/roles/{roleId}/appointment`,
  operationId: "appoint",
  summary: "Appoint one of the volunteers (designated groups: the leader's decision)",
  params: RoleParams,
  body: { schema: AppointmentInput, required: true },
  responses: { 200: json("Appointed", GroupRoleView), ...errorResponses },
});

/** A vacant role's volunteers, and the appointment of one of them. */
export const roleVolunteerRoutes = (ports: Ports): ApiRoute[] => [
  implement(volunteer, async (c) => {
    const { organisationId, groupId, roleId } = groupParams(c);
    const { memberId } = c.req.valid("json");
    const role = await getRoleView(ports, organisationId, groupId, roleId);
    const outcome = await volunteerFor(ports, currentVacancy(role), memberId);
    if (outcome.kind === "not-a-member")
      throw invalid("memberId", "only a member of the group can volunteer");
    if (outcome.kind === "vacancy-over") throw conflict("the role is filled: there is no vacancy");
    return c.json({ outcome: outcome.kind }, outcome.kind === "recorded" ? 201 : 200);
  }),
  implement(appoint, async (c) => {
    const { organisationId, groupId, roleId } = groupParams(c);
    const role = await getRoleView(ports, organisationId, groupId, roleId);
    const appointed = await appointVolunteer(ports, currentVacancy(role), c.req.valid("json").memberId);
    return c.json(await withVolunteers(ports, appointed), 200);
  }),
];
