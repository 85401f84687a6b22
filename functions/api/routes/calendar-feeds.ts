// The calendar feeds' operations, declared apart from the code that answers them
// (calendar-feed-answers.ts), which needs the calendar writer.
import * as z from "#validation/zod-mini.ts";
import { defineRoute, type ResponseDefinition } from "../route.ts";
import { Id, Problem } from "../schemas.ts";

const icsFile = (what: string) =>
  z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}\.ics$/, `must be ${what} followed by .ics`));

const calendar: ResponseDefinition = {
  description: "The feed (RFC 5545), with an ETag",
  content: { "text/calendar": z.string() },
};
const feedResponses = {
  200: calendar,
  304: { description: "Unchanged (If-None-Match)" },
  400: { description: "The path is not a feed's", content: { "application/problem+json": Problem } },
  404: { description: "No such feed", content: { "application/problem+json": Problem } },
};

/** Where the feeds are: the HTTP API sends these paths, without its authoriser, to the calendar-feeds function. */
export const calendarFeedPaths = ["/api/v1/feeds/{proxy+}"];

export const readGroupFeed = defineRoute({
  method: "get",
  path: "/feeds/organisations/{organisationId}/groups/{groupFeed}",
  operationId: "readGroupCalendarFeed",
  summary: "A group's public calendar feed (<groupId>.ics), naming no one; 404 unless published",
  params: z.object({ organisationId: Id, groupFeed: icsFile("the group's id") }),
  responses: feedResponses,
  public: true,
});

export const readMemberFeed = defineRoute({
  method: "get",
  path: "/feeds/members/{memberFeed}",
  operationId: "readMemberCalendarFeed",
  summary: "A member's private feed of all their groups (<token>.ics); 404 once revoked",
  params: z.object({ memberFeed: icsFile("the feed's token") }),
  responses: feedResponses,
  public: true,
});

/** The feeds' operations, all below calendarFeedPaths. */
export const calendarFeedDefinitions = [readGroupFeed, readMemberFeed];
