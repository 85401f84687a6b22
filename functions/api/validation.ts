import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { validator } from "hono/validator";
import type * as z from "#validation/zod-mini.ts";
import type { ApiEnv } from "./context.ts";
import { bodyProblem, problemResponse, validationProblem } from "./problem.ts";
import type { RouteDefinition } from "./route.ts";

/** JSON, or a JSON-based type such as application/merge-patch+json, with optional parameters. */
const jsonMediaType = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

// Hono keeps the bytes read here, and parses the JSON from them later.
const hasBody = async (c: Context): Promise<boolean> =>
  c.req.raw.body !== null && (await c.req.arrayBuffer()).byteLength > 0;

/** The parsed value with defaults applied, or a 400 problem+json naming each field that is wrong. */
const parseWith = (schema: z.ZodMiniType) => async (value: unknown, c: Context) => {
  const result = await schema.safeParseAsync(value);
  return result.success
    ? (result.data as object)
    : problemResponse(c, validationProblem(result.error.issues));
};

/** A body the route takes must be labelled JSON; one it does not take must not be sent. */
const jsonOnly: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const type = c.req.header("content-type");
  if (type ? !jsonMediaType.test(type) : await hasBody(c))
    throw new HTTPException(415, { message: "Unsupported Media Type" });
  await next();
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * JSON is UTF-8 (RFC 8259 §8.1). Parsing a body decodes it leniently, turning bytes that are not
 * UTF-8 into U+FFFD, which would then be stored; a fatal decoder refuses them instead.
 */
const utf8Only: MiddlewareHandler<ApiEnv> = async (c, next) => {
  try {
    // Read once: the JSON validator parses the same buffered bytes afterwards.
    utf8.decode(await c.req.arrayBuffer());
  } catch {
    return problemResponse(c, bodyProblem("is not valid UTF-8 text"));
  }
  await next();
};

/**
 * The middleware that checks a request against its route's definition before the handler
 * runs: query, then path parameters, then the JSON body (a malformed one is a 400 from
 * Hono's validator, mapped in problem.ts). The handler reads each with c.req.valid().
 */
export const validateRequest = (definition: RouteDefinition): MiddlewareHandler<ApiEnv>[] => {
  const { query, params, body } = definition;
  const chain: MiddlewareHandler<ApiEnv>[] = [];
  if (query) chain.push(validator("query", parseWith(query)));
  if (params) chain.push(validator("param", parseWith(params)));
  if (!body) return chain;

  const json = validator("json", parseWith(body.schema));
  chain.push(jsonOnly, utf8Only);
  if (body.required) chain.push(json);
  else
    // Many clients label every request JSON, so an empty body is no body, as is none at all.
    chain.push(async (c, next) => {
      if (await hasBody(c)) return json(c, next);
      const none = await parseWith(body.schema)({}, c);
      if (none instanceof Response) return none;
      c.req.addValidatedData("json", none);
      await next();
    });
  return chain;
};
