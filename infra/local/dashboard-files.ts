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
    path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
  const onFound = (path: string, c: Parameters<MiddlewareHandler>[0]) => {
    c.header("cache-control", cacheFor(path));
    c.header("content-security-policy", contentSecurityPolicy);
    c.header("x-content-type-options", "nosniff");
  };
  const file = serveStatic({ root: distDir, onFound });
  const app = serveStatic({ root: distDir, path: "index.html", onFound });
  return async (c, next) => {
    const path = c.req.path;
    if (path === "/api" || path.startsWith("/api/")) return next();
    const found = await file(c, async () => {});
    if (found) return found;
    return path.startsWith("/assets/") ? next() : app(c, next);
  };
};
