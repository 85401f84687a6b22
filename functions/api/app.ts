import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { Unauthenticated, type VerifyToken } from "../../shared/access/token-verifier.ts";
import type { Ports } from "../../shared/ports/ports.ts";
import type { ApiEnv } from "./context.ts";
import { problemResponse, toProblem } from "./problem.ts";
import { groupRoutes } from "./routes/groups.ts";
import { memberRoutes } from "./routes/members.ts";
import { organisationRoutes } from "./routes/organisations.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { unsubscribeRoutes } from "./routes/unsubscribe.ts";
import { ballotLinkRoutes } from "./routes/ballot-links.ts";
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

/**
 * The /api/v1 application: the same code behind API Gateway on AWS and the local HTTP
 * server. Every route but the unsubscribe link and the OpenAPI document needs a bearer token.
 */
export const createApi = (ports: Ports, verifyToken: VerifyToken) => {
  const app = new OpenAPIHono<ApiEnv>();
  app.onError((error, c) => problemResponse(c, toProblem(error, ports.log)));
  app.notFound((c) =>
    problemResponse(c, {
      type: "https://convene.example/problems/not-found",
      title: "No such route",
      status: 404,
    }),
  );

  app.route("/api/v1", unsubscribeRoutes(ports));
  app.route("/api/v1", ballotLinkRoutes(ports));
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Convene API",
      version: "1.0.0",
      description: "Sessions, members and groups of an umbrella organisation.",
    },
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });

  const v1 = new OpenAPIHono<ApiEnv>();
  v1.use("*", bearer(verifyToken));
  v1.route("/", organisationRoutes(ports));
  v1.route("/", groupRoutes(ports));
  v1.route("/", memberRoutes(ports));
  v1.route("/", sessionRoutes(ports));
  v1.route("/", voteRoutes(ports));
  app.route("/api/v1", v1);
  return app;
};
