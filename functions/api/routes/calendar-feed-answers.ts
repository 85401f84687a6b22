import { createHash } from "node:crypto";
import type { Context } from "hono";
import { groupFeed, type CalendarFeed } from "#calendar/group-feed.ts";
import { memberFeed } from "#calendar/member-feed.ts";
import { feedRefreshSeconds } from "#calendar/write-feed.ts";
import { notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import { implement, type ApiRoute } from "../route.ts";
import { readGroupFeed, readMemberFeed } from "./calendar-feeds.ts";

/** A strong validator of the bytes: a feed's text holds no clock reading, so it is stable. */
const etagOf = (body: string) => `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined &&
  ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*");

/**
 * The feed with what lets thousands of subscribed calendars poll it cheaply: an ETag answered
 * by 304 when unchanged, Last-Modified, and a max-age (shared caches may keep the public feed;
 * a member's is private).
 */
const serveFeed = (c: Context, feed: CalendarFeed | undefined, cache: "public" | "private", what: string) => {
  if (!feed) throw notFound(what);
  const etag = etagOf(feed.body);
  const headers = {
    etag,
    "last-modified": feed.lastModified.toUTCString(),
    "cache-control": `${cache}, max-age=${Math.min(3600, feedRefreshSeconds)}`,
  };
  if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
  return c.body(feed.body, 200, { ...headers, "content-type": "text/calendar; charset=utf-8" });
};

/** The feeds, which need no bearer token: a group's is public by its choice, a member's URL is its right. */
export const calendarFeedRoutes = (ports: Ports): ApiRoute[] => [
  implement(readGroupFeed, async (c) => {
    const { organisationId, groupFeed: file } = c.req.valid("param");
    const feed = await groupFeed(ports, organisationId, file.slice(0, -".ics".length));
    return serveFeed(c, feed, "public", "calendar feed");
  }),
  implement(readMemberFeed, async (c) => {
    const feed = await memberFeed(ports, c.req.valid("param").memberFeed.slice(0, -".ics".length));
    return serveFeed(c, feed, "private", "calendar feed");
  }),
];
