// The OpenAPI 3.1 document at /api/v1/openapi.json is the contract for integrators: it lists
// every route the app serves, names its schemas and the bearer scheme, and its request schemas
// reject what the server rejects (and accept what it accepts), field for field.

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecordActivity } from "#functions/record-activity/handler.ts";
import { newEvent } from "#domain/new-event.ts";
import {
  buildDirectory,
  documentedRoutes,
  expectJson,
  fillPath,
  readOpenApiDocument,
  sampleBody,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type DocumentedRoute,
  type JsonSchema,
  type OpenApiDocument,
  type ProblemBody,
} from "./api-harness.ts";

// ---- a checker for the subset of JSON Schema 2020-12 the document uses ----------------------
// It throws on any keyword it does not know, so a schema it cannot judge fails the test rather
// than passing unchecked. `format` is treated as an assertion, as a strict client would.

const annotations = new Set(["default", "example", "examples", "description", "title", "deprecated"]);
const known = new Set([
  ...annotations,
  ...["$ref", "type", "enum", "const", "anyOf", "oneOf", "allOf", "format"],
  ...["minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
  ...["properties", "required", "additionalProperties", "items", "minItems", "maxItems"],
]);

const jsonType = (value: unknown): string[] => {
  if (value === null) return ["null"];
  if (Array.isArray(value)) return ["array"];
  if (typeof value === "number") return Number.isInteger(value) ? ["integer", "number"] : ["number"];
  return [typeof value];
};

const field = (path: string[]) => path.join(".") || "(body)";

/** The fields (dot paths, "(body)" for the root) at which `value` breaks `schema`. */
const violations = (
  doc: OpenApiDocument,
  schema: JsonSchema,
  value: unknown,
  path: string[] = [],
): string[] => {
  for (const keyword of Object.keys(schema))
    if (!known.has(keyword)) throw new Error(`the checker does not know ${keyword} (at ${field(path)})`);
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
    return violations(doc, target, value, path);
  }
  const here = [field(path)];
  const types = schema.type === undefined ? undefined : ([] as string[]).concat(schema.type as string);
  if (types && !jsonType(value).some((t) => types.includes(t))) return here;
  const anyOf = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (anyOf && !anyOf.some((s) => violations(doc, s, value, path).length === 0)) return here;
  const all = ((schema.allOf ?? []) as JsonSchema[]).flatMap((s) => violations(doc, s, value, path));
  if (all.length > 0) return all;
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) return here;
  if ("const" in schema && schema.const !== value) return here;

  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) return here;
    if (typeof schema.maxLength === "number" && length > schema.maxLength) return here;
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) return here;
    if (schema.format === "email" && !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value)) return here;
    if (schema.format === "uri" && !URL.canParse(value)) return here;
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) return here;
    if (typeof schema.maximum === "number" && value > schema.maximum) return here;
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) return here;
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) return here;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) return here;
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) return here;
    const items = schema.items as JsonSchema | undefined;
    if (items) return value.flatMap((v, i) => violations(doc, items, v, [...path, String(i)]));
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const missing = ((schema.required ?? []) as string[]).filter((k) => !(k in object));
    const extra = Object.keys(object).filter((k) => !(k in properties));
    const additional = schema.additionalProperties as boolean | JsonSchema | undefined;
    return [
      ...missing.map((k) => field([...path, k])),
      ...(additional === false ? extra.map((k) => field([...path, k])) : []),
      ...(typeof additional === "object"
        ? extra.flatMap((k) => violations(doc, additional, object[k], [...path, k]))
        : []),
      ...Object.entries(properties)
        .filter(([k]) => k in object)
        .flatMap(([k, s]) => violations(doc, s, object[k], [...path, k])),
    ];
  }
  return [];
};

// ---- the app under test ---------------------------------------------------------------------

let h: ApiHarness;
let doc: OpenApiDocument;
let routes: DocumentedRoute[];
let d: Directory;
let platformToken: string;

beforeAll(async () => {
  h = await startApiHarness();
  doc = await readOpenApiDocument(h);
  routes = documentedRoutes(doc);
  d = await buildDirectory(h, {
    organisation: "Openfield Network",
    group: "Openfield Men's Shed",
    member: "Omar Openfield",
    email: "omar@example.org",
  });
  platformToken = await h.token({ subject: "platform-openapi", role: "platform-admin" });
});

afterAll(async () => {
  await h?.close();
});

const resolve = (schema: JsonSchema): JsonSchema =>
  typeof schema.$ref === "string" ? resolve(doc.components.schemas[schema.$ref.split("/").pop()!]!) : schema;

