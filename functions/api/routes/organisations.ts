import { requireOrganisation, requirePlatformAdmin, requireUmbrellaAdmin } from "#access/principal.ts";
import { notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import type { Organisation as StoredOrganisation } from "#domain/organisation.ts";
import { changeOrganisationTexts } from "#use-cases/directory/change-organisation-texts.ts";
import { createOrganisation } from "#use-cases/directory/manage-directory.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { Id, Organisation, OrganisationInput, OrganisationPatch } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

const create = defineRoute({
  method: "post",
  path: "/organisations",
  operationId: "createOrganisation",
  summary: "Create an organisation (platform admins; locally, the bootstrap identity)",
  body: { schema: OrganisationInput, required: true },
  responses: { 201: json("Created", Organisation), ...errorResponses },
});

const read = defineRoute({
  method: "get",
  path: "/organisations/{organisationId}",
  operationId: "getOrganisation",
  summary: "Read an organisation",
  params: z.object({ organisationId: Id }),
  responses: { 200: json("The organisation", Organisation), ...errorResponses },
});

const update = defineRoute({
  method: "patch",
  path: "/organisations/{organisationId}",
  operationId: "updateOrganisation",
  summary: "Change an organisation's settings: whether texts name groups (umbrella admins)",
  params: z.object({ organisationId: Id }),
  body: { schema: OrganisationPatch, required: true },
  responses: { 200: json("The organisation", Organisation), ...errorResponses },
});

/** Only what the schema declares; where the umbrella admins are alerted, only to them. */
const organisationView = (stored: StoredOrganisation, admin: boolean) => {
  const { id, name, createdAt, alertEmails, textsNameGroups } = stored;
  return {
    id,
    name,
    ...(admin && alertEmails ? { alertEmails } : {}),
    ...(textsNameGroups ? { textsNameGroups } : {}),
    createdAt,
  };
};

export const organisationRoutes = (ports: Ports): ApiRoute[] => [
  implement(create, async (c) => {
    requirePlatformAdmin(c.var.principal);
    const { id, name, createdAt, alertEmails } = await createOrganisation(ports, c.req.valid("json"));
    return c.json({ id, name, ...(alertEmails ? { alertEmails } : {}), createdAt }, 201);
  }),
  implement(read, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireOrganisation(c.var.principal, organisationId);
    const stored = await ports.store.getOrganisation(organisationId);
    if (!stored) throw notFound("organisation");
    return c.json(organisationView(stored, c.var.principal.role === "umbrella-admin"), 200);
  }),
  implement(update, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    const changed = await changeOrganisationTexts(ports, organisationId, c.req.valid("json"));
    return c.json(organisationView(changed, true), 200);
  }),
];
