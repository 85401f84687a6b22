import { Hono } from "hono";
import type { VerifyToken } from "#access/token-verifier.ts";
import { bearer } from "./bearer.ts";
import type { Ports } from "#ports/ports.ts";
import { apiShell } from "./api-shell.ts";
import type { ApiEnv } from "./context.ts";
import { publishedDocument } from "./published-document.ts";
import { mount, type ApiRoute } from "./route.ts";
import { activityRoutes } from "./routes/activity.ts";
import { ballotLinkRoutes } from "./routes/ballot-links.ts";
import { groupRoutes } from "./routes/groups.ts";
import { memberRoutes } from "./routes/members.ts";
import { smsConsentRoutes } from "./routes/sms-consent.ts";
import { organisationRoutes } from "./routes/organisations.ts";
import { overviewRoutes } from "./routes/overview.ts";
import { roleLinkRoutes } from "./routes/role-links.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { unsubscribeRoutes } from "./routes/unsubscribe.ts";
import { voteRoutes } from "./routes/votes.ts";

/**
 * Each file in routes/ declares its operations with defineRoute and answers them with
 * implement. These are the operations the API function serves; a series' operations are
 * served by a function of their own (planningFunctionApp), whose expansion of recurrence rules
 * would not fit the API function's bundle.
 */
export const apiFunctionRoutes = (ports: Ports): ApiRoute[] => [
  ...organisationRoutes(ports),
  ...groupRoutes(ports),
  ...memberRoutes(ports),
  ...smsConsentRoutes(ports),
  ...sessionRoutes(ports),
  ...voteRoutes(ports),
  ...overviewRoutes(ports),
  ...activityRoutes(ports),
];

/**
 * An /api/v1 application: the same code behind API Gateway on AWS and the local HTTP server.
 * It serves `routes` behind the bearer token, and without one the members' links and the
 * OpenAPI document describing every operation of /api/v1 (functions/api/openapi.json, which
 * `npm run openapi` writes from the operations' definitions).
 */
export const buildApi = (
  ports: Ports,
  verifyToken: VerifyToken,
  {
    routes,
    open = [],
    memberLinks = [],
  }: {
    routes: readonly ApiRoute[];
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

  app.route("/api/v1", unsubscribeRoutes(ports));
  app.route("/api/v1", ballotLinkRoutes(ports));
  app.route("/api/v1", roleLinkRoutes(ports));
  // The base URL is read when asked: the local platform learns its own once it listens.
  app.get("/api/v1/openapi.json", async (c) => c.json(await publishedDocument(ports.settings.publicBaseUrl)));

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
 * The API function's part on AWS: all but the planning operations and the calendar feeds,
 * which its document describes all the same (the whole of /api/v1, served locally by
 * whole-api.ts).
 */
export const apiFunctionApp = (ports: Ports, verifyToken: VerifyToken) =>
  buildApi(ports, verifyToken, { routes: apiFunctionRoutes(ports) });
