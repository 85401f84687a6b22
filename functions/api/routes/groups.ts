import { createRoute, z } from "@hono/zod-openapi";
import { requireGroup, requireOrganisation, requireUmbrellaAdmin } from "../../../shared/access/principal.ts";
import { notFound } from "../../../shared/domain/errors.ts";
import type { Ports } from "../../../shared/ports/ports.ts";
import { createGroup } from "../../../shared/use-cases/directory.ts";
import { newRouter } from "../context.ts";
import { Group, GroupInput, Id } from "../schemas.ts";
import { errorResponses } from "./responses.ts";

const OrgParams = z.object({ organisationId: Id });
const GroupParams = z.object({ organisationId: Id, groupId: Id });

const create = createRoute({
  method: "post",
  path: "/organisations/{organisationId}/groups",
  summary: "Create a group (umbrella admins)",
  request: {
    params: OrgParams,
    body: { content: { "application/json": { schema: GroupInput } }, required: true },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: Group } } },
    ...errorResponses,
  },
});

const list = createRoute({
  method: "get",
  path: "/organisations/{organisationId}/groups",
  summary: "List the groups the caller may see",
  request: { params: OrgParams },
  responses: {
    200: {
      description: "Groups",
      content: { "application/json": { schema: z.object({ items: z.array(Group) }) } },
    },
    ...errorResponses,
  },
});

const read = createRoute({
  method: "get",
  path: "/organisations/{organisationId}/groups/{groupId}",
  summary: "Read a group",
  request: { params: GroupParams },
  responses: {
    200: { description: "The group", content: { "application/json": { schema: Group } } },
    ...errorResponses,
  },
});

export const groupRoutes = (ports: Ports) =>
  newRouter()
    .openapi(create, async (c) => {
      const { organisationId } = c.req.valid("param");
      requireUmbrellaAdmin(c.var.principal, organisationId);
      return c.json(await createGroup(ports, organisationId, c.req.valid("json")), 201);
    })
    .openapi(list, async (c) => {
      const { organisationId } = c.req.valid("param");
      const p = c.var.principal;
      requireOrganisation(p, organisationId);
      const groups = await ports.store.listGroups(organisationId);
      const visible = p.role === "umbrella-admin" ? groups : groups.filter((g) => p.groupIds.includes(g.id));
      return c.json({ items: visible }, 200);
    })
    .openapi(read, async (c) => {
      const { organisationId, groupId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      const group = await ports.store.getGroup(organisationId, groupId);
      if (!group) throw notFound("group");
      return c.json(group, 200);
    });
