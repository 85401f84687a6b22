import { serveStatic } from "@hono/node-server/serve-static";
import type { MiddlewareHandler } from "hono";

// The dashboard loads only its own files and talks only to this origin; no inline script.
const contentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Serves the built dashboard (web/dist) for every path outside /api: a file when there is
 * one, otherwise index.html, since the single-page app owns its routes. A missing file under
 * /assets/ stays a 404, so a stale page fails visibly instead of running HTML as script.
 */
export const serveDashboard = (distDir: string): MiddlewareHandler => {
  const cacheFor = (path: string) =>
    // Vite names assets by content hash; index.html must be asked for afresh every time.
    path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
  // Set on the response served: serveStatic (@hono/node-server 2) calls its onFound hook only
  // after it has built the response, so headers set there never reached the browser.
  const withHeaders = (response: Response, path: string) => {
    response.headers.set("cache-control", cacheFor(path));
    response.headers.set("content-security-policy", contentSecurityPolicy);
    response.headers.set("x-content-type-options", "nosniff");
    return response;
  };
  const file = serveStatic({ root: distDir });
  const app = serveStatic({ root: distDir, path: "index.html" });
  return async (c, next) => {
    const path = c.req.path;
    if (path === "/api" || path.startsWith("/api/")) return next();
    const found = await file(c, async () => {});
    if (found) return withHeaders(found, path);
    if (path.startsWith("/assets/")) return next();
    const page = await app(c, next);
    return page ? withHeaders(page, "/index.html") : page;
  };
};
