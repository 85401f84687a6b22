import { Hono, type Context, type MiddlewareHandler } from "hono";
import { Unauthenticated, type VerifyToken } from "#access/token-verifier.ts";
import type { Ports } from "#ports/ports.ts";
import type { ApiEnv } from "./context.ts";
import { openApiDocument } from "./openapi-document.ts";
import { problemResponse, toProblem } from "./problem.ts";
import { mount, type ApiRoute, type RouteDefinition } from "./route.ts";
import { apiSecurityHeaders } from "./security-headers.ts";
import { activityRoutes } from "./routes/activity.ts";
import { ballotLinkRoutes } from "./routes/ballot-links.ts";
import { groupRoutes } from "./routes/groups.ts";
import { memberRoutes } from "./routes/members.ts";
import { organisationRoutes } from "./routes/organisations.ts";
import { overviewRoutes } from "./routes/overview.ts";
import { roleLinkRoutes } from "./routes/role-links.ts";
import { groupRoleDefinitions, groupRoleRoutes } from "./routes/group-roles.ts";
import { leadershipDefinitions, leadershipRoutes } from "./routes/leadership.ts";
import { roleCatalogueDefinitions, roleCatalogueRoutes } from "./routes/role-catalogue.ts";
import { roleVolunteerDefinitions, roleVolunteerRoutes } from "./routes/role-volunteers.ts";
import { trainingDefinitions, trainingRoutes } from "./routes/training.ts";
import { seriesDefinitions, seriesRoutes } from "./routes/series.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { unsubscribeRoutes } from "./routes/unsubscribe.ts";
import { voteRoutes } from "./routes/votes.ts";

const bearer =
  (verify: VerifyToken): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match) throw new Unauthenticated("send a bearer token in the Authorization header");
    c.set("principal", await verify(match[1]!));
    await next();
  };

/** The answer to a path no route serves: problem+json, like every other refusal. */
export const noSuchRoute = (c: Context) =>
  problemResponse(c, {
    type: "https://convene.example/problems/not-found",
    title: "No such route",
    status: 404,
  });

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
 * The operations of how a group organises itself — its roles, leadership and training, and
 * its series of sessions — served by the planning-api function: with them the API function's
 * bundle would pass its 250 KB budget.
 */
const planningRoutes = (ports: Ports): ApiRoute[] => [
  ...roleCatalogueRoutes(ports),
  ...groupRoleRoutes(ports),
  ...roleVolunteerRoutes(ports),
  ...leadershipRoutes(ports),
  ...trainingRoutes(ports),
  ...seriesRoutes(ports),
];

/** The planning operations' definitions alone, in the same order as planningRoutes. */
const planningDefinitions = [
  ...roleCatalogueDefinitions,
  ...groupRoleDefinitions,
  ...roleVolunteerDefinitions,
  ...leadershipDefinitions,
  ...trainingDefinitions,
  ...seriesDefinitions,
];

/**
 * An /api/v1 application: the same code behind API Gateway on AWS and the local HTTP server.
 * It serves `routes` behind the bearer token. Given `documented`, it also serves the members'
 * links (which need no token) and the OpenAPI document describing those operations.
 */
const buildApi = (
  ports: Ports,
  verifyToken: VerifyToken,
  { routes, documented }: { routes: readonly ApiRoute[]; documented?: readonly RouteDefinition[] },
) => {
  const app = new Hono<ApiEnv>();
  // Under /api/v1 only: the local platform mounts this app at its root, beside the dashboard.
  app.use("/api/v1/*", apiSecurityHeaders());
  app.onError((error, c) => problemResponse(c, toProblem(error, ports.log)));
  app.notFound(noSuchRoute);

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

  const v1 = new Hono<ApiEnv>();
  v1.use("*", bearer(verifyToken));
  for (const route of routes) mount(v1, route);
  app.route("/api/v1", v1);
  return app;
};

/** The whole of /api/v1 in one application, as the local platform serves it. */
export const createApi = (ports: Ports, verifyToken: VerifyToken) => {
  const routes = [...apiFunctionRoutes(ports), ...planningRoutes(ports)];
  return buildApi(ports, verifyToken, { routes, documented: routes.map((r) => r.definition) });
};

/** The API function's part on AWS: all but the planning operations, which it documents all the same. */
export const apiFunctionApp = (ports: Ports, verifyToken: VerifyToken) => {
  const routes = apiFunctionRoutes(ports);
  return buildApi(ports, verifyToken, {
    routes,
    documented: [...routes.map((r) => r.definition), ...planningDefinitions],
  });
};

/** The planning-api function's part on AWS: roles, leadership, training and series (the HTTP API routes them there). */
export const planningFunctionApp = (ports: Ports, verifyToken: VerifyToken) =>
  buildApi(ports, verifyToken, { routes: planningRoutes(ports) });
