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
) => {
  let serve: ApiHandler | undefined;
  const receive: ApiHandler = async (event, context) => {
    serve ??= await (async () => {
      const { ports, verifyToken } = await runtime();
      if (!verifyToken) throw new Error("the API function was composed without a token verifier");
      return handle(app(ports, verifyToken));
    })();
    return serve(event, context);
  };
  return middy(receive).use(injectLambdaContext(logger, { resetKeys: true }));
};
