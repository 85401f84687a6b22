import type { VerifyToken } from "#access/token-verifier.ts";
import type { Ports } from "#ports/ports.ts";
import { planningRoutes } from "../planning-api/app.ts";
import { portsOf } from "../ports-of.ts";
import { apiFunctionRoutes, buildApi } from "./app.ts";
import type { ApiRoute, RouteDefinition } from "./route.ts";
import { calendarFeedRoutes } from "./routes/calendar-feed-answers.ts";
import { rsvpLinkRoutes } from "./routes/rsvp-links.ts";
import { seriesLinkRoutes } from "./routes/series-links.ts";

// The whole of /api/v1, which three functions share on AWS (api, planning-api, calendar-feeds):
// kept apart from app.ts so that no function's bundle holds another's operations.

/**
 * The whole of /api/v1 in one application, as the local platform serves it. `open` are the
 * calendar feeds (calendarFeedRoutes, on the calendar-feeds function's ports). Each function's
 * routes get only the ports that function has on AWS (portsOf), so a route that reaches
 * another port fails here too, not on AWS alone.
 */
export const createApi = (ports: Ports, verifyToken: VerifyToken, open: readonly ApiRoute[] = []) => {
  const api = portsOf(ports, "api");
  const planning = portsOf(ports, "planning-api");
  return buildApi(api, verifyToken, {
    memberLinks: [rsvpLinkRoutes(planning), seriesLinkRoutes(planning)],
    routes: [...apiFunctionRoutes(api), ...planningRoutes(planning)],
    open,
  });
};

/**
 * Every operation of /api/v1, in the order its OpenAPI document lists them. The routes are
 * built on ports that throw when read: a route reads its ports when it answers, never when it
 * is built, so only the definitions are taken.
 */
export const documentedOperations = (): RouteDefinition[] => {
  const unread = new Proxy({} as Ports, {
    get: (_, port) => {
      throw new Error(`a route read the ${String(port)} port when built; read it when answering`);
    },
  });
  const routes = [...apiFunctionRoutes(unread), ...planningRoutes(unread), ...calendarFeedRoutes(unread)];
  return routes.map((route) => route.definition);
};