/** Sends `body` to the route taking `schema`, with ids that pass every check but validation's. */
const submit = async (schema: string, body: unknown): Promise<Response> => {
  const route = routes.find((r) => r.body === schema);
  if (!route) throw new Error(`no route takes ${schema}`);
  const ids = {
    organisationId: d.organisationId,
    groupId: d.groupId,
    memberId: d.memberId,
    sessionId: randomUUID(), // a made-up session: valid bodies reach the use case and get 404
    seriesId: randomUUID(), // likewise
    roleId: "no-such-role", // likewise
  };
  return h.call(route.method, fillPath(route.path, ids), {
    token: route.path === "/api/v1/organisations" ? platformToken : d.adminToken,
    json: body,
  });
};

/** The fields the server's validation names, or [] when validation let the body through. */
const serverViolations = async (schema: string, body: unknown): Promise<string[]> => {
  const response = await submit(schema, body);
  const text = await response.text();
  if (response.status !== 400) return [];
  const problem = JSON.parse(text) as ProblemBody;
  if (problem.type !== "https://convene.example/problems/validation") return [];
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  // Unique: zod may add a second message for a field (a wrong-typed array also fails max()).
  return [...new Set((problem.errors ?? []).map((e) => e.field))].sort();
};

const requestSchemas = () => [...new Set(routes.flatMap((r) => (r.body ? [r.body] : [])))].sort();

describe("the document", () => {
  it("is OpenAPI 3.1.0 with a title and version", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc).toMatchObject({
      info: { title: expect.any(String) as string, version: expect.any(String) as string },
    });
  });

  it("lists every route the app serves, and serves every route it lists", () => {
    // Not for integrators: the document itself, and the members' links (unsubscribe, ballot
    // and role answers: HTML pages and their POSTs, which carry a signed token, not a bearer token).
    const undocumented = [
      "GET /api/v1/openapi.json",
      "GET /api/v1/unsubscribe",
      "POST /api/v1/unsubscribe",
      "GET /api/v1/ballot",
      "POST /api/v1/ballot",
      "GET /api/v1/role-answer",
      "POST /api/v1/role-answer",
      "GET /api/v1/series-answer",
      "POST /api/v1/series-answer",
      "GET /api/v1/rsvp-answer",
      "POST /api/v1/rsvp-answer",
    ];
    const served = [
      ...new Set(h.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`)),
    ];
    const listed = routes.map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ":$1")}`);
    expect(served.every((r) => r.startsWith("/api/v1/", r.indexOf(" ") + 1))).toBe(true);
    expect(served.filter((r) => !undocumented.includes(r)).sort()).toEqual([...listed].sort());
    for (const r of undocumented) expect(served).toContain(r);
  });

  it("declares the bearer scheme and requires it of every operation but the calendar feeds, which say they need none", () => {
    expect(doc.components.securitySchemes.bearer).toEqual({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const [path, operations] of Object.entries(doc.paths))
      for (const operation of Object.values(operations))
        expect(operation.security ?? doc.security, path).toEqual(
          path.startsWith("/api/v1/feeds/") ? [] : [{ bearer: [] }],
        );
  });

  it("names its schemas as components, and every $ref resolves", () => {
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        ...[
          "Organisation",
          "OrganisationInput",
          "Group",
          "GroupInput",
          "Member",
          "MemberInput",
          "MemberPatch",
        ],
        ...["Session", "SessionInput", "RescheduleInput", "CancelInput", "Problem"],
      ]),
    );
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split("/").pop()!], ref).toBeDefined();
    }
  });

  it("gives every operation its path parameters, a request schema by reference, and problem+json errors", () => {
    for (const [path, operations] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method} ${path}`;
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (operation.parameters ?? []).filter((p) => p.in === "path");
        expect(declared.map((p) => p.name).sort(), where).toEqual(inPath.sort());
        for (const p of declared) expect(p.required, where).toBe(true);
        const body = operation.requestBody?.content["application/json"]?.schema;
        if (operation.requestBody)
          expect(body?.$ref, where).toMatch(/^#\/components\/schemas\/\w+(Input|Patch)$/);
        expect(
          Object.keys(operation.responses).some((s) => /^2\d\d$/.test(s)),
          where,
        ).toBe(true);
        // A feed takes no token, so it never answers 401 or 403.
        const refusals = path.startsWith("/api/v1/feeds/") ? ["400", "404"] : ["400", "401", "403", "404"];
        for (const status of refusals)
          expect(
            operation.responses[status]?.content?.["application/problem+json"]?.schema,
            `${where} ${status}`,
          ).toEqual({
            $ref: "#/components/schemas/Problem",
          });
      }
  });

  it("marks the strict request schemas closed (additionalProperties: false), nested objects too", () => {
    const closed = (schema: JsonSchema, where: string): void => {
      const s = resolve(schema);
      const types = ([] as unknown[]).concat(s.type);
      if (types.includes("object")) expect(s.additionalProperties, where).toBe(false);
      for (const [k, p] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>))
        closed(p, `${where}.${k}`);
      if (s.items) closed(s.items as JsonSchema, `${where}[]`);
    };
    expect(requestSchemas().length).toBeGreaterThanOrEqual(7);
    for (const name of requestSchemas()) closed({ $ref: `#/components/schemas/${name}` }, name);
  });
});

