// /api/v1/openapi.json serves the committed functions/api/openapi.json, which `npm run openapi`
// writes from every operation's definition (the API function bundles neither the operations it
// does not serve nor zod's JSON Schema converter). The committed file must be what the
// definitions write today, and it is what the API function serves.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiFunctionApp } from "#functions/api/app.ts";
import { openApiFile, renderOpenApiDocument } from "#functions/api/generate-openapi.ts";
import type { Ports } from "#ports/ports.ts";

const stale = "functions/api/openapi.json is stale: run `npm run openapi` and commit it";

interface Document {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}

const generated = renderOpenApiDocument();
const committed = readFileSync(openApiFile, "utf8");

/** Each operation ("POST /api/v1/…") and each named schema, as text, so that a change shows by name. */
const parts = (text: string) => {
  const doc = JSON.parse(text) as Document;
  return {
    ...Object.fromEntries(
      Object.entries(doc.paths).flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => [
          `${method.toUpperCase()} ${path}`,
          JSON.stringify(operation),
        ]),
      ),
    ),
    ...Object.fromEntries(
      Object.entries(doc.components.schemas).map(([name, schema]) => [
        `schema ${name}`,
        JSON.stringify(schema),
      ]),
    ),
  };
};

describe("the committed OpenAPI document", () => {
  it("has every operation and named schema as the definitions write them", () => {
    const [was, is] = [parts(committed), parts(generated)];
    const differ = [...new Set([...Object.keys(was), ...Object.keys(is)])].filter((k) => was[k] !== is[k]);
    expect(
      differ.map((k) => `${k in was ? (k in is ? "changed" : "gone") : "new"}: ${k}`),
      stale,
    ).toEqual([]);
    expect(JSON.parse(committed), stale).toEqual(JSON.parse(generated));
  });

  it("is byte for byte what the script writes", () => {
    expect(committed === generated, stale).toBe(true);
  });

  it("is what the API function serves, with the deployment's base URL as its one server", async () => {
    const ports = {
      log: { debug() {}, info() {}, warn() {}, error() {} },
      settings: { publicBaseUrl: "https://convene.example.org/" },
    } as unknown as Ports;
    const app = apiFunctionApp(ports, () => Promise.reject(new Error("the document needs no token")));
    const response = await app.request("/api/v1/openapi.json");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ...(JSON.parse(committed) as object),
      servers: [{ url: "https://convene.example.org", description: "This deployment of Convene" }],
    });
  });
});
