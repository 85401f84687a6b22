import { createRoute, z } from "@hono/zod-openapi";
import { requireGroup, requireOrganisation, requireUmbrellaAdmin } from "../../../shared/access/principal.ts";
import { notFound } from "../../../shared/domain/errors.ts";
import type { Ports } from "../../../shared/ports/ports.ts";
import { createMember, joinGroup, updateMember } from "../../../shared/use-cases/directory.ts";
import { newRouter } from "../context.ts";
import { Id, Member, MemberInput, MemberPatch } from "../schemas.ts";
import { errorResponses } from "./responses.ts";

const OrgParams = z.object({ organisationId: Id });
const MemberParams = z.object({ organisationId: Id, memberId: Id });
const MembershipParams = z.object({ organisationId: Id, groupId: Id, memberId: Id });
const GroupParams = z.object({ organisationId: Id, groupId: Id });
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });

const create = createRoute({
  method: "post",
  path: "/organisations/{organisationId}/members",
  summary: "Add a person to the organisation (umbrella admins and coordinators)",
  request: { params: OrgParams, body: { ...json(MemberInput), required: true } },
  responses: { 201: { description: "Created", ...json(Member) }, ...errorResponses },
});
const list = createRoute({
  method: "get",
  path: "/organisations/{organisationId}/members",
  summary: "List the organisation's members (umbrella admins)",
  request: { params: OrgParams },
  responses: {
    200: { description: "Members", ...json(z.object({ items: z.array(Member) })) },
    ...errorResponses,
  },
});
const read = createRoute({
  method: "get",
  path: "/organisations/{organisationId}/members/{memberId}",
  summary: "Read a member (umbrella admins)",
  request: { params: MemberParams },
  responses: { 200: { description: "The member", ...json(Member) }, ...errorResponses },
});
const patch = createRoute({
  method: "patch",
  path: "/organisations/{organisationId}/members/{memberId}",
  summary: "Edit a member's details and reminder preferences (umbrella admins)",
  request: { params: MemberParams, body: { ...json(MemberPatch), required: true } },
  responses: { 200: { description: "The member", ...json(Member) }, ...errorResponses },
});
const join = createRoute({
  method: "put",
  path: "/organisations/{organisationId}/groups/{groupId}/members/{memberId}",
  summary: "Add a member to a group",
  request: { params: MembershipParams },
  responses: { 204: { description: "The member belongs to the group" }, ...errorResponses },
});
const leave = createRoute({
  method: "delete",
  path: "/organisations/{organisationId}/groups/{groupId}/members/{memberId}",
  summary: "Remove a member from a group",
  request: { params: MembershipParams },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});
const listOfGroup = createRoute({
  method: "get",
  path: "/organisations/{organisationId}/groups/{groupId}/members",
  summary: "List a group's members",
  request: { params: GroupParams },
  responses: {
    200: { description: "Members", ...json(z.object({ items: z.array(Member) })) },
    ...errorResponses,
  },
});

export const memberRoutes = (ports: Ports) =>
  newRouter()
    .openapi(create, async (c) => {
      const { organisationId } = c.req.valid("param");
      requireOrganisation(c.var.principal, organisationId);
      return c.json(await createMember(ports, organisationId, c.req.valid("json")), 201);
    })
    .openapi(list, async (c) => {
      const { organisationId } = c.req.valid("param");
      requireUmbrellaAdmin(c.var.principal, organisationId);
      return c.json({ items: await ports.store.listMembers(organisationId) }, 200);
    })
    .openapi(read, async (c) => {
      const { organisationId, memberId } = c.req.valid("param");
      requireUmbrellaAdmin(c.var.principal, organisationId);
      const member = await ports.store.getMember(organisationId, memberId);
      if (!member) throw notFound("member");
      return c.json(member, 200);
    })
    .openapi(patch, async (c) => {
      const { organisationId, memberId } = c.req.valid("param");
      requireUmbrellaAdmin(c.var.principal, organisationId);
      return c.json(await updateMember(ports, organisationId, memberId, c.req.valid("json")), 200);
    })
    .openapi(join, async (c) => {
      const { organisationId, groupId, memberId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      await joinGroup(ports, organisationId, groupId, memberId);
      return c.body(null, 204);
    })
    .openapi(leave, async (c) => {
      const { organisationId, groupId, memberId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      await ports.store.removeMembership(organisationId, groupId, memberId);
      return c.body(null, 204);
    })
    .openapi(listOfGroup, async (c) => {
      const { organisationId, groupId } = c.req.valid("param");
      requireGroup(c.var.principal, organisationId, groupId);
      return c.json({ items: await ports.store.listGroupMembers(organisationId, groupId) }, 200);
    });
