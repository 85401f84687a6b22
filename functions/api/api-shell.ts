import { Hono, type Context } from "hono";
import type { Ports } from "#ports/ports.ts";
import type { ApiEnv } from "./context.ts";
import { problemResponse, toProblem } from "./problem.ts";
import { apiSecurityHeaders } from "./security-headers.ts";

/** The answer to a path no route serves: problem+json, like every other refusal. */
export const noSuchRoute = (c: Context) =>
  problemResponse(c, {
    type: "https://convene.example/problems/not-found",
    title: "No such route",
    status: 404,
  });

/**
 * What every /api/v1 application has before its routes: the security headers, errors as
 * problem+json, and problem+json for a path nothing serves.
 */
export const apiShell = (ports: Pick<Ports, "log">) => {
  const app = new Hono<ApiEnv>();
  // Under /api/v1 only: the local platform mounts this app at its root, beside the dashboard.
  app.use("/api/v1/*", apiSecurityHeaders());
  app.onError((error, c) => problemResponse(c, toProblem(error, ports.log)));
  app.notFound(noSuchRoute);
  return app;
};
