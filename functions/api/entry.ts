import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { handle, type APIGatewayProxyResult, type LambdaEvent } from "hono/aws-lambda";
import type { LambdaRuntime } from "../composition-root.ts";
import { logger } from "../logger.ts";
import type { Hono } from "hono";
import type { VerifyToken } from "#access/token-verifier.ts";
import type { Ports } from "#ports/ports.ts";
import type { ApiEnv } from "./context.ts";

/** An API Gateway event as Hono reads it (the HTTP API sends payload format 2.0). */
type ApiHandler = (event: LambdaEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * The API's primary adapter: API Gateway (HTTP API, payload 2.0) in, the same Hono app as the
 * local server, built once per container. The gateway's JWT authoriser already refused bad
 * tokens on protected routes; the app verifies again against Cognito's keys, because it needs
 * the claims and because a route must never rely on being wired behind the right authoriser.
 */
export const apiEntry = (
  runtime: () => Promise<Pick<LambdaRuntime, "ports" | "verifyToken">>,
  app: (ports: Ports, verifyToken: VerifyToken) => Hono<ApiEnv>,
) =>
  honoEntry(runtime, ({ ports, verifyToken }) => {
    if (!verifyToken) throw new Error("the API function was composed without a token verifier");
    return app(ports, verifyToken);
  });

/** The same for a function whose routes take no bearer token (the calendar feeds). */
export const openEntry = (
  runtime: () => Promise<Pick<LambdaRuntime, "ports">>,
  app: (ports: Ports) => Hono<ApiEnv>,
) => honoEntry(runtime, ({ ports }) => app(ports));

/** A Hono app behind API Gateway, built once per container from the function's runtime. */
const honoEntry = <R>(runtime: () => Promise<R>, build: (runtime: R) => Hono<ApiEnv>) => {
  let serve: ApiHandler | undefined;
  const receive: ApiHandler = async (event, context) => {
    serve ??= handle(build(await runtime()));
    return serve(event, context);
  };
  return middy(receive).use(injectLambdaContext(logger, { resetKeys: true }));
};
