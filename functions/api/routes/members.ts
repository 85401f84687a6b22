import { requireOrganisation, requireUmbrellaAdmin } from "#access/principal.ts";
import { notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import { createMember, joinGroup, updateMember } from "#use-cases/directory/manage-directory.ts";
import { leaveGroupWithRoles } from "#use-cases/roles/role-holders.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { GroupParams, OrgParams, groupParams, groupPath } from "./params.ts";
import { Id, Member, MemberInput, MemberPatch } from "../schemas.ts";
import { memberView } from "./member-view.ts";
import { errorResponses, json } from "./responses.ts";

const MemberParams = z.object({ organisationId: Id, memberId: Id });
const MembershipParams = z.object({ organisationId: Id, groupId: Id, memberId: Id });
const Members = z.object({ items: z.array(Member) });

const create = defineRoute({
  method: "post",
  path: "/organisations/{organisationId}/members",
  operationId: "createMember",
  summary:
    "Add a person to the organisation (umbrella admins and coordinators); 409 if the email address is another member's",
  params: OrgParams,
  body: { schema: MemberInput, required: true },
  responses: { 201: json("Created", Member), ...errorResponses },
});
const list = defineRoute({
  method: "get",
  path: "/organisations/{organisationId}/members",
  operationId: "listMembers",
  summary: "List the organisation's members (umbrella admins)",
  params: OrgParams,
  responses: { 200: json("Members", Members), ...errorResponses },
});
const read = defineRoute({
  method: "get",
  path: "/organisations/{organisationId}/members/{memberId}",
  operationId: "getMember",
  summary: "Read a member (umbrella admins)",
  params: MemberParams,
  responses: { 200: json("The member", Member), ...errorResponses },
});
const patch = defineRoute({
  method: "patch",
  path: "/organisations/{organisationId}/members/{memberId}",
  operationId: "updateMember",
  summary: "Edit a member's details and reminder preferences (umbrella admins)",
  params: MemberParams,
  body: { schema: MemberPatch, required: true },
  responses: { 200: json("The member", Member), ...errorResponses },
});
const join = defineRoute({
  method: "put",
  path: `${groupPath}/members/{memberId}`,
  operationId: "addGroupMember",
  summary: "Add a member to a group; adding one already in it changes nothing",
  params: MembershipParams,
  responses: { 204: { description: "The member belongs to the group" }, ...errorResponses },
});
const leave = defineRoute({
  method: "delete",
  path: `${groupPath}/members/{memberId}`,
  operationId: "removeGroupMember",
  summary: "Remove a member from a group",
  params: MembershipParams,
  responses: { 204: { description: "Removed" }, ...errorResponses },
});
const listOfGroup = defineRoute({
  method: "get",
  path: `${groupPath}/members`,
  operationId: "listGroupMembers",
  summary: "List a group's members",
  params: GroupParams,
  responses: { 200: json("Members", Members), ...errorResponses },
});

export const memberRoutes = (ports: Ports): ApiRoute[] => [
  implement(create, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireOrganisation(c.var.principal, organisationId);
    return c.json(memberView(await createMember(ports, organisationId, c.req.valid("json"))), 201);
  }),
  implement(list, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    return c.json({ items: (await ports.store.listMembers(organisationId)).map(memberView) }, 200);
  }),
  implement(read, async (c) => {
    const { organisationId, memberId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    const member = await ports.store.getMember(organisationId, memberId);
    if (!member) throw notFound("member");
    return c.json(memberView(member), 200);
  }),
  implement(patch, async (c) => {
    const { organisationId, memberId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    return c.json(memberView(await updateMember(ports, organisationId, memberId, c.req.valid("json"))), 200);
  }),
  implement(join, async (c) => {
    const { organisationId, groupId, memberId } = groupParams(c);
    await joinGroup(ports, organisationId, groupId, memberId);
    return c.body(null, 204);
  }),
  implement(leave, async (c) => {
    const { organisationId, groupId, memberId } = groupParams(c);
    // Every role the member held is vacated in the same transaction as their leaving.
    await leaveGroupWithRoles(ports, organisationId, groupId, memberId);
    return c.body(null, 204);
  }),
  implement(listOfGroup, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    return c.json(
      { items: (await ports.store.listGroupMembers(organisationId, groupId)).map(memberView) },
      200,
    );
  }),
];
