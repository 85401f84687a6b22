import { notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import { recordTraining } from "#use-cases/roles/role-holders.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { groupParams, groupPath } from "./params.ts";
import { errorResponses, json } from "./responses.ts";
import { Instant, MemberParams, Slug } from "./role-schemas.ts";

const TrainingInput = z
  .strictObject({
    trainingId: Slug,
    completedAt: Instant,
    expiresAt: z.optional(Instant),
  })
  .register(z.globalRegistry, { id: "TrainingInput" });
const TrainingRecord = z
  .object({
    memberId: z.string(),
    trainingId: z.string(),
    completedAt: z.string(),
    expiresAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: "TrainingRecord" });
const addTraining = defineRoute({
  method: "post",
  path: `${groupPath}/members/{memberId}/training`,
  operationId: "recordTraining",
  summary: "Record a training the member completed (recording it twice is one record)",
  params: MemberParams,
  body: { schema: TrainingInput, required: true },
  responses: {
    201: json("Recorded", TrainingRecord),
    200: json("Already recorded", TrainingRecord),
    ...errorResponses,
  },
});
const listTraining = defineRoute({
  method: "get",
  path: `${groupPath}/members/{memberId}/training`,
  operationId: "listTraining",
  summary: "The member's training records",
  params: MemberParams,
  responses: {
    200: json("Training records", z.object({ items: z.array(TrainingRecord) })),
    ...errorResponses,
  },
});

const inGroup = async (ports: Ports, o: string, g: string, memberId: string) => {
  if (!(await ports.store.listGroupMembers(o, g)).some((m) => m.id === memberId))
    throw notFound("member in this group");
};

/** The training records of a group's members, which some roles require. */
export const trainingRoutes = (ports: Ports): ApiRoute[] => [
  implement(addTraining, async (c) => {
    const { organisationId, groupId, memberId } = groupParams(c);
    await inGroup(ports, organisationId, groupId, memberId);
    const { record, created } = await recordTraining(ports, organisationId, groupId, {
      memberId,
      ...c.req.valid("json"),
    });
    return c.json(record, created ? 201 : 200);
  }),
  implement(listTraining, async (c) => {
    const { organisationId, groupId, memberId } = groupParams(c);
    await inGroup(ports, organisationId, groupId, memberId);
    return c.json({ items: await ports.roles.listMemberTraining(organisationId, memberId) }, 200);
  }),
];
