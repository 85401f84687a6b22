import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type * as z from "#validation/zod-mini.ts";
import { DomainError } from "#domain/errors.ts";
import { Unauthenticated } from "#access/token-verifier.ts";
import { InvalidUnsubscribeToken } from "#links/unsubscribe-link.ts";
import type { Log } from "#ports/logger.ts";

/** RFC 9457 problem details; validation failures list each field. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export const problemResponse = (c: Context, problem: Problem): Response =>
  c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    "content-type": "application/problem+json",
    // RFC 9110 §15.5.2: a 401 must carry a challenge.
    ...(problem.status === 401 ? { "www-authenticate": 'Bearer realm="convene"' } : {}),
  });

const typeBase = "https://convene.example/problems/";

const fieldName = (path: readonly PropertyKey[]) => path.map(String).join(".") || "(body)";

const invalidFields = (errors: NonNullable<Problem["errors"]>): Problem => ({
  type: `${typeBase}validation`,
  title: "The request is not valid",
  status: 400,
  detail: "One or more fields are missing or wrong; see errors.",
  errors,
});

/** A body refused as a whole (not JSON, not UTF-8), named as the field "(body)". */
export const bodyProblem = (message: string): Problem => invalidFields([{ field: fieldName([]), message }]);

export const validationProblem = (issues: readonly z.core.$ZodIssue[]): Problem =>
  invalidFields(
    // An unknown key's issue sits on the object holding it; name each key as its own field.
    issues.flatMap((i) =>
      i.code === "unrecognized_keys"
        ? i.keys.map((key) => ({ field: fieldName([...i.path, key]), message: "is not a known field" }))
        : [{ field: fieldName(i.path), message: i.message }],
    ),
  );

const domainStatus = { "not-found": 404, conflict: 409, invalid: 400, forbidden: 403 } as const;

/** Maps every error to problem+json once, at the edge. Unknown errors reveal nothing. */
export const toProblem = (error: unknown, log: Log): Problem => {
  if (error instanceof DomainError) {
    return {
      type: `${typeBase}${error.kind}`,
      title: error.message,
      status: domainStatus[error.kind],
      ...(error.field ? { errors: [{ field: error.field, message: error.message }] } : {}),
    };
  }
  if (error instanceof Unauthenticated)
    return { type: `${typeBase}unauthenticated`, title: error.message, status: 401 };
  if (error instanceof InvalidUnsubscribeToken)
    return { type: `${typeBase}invalid-link`, title: error.message, status: 400 };
  // Hono's validators throw a 400 for a body that is not JSON (or form data) at all.
  if (error instanceof HTTPException && error.status === 400)
    return invalidFields([{ field: fieldName([]), message: error.message }]);
  if (error instanceof HTTPException)
    return { type: `${typeBase}http`, title: error.message, status: error.status };
  log.error("unexpected error in the API", { error: error instanceof Error ? error.name : typeof error });
  return { type: `${typeBase}internal`, title: "Something went wrong on our side", status: 500 };
};