describe("the request schemas and the server agree", () => {
  /** Bad bodies derived from the document's own constraints on each top-level property. */
  const derivedBadBodies = (name: string): [string, Record<string, unknown>, string][] => {
    const schema = resolve({ $ref: `#/components/schemas/${name}` });
    const sample = sampleBody(name);
    const cases: [string, Record<string, unknown>, string][] = [];
    for (const required of (schema.required ?? []) as string[]) {
      const { [required]: _dropped, ...rest } = sample;
      cases.push([`without ${required}`, rest, required]);
    }
    if (schema.additionalProperties === false)
      cases.push(["with an unknown field", { ...sample, unexpectedField: true }, "unexpectedField"]);
    for (const [k, raw] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
      const p = resolve(raw);
      const types = ([] as unknown[]).concat(p.type);
      const bad = (why: string, value: unknown) => cases.push([`${k} ${why}`, { ...sample, [k]: value }, k]);
      bad("of the wrong type", types.includes("string") ? 12345 : "a string");
      if (typeof p.minimum === "number") bad("below its minimum", p.minimum - 1);
      if (typeof p.maximum === "number") bad("above its maximum", p.maximum + 1);
      if (types.includes("integer")) bad("not a whole number", Number(p.minimum ?? 0) + 0.5);
      if (p.enum) bad("not one of its options", "not-an-option");
      if (typeof p.pattern === "string" || p.format) bad("not of its pattern or format", "!");
      if (typeof p.maxLength === "number") bad("too long", "x".repeat(p.maxLength + 1));
      if (typeof p.minLength === "number" && p.minLength > 0) bad("too short", "x".repeat(p.minLength - 1));
    }
    return cases;
  };

  it("accepts each schema's sample body, as the server does", async () => {
    for (const name of requestSchemas()) {
      expect(violations(doc, { $ref: `#/components/schemas/${name}` }, sampleBody(name)), name).toEqual([]);
      expect(await serverViolations(name, sampleBody(name)), name).toEqual([]);
    }
  });

  it("rejects at the same fields as the server every bad body derived from the document", async () => {
    const verdicts: { body: string; expected: string[]; document: string[]; server: string[] }[] = [];
    for (const name of requestSchemas())
      for (const [why, body, expected] of derivedBadBodies(name))
        verdicts.push({
          body: `${name} ${why}`,
          expected: [expected],
          document: [...new Set(violations(doc, { $ref: `#/components/schemas/${name}` }, body))].sort(),
          server: await serverViolations(name, body),
        });
    expect(verdicts.length).toBeGreaterThan(40);
    // All disagreements at once, so one run shows the whole gap.
    const disagreements = verdicts.filter(
      (v) =>
        JSON.stringify(v.document) !== JSON.stringify(v.expected) ||
        JSON.stringify(v.server) !== JSON.stringify(v.expected),
    );
    expect(disagreements).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ["GroupInput", { name: "G", timeZone: "UTC+1" }, ["timeZone"]],
    ["GroupInput", { name: "G", timeZone: "BST" }, ["timeZone"]],
    ["GroupInput", [], ["(body)"]],
    [
      "MemberInput",
      { name: "M", email: "m@example.org", reminders: [{ channel: "email", offsetMinutes: 0 }] },
      ["reminders.0.offsetMinutes"],
    ],
    [
      "MemberInput",
      { name: "M", email: "m@example.org", reminders: [{ channel: "email", offsetMinutes: 60, x: 1 }] },
      ["reminders.0.x"],
    ],
    [
      "MemberInput",
      { name: "M", email: "m@example.org", quietHours: { start: "9pm", end: "08:00" } },
      ["quietHours.start"],
    ],
    ["MemberPatch", { phone: null, quietHours: { start: "21:00" } }, ["quietHours.end"]],
    ["SessionInput", { title: "S", startLocal: "2030-06-01 19:00" }, ["startLocal"]],
    ["SessionInput", { title: "S", startLocal: "2030-06-01T19:00", venue: {} }, ["venue.name"]],
    [
      "SessionInput",
      { title: "S", startLocal: "2030-06-01T19:00", duties: [{ kind: "cooking" }] },
      ["duties.0.kind"],
    ],
    ["RescheduleInput", { startLocal: "2030-06-01T19:00", durationMinutes: 5 }, ["durationMinutes"]],
    ["CancelInput", { reason: null }, ["reason"]],
  ])("rejects a bad %s at the same fields as the server: %j", async (name, body, fields) => {
    expect(violations(doc, { $ref: `#/components/schemas/${name}` }, body).sort()).toEqual(fields);
    expect(await serverViolations(name, body)).toEqual(fields);
  });

  // Refinements a JSON Schema cannot state: the document says them in words (descriptions) and
  // the server enforces them. Listed so that the gap is known and stays this small.
  it.each<[string, string, unknown, string]>([
    [
      "a zone the tz database does not have",
      "GroupInput",
      { name: "G", timeZone: "Mars/Olympus" },
      "timeZone",
    ],
    [
      "a date that does not exist",
      "SessionInput",
      { title: "S", startLocal: "2030-02-30T10:00" },
      "startLocal",
    ],
    [
      "an SMS reminder without a phone",
      "MemberInput",
      { name: "M", email: "m@example.org", reminders: [{ channel: "sms", offsetMinutes: 60 }] },
      "phone",
    ],
  ])("leaves to the server alone %s", async (_why, name, body, fieldName) => {
    expect(violations(doc, { $ref: `#/components/schemas/${name}` }, body)).toEqual([]);
    expect(await serverViolations(name, body)).toEqual([fieldName]);
  });
});

