import { Hono } from "hono";
import type { Ports } from "#ports/ports.ts";
import { apiShell } from "../api/api-shell.ts";
import type { ApiEnv } from "../api/context.ts";
import { mount } from "../api/route.ts";
import { calendarFeedRoutes } from "../api/routes/calendar-feed-answers.ts";

/**
 * The calendar-feeds function's application: the feeds alone, which the HTTP API sends here
 * without its authoriser. It imports nothing of the API's other routes, so its bundle holds the
 * calendar writer and not them.
 */
export const calendarFeedsApp = (ports: Ports) => {
  const app = apiShell(ports);
  const feeds = new Hono<ApiEnv>();
  for (const route of calendarFeedRoutes(ports)) mount(feeds, route);
  return app.route("/api/v1", feeds);
};
