import { Hono, type Context, type MiddlewareHandler } from "hono";
import { Unauthenticated, type VerifyToken } from "#access/token-verifier.ts";
import type { Ports } from "#ports/ports.ts";
import type { ApiEnv } from "./context.ts";
import { openApiDocument } from "./openapi-document.ts";
import { problemResponse, toProblem } from "./problem.ts";
import { mount } from "./route.ts";
import { apiSecurityHeaders } from "./security-headers.ts";
import { activityRoutes } from "./routes/activity.ts";
import { ballotLinkRoutes } from "./routes/ballot-links.ts";
import { groupRoutes } from "./routes/groups.ts";
import { memberRoutes } from "./routes/members.ts";
import { organisationRoutes } from "./routes/organisations.ts";
import { overviewRoutes } from "./routes/overview.ts";
import { roleLinkRoutes } from "./routes/role-links.ts";
import { groupRoleRoutes } from "./routes/group-roles.ts";
import { leadershipRoutes } from "./routes/leadership.ts";
import { roleCatalogueRoutes } from "./routes/role-catalogue.ts";
import { roleVolunteerRoutes } from "./routes/role-volunteers.ts";
import { trainingRoutes } from "./routes/training.ts";
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
 * The /api/v1 application: the same code behind API Gateway on AWS and the local HTTP
 * server. Every route but the members' links and the OpenAPI document needs a bearer token;
 * those routes are the ones the document describes.
 */
export const createApi = (ports: Ports, verifyToken: VerifyToken) => {
  const app = new Hono<ApiEnv>();
  // Under /api/v1 only: the local platform mounts this app at its root, beside the dashboard.
  app.use("/api/v1/*", apiSecurityHeaders());
  app.onError((error, c) => problemResponse(c, toProblem(error, ports.log)));
  app.notFound(noSuchRoute);

  // Each file in routes/ declares its operations with defineRoute and answers them with
  // implement; listing its routes here serves them behind the bearer token and documents them.
  const routes = [
    ...organisationRoutes(ports),
    ...groupRoutes(ports),
    ...memberRoutes(ports),
    ...sessionRoutes(ports),
    ...voteRoutes(ports),
    ...roleCatalogueRoutes(ports),
    ...groupRoleRoutes(ports),
    ...roleVolunteerRoutes(ports),
    ...leadershipRoutes(ports),
    ...trainingRoutes(ports),
    ...overviewRoutes(ports),
    ...activityRoutes(ports),
  ];

  app.route("/api/v1", unsubscribeRoutes(ports));
  app.route("/api/v1", ballotLinkRoutes(ports));
  app.route("/api/v1", roleLinkRoutes(ports));
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get("/api/v1/openapi.json", (c) =>
    c.json(
      (document ??= openApiDocument(
        routes.map((r) => r.definition),
        {
          title: "Convene API",
          version: "1.0.0",
          description: "Sessions, members and groups of an umbrella organisation.",
        },
        { url: ports.settings.publicBaseUrl.replace(/\/+$/, ""), description: "This deployment of Convene" },
      )),
    ),
  );

  const v1 = new Hono<ApiEnv>();
  v1.use("*", bearer(verifyToken));
  for (const route of routes) mount(v1, route);
  app.route("/api/v1", v1);
  return app;
};
