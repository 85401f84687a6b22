import { createRoute, z } from "@hono/zod-openapi";
import { requireOrganisation, requirePlatformAdmin } from "../../../shared/access/principal.ts";
import { notFound } from "../../../shared/domain/errors.ts";
import type { Ports } from "../../../shared/ports/ports.ts";
import { createOrganisation } from "../../../shared/use-cases/directory.ts";
import { newRouter } from "../context.ts";
import { Id, Organisation, OrganisationInput } from "../schemas.ts";
import { errorResponses } from "./responses.ts";

const create = createRoute({
  method: "post",
  path: "/organisations",
  summary: "Create an organisation (platform admins; locally, the bootstrap identity)",
  request: { body: { content: { "application/json": { schema: OrganisationInput } }, required: true } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: Organisation } } },
    ...errorResponses,
  },
});

const read = createRoute({
  method: "get",
  path: "/organisations/{organisationId}",
  summary: "Read an organisation",
  request: { params: z.object({ organisationId: Id }) },
  responses: {
    200: { description: "The organisation", content: { "application/json": { schema: Organisation } } },
    ...errorResponses,
  },
});

export const organisationRoutes = (ports: Ports) =>
  newRouter()
    .openapi(create, async (c) => {
      requirePlatformAdmin(c.var.principal);
      return c.json(await createOrganisation(ports, c.req.valid("json")), 201);
    })
    .openapi(read, async (c) => {
      const { organisationId } = c.req.valid("param");
      requireOrganisation(c.var.principal, organisationId);
      const organisation = await ports.store.getOrganisation(organisationId);
      if (!organisation) throw notFound("organisation");
      return c.json(organisation, 200);
    });
