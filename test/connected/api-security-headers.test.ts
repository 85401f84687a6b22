// The API sends its own security headers on every answer (JSON, problem+json, the OpenAPI
// document and the members' pages alike), so an answer carries them however it is reached:
// locally, through CloudFront, or at the HTTP API's own endpoint (which CloudFront uses as its
// origin, see infra/cdk/constructs/http-api.ts).

import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveDashboard } from "#infra/local/dashboard-files.ts";
import { signUnsubscribeToken } from "#links/unsubscribe-link.ts";
import { buildDirectory, startApiHarness, type ApiHarness, type Directory } from "./api-harness.ts";

let h: ApiHarness;
let d: Directory;

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Headerford Network",
    group: "Headerford Circle",
    member: "Hana Header",
    email: "hana.header@example.org",
  });
});

afterAll(async () => {
  await h?.close();
});

/** The directives of a Content-Security-Policy, by name. */
const directives = (csp: string | null): Map<string, string[]> =>
  new Map(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );

const expectSecurityHeaders = (response: Response, where: string) => {
  const header = (name: string) => response.headers.get(name);
  expect(header("x-content-type-options"), where).toBe("nosniff");
  expect(header("x-frame-options"), where).toBe("DENY");
  expect(header("referrer-policy"), where).toBe("no-referrer");
  expect(header("strict-transport-security"), where).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
  const csp = directives(header("content-security-policy"));
  expect(csp.get("default-src"), where).toEqual(["'none'"]);
  expect(csp.get("frame-ancestors"), where).toEqual(["'none'"]);
  expect(csp.get("base-uri"), where).toEqual(["'none'"]);
  expect(csp.get("form-action"), where).toEqual(["'self'"]);
  // No script may run in anything the API answers.
  expect(csp.has("script-src"), where).toBe(false);
  return csp;
};

describe("every answer of the API carries the security headers", () => {
  const o = () => `/api/v1/organisations/${d.organisationId}`;
  it.each<[string, () => Promise<Response>, number]>([
    ["a 200", () => h.call("GET", o(), { token: d.adminToken }), 200],
    [
      "a 201",
      () =>
        h.call("POST", `${o()}/members`, {
          token: d.adminToken,
          json: { name: "Hal Header", email: "hal.header@example.org" },
        }),
      201,
    ],
    [
      "a 204",
      () => h.call("PUT", `${o()}/groups/${d.groupId}/members/${d.memberId}`, { token: d.adminToken }),
      204,
    ],
    [
      "a 400 (bad body)",
      () => h.call("POST", `${o()}/groups`, { token: d.adminToken, json: { name: 1 } }),
      400,
    ],
    ["a 401 (no token)", () => h.call("GET", o()), 401],
    ["a 404 (no such route)", () => h.call("GET", "/api/v1/no-such-route", { token: d.adminToken }), 404],
    ["a 404 (no such member)", () => h.call("GET", `${o()}/members/nobody`, { token: d.adminToken }), 404],
    ["the OpenAPI document", () => h.call("GET", "/api/v1/openapi.json"), 200],
  ])("%s", async (where, send, status) => {
    const response = await send();
    expect(response.status, where).toBe(status);
    expectSecurityHeaders(response, where);
  });

  it("a member's page, whose one inline style the policy allows by its hash and no other way", async () => {
    const token = await signUnsubscribeToken(
      { organisationId: d.organisationId, groupId: d.groupId, memberId: d.memberId, channel: "email" },
      h.linkSigningSecret,
    );
    const response = await h.call("GET", `/api/v1/unsubscribe?token=${token}`);
    expect(response.status).toBe(200);
    const csp = expectSecurityHeaders(response, "the unsubscribe page");
    const styles = [...(await response.text()).matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    const hash = createHash("sha256").update(styles[0]!).digest("base64");
    expect(csp.get("style-src")).toEqual([`'sha256-${hash}'`]);
  });
});

describe("mounted beside the dashboard, as the local platform mounts it", () => {
  it("leaves the dashboard's pages their own policy, which lets them run their scripts", async () => {
    const dist = mkdtempSync(join(tmpdir(), "convene-dist-"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>Convene</title>");
    const root = new Hono();
    root.route("/", h.app);
    root.use("*", serveDashboard(dist));
    const page = await root.request("/groups/some-group");
    expect(page.status).toBe(200);
    expect(directives(page.headers.get("content-security-policy")).get("default-src")).toEqual(["'self'"]);
    expect(page.headers.get("x-frame-options")).toBeNull();
    const api = await root.request("/api/v1/openapi.json");
    expectSecurityHeaders(api, "the API beside the dashboard");
  });
});
