import type { MiddlewareHandler } from "hono";
import { Unauthenticated, type VerifyToken } from "#access/token-verifier.ts";
import type { ApiEnv } from "./context.ts";

/** Every /api/v1 operation but the members' links and the feeds: a verified bearer token first. */
export const bearer =
  (verify: VerifyToken): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match) throw new Unauthenticated("send a bearer token in the Authorization header");
    c.set("principal", await verify(match[1]!));
    await next();
  };
