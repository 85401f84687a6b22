import { Hono } from "hono";
import type { VerifyToken } from "#access/token-verifier.ts";
import { planningDefinitions, planningRoutes } from "../planning-api/app.ts";
import { bearer } from "./bearer.ts";
import { portsOf } from "../ports-of.ts";
import type { Ports } from "#ports/ports.ts";
import { apiShell, noSuchRoute } from "./api-shell.ts";
import type { ApiEnv } from "./context.ts";
import { openApiDocument } from "./openapi-document.ts";
import { mount, type ApiRoute, type RouteDefinition } from "./route.ts";
import { activityRoutes } from "./routes/activity.ts";
import { calendarFeedDefinitions } from "./routes/calendar-feeds.ts";
import { ballotLinkRoutes } from "./routes/ballot-links.ts";
import { groupRoutes } from "./routes/groups.ts";
import { memberRoutes } from "./routes/members.ts";
import { organisationRoutes } from "./routes/organisations.ts";
import { overviewRoutes } from "./routes/overview.ts";
import { roleLinkRoutes } from "./routes/role-links.ts";
import { rsvpLinkRoutes } from "./routes/rsvp-links.ts";
import { seriesLinkRoutes } from "./routes/series-links.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { unsubscribeRoutes } from "./routes/unsubscribe.ts";
import { voteRoutes } from "./routes/votes.ts";

export { noSuchRoute };

/**
 * Each file in routes/ declares its operations with defineRoute and answers them with
 * implement. These are the operations the API function serves; a series' operations are
 * served by a function of their own (planningFunctionApp), whose expansion of recurrence rules
 * would not fit the API function's bundle.
 */
const apiFunctionRoutes = (ports: Ports): ApiRoute[] => [
  ...organisationRoutes(ports),
  ...groupRoutes(ports),
  ...memberRoutes(ports),
  ...sessionRoutes(ports),
  ...voteRoutes(ports),
  ...overviewRoutes(ports),
  ...activityRoutes(ports),
];

/**
 * An /api/v1 application: the same code behind API Gateway on AWS and the local HTTP server.
 * It serves `routes` behind the bearer token. Given `documented`, it also serves the members'
 * links (which need no token) and the OpenAPI document describing those operations.
 */
const buildApi = (
  ports: Ports,
  verifyToken: VerifyToken,
  {
    routes,
    documented,
    open = [],
    memberLinks = [],
  }: {
    routes: readonly ApiRoute[];
    documented?: readonly RouteDefinition[];
    /** Served without a bearer token: the calendar feeds, whose URL is their right. */
    open?: readonly ApiRoute[];
    /**
     * More members' link pages, built by the caller on the ports of the function that serves
     * them on AWS (the RSVP and "still meeting?" links: the planning-api's, the API function's
     * bundle being full).
     */
    memberLinks?: readonly Hono[];
  },
) => {
  const app = apiShell(ports);

  if (documented) {
    app.route("/api/v1", unsubscribeRoutes(ports));
    app.route("/api/v1", ballotLinkRoutes(ports));
    app.route("/api/v1", roleLinkRoutes(ports));
    let document: ReturnType<typeof openApiDocument> | undefined;
    app.get("/api/v1/openapi.json", (c) =>
      c.json(
        (document ??= openApiDocument(
          documented,
          {
            title: "Convene API",
            version: "1.0.0",
            description: "Sessions, members and groups of an umbrella organisation.",
          },
          {
            url: ports.settings.publicBaseUrl.replace(/\/+$/, ""),
            description: "This deployment of Convene",
          },
        )),
      ),
    );
  }

  for (const links of memberLinks) app.route("/api/v1", links);

  if (open.length > 0) {
    const feeds = new Hono<ApiEnv>();
    for (const route of open) mount(feeds, route);
    app.route("/api/v1", feeds);
  }

  const v1 = new Hono<ApiEnv>();
  v1.use("*", bearer(verifyToken));
  for (const route of routes) mount(v1, route);
  app.route("/api/v1", v1);
  return app;
};

/**
 * The whole of /api/v1 in one application, as the local platform serves it. `open` are the
 * calendar feeds (calendarFeedRoutes), passed in rather than imported here: their calendar
 * writer would otherwise stay in the API function's bundle, which imports this module. Each
 * function's routes get only the ports that function has on AWS (portsOf), so a route that
 * reaches another port fails here too, not on AWS alone.
 */
export const createApi = (ports: Ports, verifyToken: VerifyToken, open: readonly ApiRoute[] = []) => {
  const api = portsOf(ports, "api");
  const planning = portsOf(ports, "planning-api");
  const routes = [...apiFunctionRoutes(api), ...planningRoutes(planning)];
  return buildApi(api, verifyToken, {
    memberLinks: [rsvpLinkRoutes(planning), seriesLinkRoutes(planning)],
    routes,
    open,
    documented: [...routes, ...open].map((r) => r.definition),
  });
};

/** The API function's part on AWS: all but the planning operations, which it documents all the same. */
export const apiFunctionApp = (ports: Ports, verifyToken: VerifyToken) => {
  const routes = apiFunctionRoutes(ports);
  return buildApi(ports, verifyToken, {
    routes,
    documented: [...routes.map((r) => r.definition), ...planningDefinitions, ...calendarFeedDefinitions],
  });
};
