import { requireOrganisation, requireUmbrellaAdmin } from "#access/principal.ts";
import { dutyKinds } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { OrgParams } from "./params.ts";
import { errorResponses, json } from "./responses.ts";
import { RoleDefinition, Slug } from "./role-schemas.ts";

const RoleDefinitionInput = z
  .strictObject({
    id: Slug,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    description: z._default(z.string().check(z.trim(), z.maxLength(1000)), ""),
    pay: z.enum(["paid", "voluntary"]),
    critical: z._default(z.boolean(), false),
    requiredTrainingIds: z._default(z.array(Slug).check(z.maxLength(20)), []),
    termMonths: z.optional(z.int().check(z.minimum(1), z.maximum(120))),
    duty: z.optional(z.enum(dutyKinds)),
  })
  .register(z.globalRegistry, { id: "RoleDefinitionInput" });
const catalogue = defineRoute({
  method: "get",
  path: "/organisations/{organisationId}/role-catalogue",
  operationId: "getRoleCatalogue",
  summary: "The organisation's role catalogue (the defaults until the umbrella extends it)",
  params: OrgParams,
  responses: { 200: json("The catalogue", z.object({ items: z.array(RoleDefinition) })), ...errorResponses },
});
const extendCatalogue = defineRoute({
  method: "post",
  path: "/organisations/{organisationId}/role-catalogue",
  operationId: "addRoleDefinition",
  summary: "Add a role to the catalogue (umbrella admins)",
  params: OrgParams,
  body: { schema: RoleDefinitionInput, required: true },
  responses: {
    201: json("The extended catalogue", z.object({ items: z.array(RoleDefinition) })),
    ...errorResponses,
  },
});

/** The organisation's role catalogue: the roles its groups can take up. */
export const roleCatalogueRoutes = (ports: Ports): ApiRoute[] => [
  implement(catalogue, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireOrganisation(c.var.principal, organisationId);
    return c.json({ items: await ports.roles.getCatalogue(organisationId) }, 200);
  }),
  implement(extendCatalogue, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    return c.json({ items: await ports.roles.addRoleDefinition(organisationId, c.req.valid("json")) }, 201);
  }),
];
