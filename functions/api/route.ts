import type { Handler, Hono } from "hono";
import type * as z from "#validation/zod-mini.ts";
import type { ApiEnv } from "./context.ts";
import { validateRequest } from "./validation.ts";

type Fields = z.ZodMiniObject<z.core.$ZodLooseShape, z.core.$ZodObjectConfig>;

/** A JSON body. An optional one may be absent, or empty even when labelled JSON. */
export interface BodyDefinition {
  schema: z.ZodMiniType;
  required: boolean;
}

/** One answer of an operation: its media types and the schema of each (none for 204). */
export interface ResponseDefinition {
  description: string;
  content?: Record<string, z.ZodMiniType>;
}

/**
 * One operation of /api/v1, declared once: the validation middleware (validation.ts) and the
 * operation in /api/v1/openapi.json (openapi-document.ts) both come from it.
 */
export interface RouteDefinition<
  Params extends Fields | undefined = Fields | undefined,
  Query extends Fields | undefined = Fields | undefined,
  Body extends BodyDefinition | undefined = BodyDefinition | undefined,
> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Below /api/v1, each path parameter in braces: "/organisations/{organisationId}". */
  path: string;
  /**
   * The operation's name in the published contract, unique across the API: generated clients
   * name their methods after it, so it never changes once published.
   */
  operationId: string;
  summary: string;
  params?: Params;
  query?: Query;
  body?: Body;
  responses: Record<number, ResponseDefinition>;
  /** Served without a bearer token (a feed's URL is its own right): `security: []` in the document. */
  public?: boolean;
}

export const defineRoute = <
  Params extends Fields | undefined = undefined,
  Query extends Fields | undefined = undefined,
  Body extends BodyDefinition | undefined = undefined,
>(
  definition: RouteDefinition<Params, Query, Body>,
) => definition;

type Output<S> = S extends z.ZodMiniType ? z.output<S> : never;

/** What the handler reads with c.req.valid("param" | "query" | "json"): validated, defaults applied. */
type Validated<Params, Query, Body> = {
  out: {
    param: Output<Params>;
    query: Output<Query>;
    json: Body extends BodyDefinition ? Output<Body["schema"]> : never;
  };
};

/** An operation with the code that answers it. */
export interface ApiRoute {
  definition: RouteDefinition;
  handler: Handler<ApiEnv>;
}

export const implement = <
  Params extends Fields | undefined,
  Query extends Fields | undefined,
  Body extends BodyDefinition | undefined,
>(
  definition: RouteDefinition<Params, Query, Body>,
  handler: Handler<ApiEnv, string, Validated<Params, Query, Body>, Promise<Response>>,
): ApiRoute => ({ definition, handler: handler as Handler<ApiEnv> });

/** Serves the route on `router`, behind the validation its definition asks for. */
export const mount = (router: Hono<ApiEnv>, { definition, handler }: ApiRoute): void => {
  const path = definition.path.replace(/\{(\w+)\}/g, ":$1");
  router.on(definition.method.toUpperCase(), [path], ...validateRequest(definition), handler);
};
