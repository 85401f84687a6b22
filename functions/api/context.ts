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
