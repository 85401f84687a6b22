import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { memberPageStyle } from "./routes/member-page.ts";

const styleHash = `'sha256-${createHash("sha256").update(memberPageStyle).digest("base64")}'`;

/**
 * Nothing the API answers runs script or may be framed; the members' pages keep their one inline
 * style (allowed by its hash) and post their form back to the API.
 */
const headers: Record<string, string> = {
  "content-security-policy": [
    "default-src 'none'",
    `style-src ${styleHash}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  // As CloudFront's policy (two years); browsers ignore it over plain HTTP, as locally.
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "cross-origin-resource-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
};

/**
 * The API's own security headers, on every answer (JSON, problem+json, the OpenAPI document,
 * the members' pages), so they hold however the API is reached: locally, through CloudFront
 * (whose response headers policy sets the transport ones too), or at the HTTP API's endpoint.
 * Fixed values set here rather than with hono/secure-headers, whose nonces, permissions and
 * reporting options the API does not use: 3 KB the API bundle, at its 250 KB budget, cannot spare.
 */
export const apiSecurityHeaders = (): MiddlewareHandler => async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
};
