import type { MiddlewareHandler } from "hono";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Principal } from "../../shared/access/principal.ts";
import { problemResponse, validationProblem } from "./problem.ts";

export type ApiEnv = { Variables: { principal: Principal } };

/** A router whose validation failures answer problem+json, field by field. */
export const newRouter = () =>
  new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return problemResponse(c, validationProblem(result.error.issues));
      return undefined;
    },
  });

export const problemContent = {
  "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
} as const;

/**
 * An optional body may be empty even when labelled JSON (many clients label every request so);
 * without the label, validation takes it as no body rather than as malformed JSON.
 */
export const emptyJsonIsNoBody: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (/^application\/(.+\+)?json\b/i.test(type) && (await c.req.raw.clone().arrayBuffer()).byteLength === 0) {
    const headers = new Headers(c.req.raw.headers);
    headers.delete("content-type");
    c.req.raw = new Request(c.req.raw.url, { method: c.req.raw.method, headers });
  }
  await next();
};