describe("the response schemas describe what the server answers", () => {
  const responseSchema = (method: string, path: string, status: string, media = "application/json") => {
    const schema = doc.paths[path]?.[method]?.responses[status]?.content?.[media]?.schema;
    if (!schema) throw new Error(`no ${status} ${media} response for ${method} ${path}`);
    return schema;
  };

  it("for organisations, groups, members, sessions, activity and problems", async () => {
    const o = "/api/v1/organisations/{organisationId}";
    const ids = { organisationId: d.organisationId, groupId: d.groupId, memberId: d.memberId };
    // Two items in the group's log, so a page of one has a `next`.
    const record = createRecordActivity(h.runtime.ports);
    const scope = { organisationId: d.organisationId, groupId: d.groupId };
    await record(newEvent("MemberJoinedGroup", scope, { memberId: d.memberId }, new Date(Date.now() - 2000)));
    await record(
      newEvent(
        "RoleFilled",
        scope,
        { roleId: "treasurer", memberId: d.memberId, how: "elected" },
        new Date(),
      ),
    );
    const answers: [string, string, string, unknown][] = [
      [
        "get",
        o,
        "200",
        await expectJson(await h.call("GET", fillPath(o, ids), { token: d.adminToken }), 200),
      ],
      [
        "get",
        `${o}/groups`,
        "200",
        await expectJson(await h.call("GET", fillPath(`${o}/groups`, ids), { token: d.adminToken }), 200),
      ],
      [
        "get",
        `${o}/members/{memberId}`,
        "200",
        await expectJson(
          await h.call("GET", fillPath(`${o}/members/{memberId}`, ids), { token: d.adminToken }),
          200,
        ),
      ],
      [
        "post",
        `${o}/groups/{groupId}/sessions`,
        "201",
        await expectJson(await submit("SessionInput", sampleBody("SessionInput")), 201),
      ],
      [
        "get",
        `${o}/groups/{groupId}/sessions`,
        "200",
        await expectJson(
          await h.call("GET", fillPath(`${o}/groups/{groupId}/sessions`, ids), { token: d.adminToken }),
          200,
        ),
      ],
      [
        "get",
        `${o}/groups/{groupId}/activity`,
        "200",
        await expectJson(
          await h.call("GET", `${fillPath(`${o}/groups/{groupId}/activity`, ids)}?limit=1`, {
            token: d.adminToken,
          }),
          200,
        ),
      ],
    ];
    const problem = await submit("GroupInput", { name: 1 });
    answers.push(["post", `${o}/groups`, "400", JSON.parse(await problem.text()) as unknown]);
    for (const [method, path, status, body] of answers) {
      const media = status.startsWith("4") ? "application/problem+json" : "application/json";
      expect(violations(doc, responseSchema(method, path, status, media), body), `${method} ${path}`).toEqual(
        [],
      );
    }
  });
});
