import { leadershipModels } from "#domain/group.ts";
import type { Ports } from "#ports/ports.ts";
import { setLeadership } from "#use-cases/roles/role-holders.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { GroupParams, groupParams, groupPath } from "./params.ts";
import { Id } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

const LeadershipInput = z
  .strictObject({
    leadershipModel: z.optional(z.enum(leadershipModels)),
    leaderMemberId: z.optional(z.nullable(Id)),
    rotationOrder: z.optional(z.array(Id).check(z.maxLength(500))),
    coordinatorMemberIds: z.optional(z.array(Id).check(z.maxLength(50))),
  })
  .register(z.globalRegistry, { id: "LeadershipInput" });
const Leadership = z.object({
  leadershipModel: z.enum(leadershipModels),
  leaderMemberId: z.optional(z.string()),
  rotationOrder: z.optional(z.array(z.string())),
  coordinatorMemberIds: z.optional(z.array(z.string())),
});
const leadership = defineRoute({
  method: "put",
  path: `${groupPath}/leadership`,
  operationId: "setLeadership",
  summary: "How the group fills its roles: model, designated leader, rotation, coordinators",
  params: GroupParams,
  body: { schema: LeadershipInput, required: true },
  responses: { 200: json("The group's leadership", Leadership), ...errorResponses },
});

/** How a group fills its roles: its leadership model, leader, rotation and coordinators. */
export const leadershipRoutes = (ports: Ports): ApiRoute[] => [
  implement(leadership, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    const group = await setLeadership(ports, organisationId, groupId, c.req.valid("json"));
    const { leadershipModel, leaderMemberId, rotationOrder, coordinatorMemberIds } = group;
    return c.json({ leadershipModel, leaderMemberId, rotationOrder, coordinatorMemberIds }, 200);
  }),
];
