import { groupFeedPath } from "#calendar/feed-urls.ts";
import { defaultFeedSettings, type GroupFeedSettings } from "#domain/calendar-feed.ts";
import type { Ports } from "#ports/ports.ts";
import { issueMemberFeed, revokeMemberFeed } from "#use-cases/calendar/issue-member-feed.ts";
import { setGroupFeed } from "#use-cases/calendar/set-group-feed.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { Id } from "../schemas.ts";
import { GroupParams, groupParams, groupPath } from "./params.ts";
import { errorResponses, json } from "./responses.ts";

const GroupFeed = z.object({
  published: z.boolean(),
  neutralTitle: z.optional(z.string()),
  url: z.string(),
});
const GroupFeedInput = z
  .strictObject({
    published: z.boolean(),
    neutralTitle: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(80)))),
  })
  .register(z.globalRegistry, { id: "GroupFeedInput" });
const MemberFeed = z.object({ url: z.string(), issuedAt: z.string() });
const MemberParams = z.object({ organisationId: Id, groupId: Id, memberId: Id });
const feedPath = `${groupPath}/calendar-feed`;
const memberFeedPath = `${groupPath}/members/{memberId}/calendar-feed`;

/** The paths of these operations, which the HTTP API sends to the planning-api function. */
export const calendarFeedSettingsPaths = [`/api/v1${feedPath}`, `/api/v1${memberFeedPath}`];

const read = defineRoute({
  method: "get",
  path: feedPath,
  operationId: "getGroupCalendarFeed",
  summary: "The group's calendar feed: published or not, neutral title, URL",
  params: GroupParams,
  responses: { 200: json("The group's feed settings", GroupFeed), ...errorResponses },
});
const put = defineRoute({
  method: "put",
  path: feedPath,
  operationId: "setGroupCalendarFeed",
  summary: "Publish or withdraw the group's feed; a neutral title replaces its names in every feed",
  params: GroupParams,
  body: { schema: GroupFeedInput, required: true },
  responses: { 200: json("The group's feed settings", GroupFeed), ...errorResponses },
});
const issue = defineRoute({
  method: "post",
  path: memberFeedPath,
  operationId: "issueMemberCalendarFeed",
  summary: "Issue a member's private feed URL (shown once); the previous one stops working",
  params: MemberParams,
  responses: { 201: json("The member's new feed URL", MemberFeed), ...errorResponses },
});
const revoke = defineRoute({
  method: "delete",
  path: memberFeedPath,
  operationId: "revokeMemberCalendarFeed",
  summary: "Revoke a member's private feed URL",
  params: MemberParams,
  responses: { 204: { description: "Revoked" }, ...errorResponses },
});

export const calendarFeedSettingsRoutes = (ports: Ports): ApiRoute[] => {
  const view = (base: string, s: GroupFeedSettings) => ({
    published: s.published,
    ...(s.neutralTitle !== undefined ? { neutralTitle: s.neutralTitle } : {}),
    url: new URL(groupFeedPath(s.organisationId, s.groupId), base).href,
  });
  return [
    implement(read, async (c) => {
      const { organisationId: o, groupId: g } = groupParams(c);
      const settings = (await ports.calendarFeeds.getFeedSettings(o, g)) ?? defaultFeedSettings(o, g);
      return c.json(view(c.req.url, settings), 200);
    }),
    implement(put, async (c) => {
      const { organisationId: o, groupId: g } = groupParams(c);
      return c.json(view(c.req.url, await setGroupFeed(ports, o, g, c.req.valid("json"))), 200);
    }),
    implement(issue, async (c) => {
      const { organisationId: o, groupId: g, memberId } = groupParams(c);
      const { path, issuedAt } = await issueMemberFeed(ports, o, g, memberId);
      return c.json({ url: new URL(path, c.req.url).href, issuedAt }, 201);
    }),
    implement(revoke, async (c) => {
      const { organisationId: o, groupId: g, memberId } = groupParams(c);
      await revokeMemberFeed(ports, o, g, memberId);
      return c.body(null, 204);
    }),
  ];
};
