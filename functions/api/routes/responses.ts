import type * as z from "#validation/zod-mini.ts";
import type { ResponseDefinition } from "../route.ts";
import { Problem } from "../schemas.ts";

/** A JSON answer whose body `schema` describes. */
export const json = (description: string, schema: z.ZodMiniType): ResponseDefinition => ({
  description,
  content: { "application/json": schema },
});

const problem = (description: string): ResponseDefinition => ({
  description,
  content: { "application/problem+json": Problem },
});

/** The problem+json answers every authenticated route can give. */
export const errorResponses = {
  400: problem("The request is not valid; `errors` names each field"),
  401: problem("No valid bearer token"),
  403: problem("The caller's role may not do this"),
  404: problem("Not found, or not visible to the caller"),
  409: problem("Conflicts with the current state"),
} as const;
