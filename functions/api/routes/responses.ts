import { Problem } from "../schemas.ts";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

/** The problem+json answers every authenticated route can give. */
export const errorResponses = {
  400: problem("The request is not valid; `errors` names each field"),
  401: problem("No valid bearer token"),
  403: problem("The caller's role may not do this"),
  404: problem("Not found, or not visible to the caller"),
  409: problem("Conflicts with the current state"),
} as const;
