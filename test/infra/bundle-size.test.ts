import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bundleFunction, type Bundle } from "#infra/cdk/bundling.ts";
import type { PortNeed } from "#functions/port-needs.ts";
import { functionEntries } from "#infra/cdk/function-entries.ts";

// Bundles every function's real entry with the very build the CDK app deploys
// (infra/cdk/bundling.ts) and holds each to the house budget. The bundles are written inside
// node_modules so that the AWS SDK, which the Lambda runtime provides, resolves when a bundle
// is loaded below.

const budgetBytes = 250 * 1024;

/**
 * Functions not yet within the house budget, each held to a ceiling just above today's size
 * so that any growth fails. The event functions came under it with zod/mini (34 KB where zod
 * classic was 188 KB) and SES simple content (no MIME composer), the API with zod/mini and
 * plain Hono in place of @hono/zod-openapi, receive-reply by reading MIME without mailparser's
 * charset tables (shared/inbound/mime-message.ts). Lower a ceiling whenever a bundle shrinks.
 */
const overBudget: Record<string, { ceilingKb: number; why: string }> = {};
const limitOf = (name: string) => (overBudget[name]?.ceilingKb ?? 250) * 1024;
const outRoot = fileURLToPath(new URL("../../node_modules/.cache/convene-bundles/", import.meta.url));
const entries = functionEntries();
const bundles = new Map<string, Bundle>();

/** A bundle's modules: its entry and the chunks beside it (source maps aside). */
const modulesOf = (bundle: Bundle) =>
  Object.entries(bundle.metafile.outputs).filter(([path]) => path.endsWith(".mjs"));

/** The packages that weigh most in a bundle, for the report. */
const heaviest = (bundle: Bundle, count = 4): string => {
  const byPackage = new Map<string, number>();
  for (const [, output] of modulesOf(bundle))
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split("/")[0]!;
      byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
    }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}`)
    .join(", ");
};

beforeAll(async () => {
  vi.stubEnv("POWERTOOLS_LOG_LEVEL", "SILENT"); // read when a bundle's logger is created on import
  await rm(outRoot, { recursive: true, force: true });
  for (const entry of entries)
    bundles.set(entry.name, await bundleFunction(entry.entry, `${outRoot}${entry.name}`));
  const rows = entries.map((e) => {
    const b = bundles.get(e.name)!;
    const kb = (b.bytes / 1024).toFixed(1).padStart(7);
    return `  ${e.name.padEnd(24)} ${kb} KB ${b.bytes > budgetBytes ? "OVER" : "ok  "} (limit ${limitOf(e.name) / 1024} KB)  (${heaviest(b)})`;
  });
  console.log(
    `Function bundles (minified ES modules, AWS SDK from the runtime; budget 250 KB):\n${rows.join("\n")}`,
  );
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe("every function's bundle", () => {
  for (const entry of entries)
    it(`${entry.name} stays within ${limitOf(entry.name) / 1024} KB minified`, () => {
      expect(bundles.get(entry.name)!.bytes).toBeLessThanOrEqual(limitOf(entry.name));
    });

  it("lists only functions that exist and are really over the house budget", () => {
    for (const name of Object.keys(overBudget)) {
      expect(bundles.has(name), name).toBe(true);
      expect(bundles.get(name)!.bytes, `${name} is within 250 KB now: remove its exception`).toBeGreaterThan(
        budgetBytes,
      );
    }
  });
});

describe("the port makers a bundle keeps", () => {
  // The clients only some functions use; every composed function uses DynamoDB.
  const clientOfNeed: Partial<Record<PortNeed, string>> = {
    scheduler: "@aws-sdk/client-scheduler",
    mailer: "@aws-sdk/client-sesv2",
    sms: "@aws-sdk/client-pinpoint-sms-voice-v2",
    settings: "@aws-sdk/client-secrets-manager",
  };

  it("are its needs': it loads the SDK clients of its needs and no other", () => {
    for (const entry of entries) {
      const imported = new Set(
        modulesOf(bundles.get(entry.name)!).flatMap(([, o]) =>
          o.imports.filter((i) => i.external).map((i) => i.path),
        ),
      );
      const clients = Object.entries(clientOfNeed);
      expect(
        clients.filter(([, client]) => imported.has(client)).map(([need]) => need),
        entry.name,
      ).toEqual(clients.filter(([need]) => entry.needs.includes(need as PortNeed)).map(([need]) => need));
    }
  });
});

describe("a cold module load", () => {
  /** The modules a bundle loads with its entry: the entry and the chunks it imports statically. */
  const loadedWithEntry = (bundle: Bundle) => {
    const outputs = bundle.metafile.outputs;
    // Not just any output with an entryPoint: each dynamically imported chunk has one too.
    const entryPath = Object.keys(outputs).find((path) => resolve(path) === bundle.file)!;
    const loaded = new Set([entryPath]);
    for (const path of loaded)
      for (const i of outputs[path]!.imports)
        if (!i.external && i.kind === "import-statement") loaded.add(i.path);
    return [...loaded].map((path) => outputs[path]!);
  };

  // The SDK is most of a cold start (about 90 ms of the DynamoDB client alone on a laptop):
  // the composition root loads the clients, with their adapters, on first use.
  it("leaves the AWS SDK's clients to first use", () => {
    for (const entry of entries) {
      const statically = loadedWithEntry(bundles.get(entry.name)!).flatMap((o) =>
        o.imports.filter((i) => i.external && i.kind === "import-statement").map((i) => i.path),
      );
      expect(
        statically.filter((path) => /^@aws-sdk\/(client|lib)-/.test(path)),
        entry.name,
      ).toEqual([]);
    }
  });

  // The document lists every operation of /api/v1 (npm run openapi writes it): written at run
  // time, it took the planning-api's operations and zod's JSON Schema converter into the bundle.
  it("leaves the API's OpenAPI document to the first request for it: the committed file, compressed", async () => {
    const bundle = bundles.get("api")!;
    const [chunk] = modulesOf(bundle).filter(([, o]) => "functions/api/openapi.json" in o.inputs);
    expect(chunk, "the API bundles its document in a chunk of its own").toBeDefined();
    expect(loadedWithEntry(bundle)).not.toContain(chunk![1]);
    expect(chunk![1].bytes).toBeLessThan(16 * 1024);
    const committed: unknown = JSON.parse(
      readFileSync(new URL("../../functions/api/openapi.json", import.meta.url), "utf8"),
    );
    expect(((await import(resolve(chunk![0]))) as { default: unknown }).default).toEqual(committed);
  });

  it("bundles none of the planning-api's operations nor what writes the document into the API function", () => {
    const planning = bundles.get("planning-api")!.metafile.inputs["functions/planning-api/app.ts"]!;
    const planningRoutes = planning.imports.map((i) => i.path).filter((path) => path.includes("/routes/"));
    expect(planningRoutes.length).toBeGreaterThan(5);
    const inApi = modulesOf(bundles.get("api")!).flatMap(([, o]) =>
      Object.entries(o.inputs).flatMap(([path, input]) => (input.bytesInOutput > 0 ? [path] : [])),
    );
    expect(inApi).toContain("functions/api/routes/sessions.ts");
    expect(
      inApi.filter(
        (path) =>
          planningRoutes.includes(path) ||
          /openapi-document\.ts$|zod\/v4\/core\/(to-json-schema|json-schema-(generator|processors))\.js$/.test(
            path,
          ),
      ),
    ).toEqual([]);
  });
});

describe("runtime dependencies", () => {
  /** The dashboard's own (bundled by Vite for S3, not by a function). */
  const dashboard = new Set(["react", "react-dom"]);
  const packageOf = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];

  it("are exactly what the functions bundle, take from the Lambda runtime, or the dashboard uses", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const used = new Set<string>();
    for (const bundle of bundles.values())
      for (const output of Object.values(bundle.metafile.outputs)) {
        for (const path of Object.keys(output.inputs)) used.add(packageOf(path) ?? "");
        // The AWS SDK stays outside the bundles: the Lambda runtime provides it.
        for (const imported of output.imports)
          if (imported.external) used.add(/^((?:@[^/]+\/)?[^/]+)/.exec(imported.path)?.[1] ?? "");
      }
    const unused = Object.keys(pkg.dependencies).filter((name) => !used.has(name) && !dashboard.has(name));
    expect(unused, "runtime dependencies no function uses: make them devDependencies or drop them").toEqual(
      [],
    );
  });
});

describe("the bundles run", () => {
  const context = { awsRequestId: "bundle-smoke", functionName: "bundle-smoke" };
  const load = async (name: string) =>
    (
      (await import(bundles.get(name)!.file)) as {
        handler: (event: unknown, context: unknown) => Promise<unknown>;
      }
    ).handler;

  it("every bundle exports a handler", async () => {
    for (const entry of entries) expect(typeof (await load(entry.name)), entry.name).toBe("function");
  });

  it("no module calls require(), so an ES module bundle needs no createRequire banner", () => {
    for (const entry of entries)
      for (const [path] of modulesOf(bundles.get(entry.name)!))
        expect(/\brequire\s*\(/.test(readFileSync(resolve(path), "utf8")), path).toBe(false);
  });

  it("every chunk a function loads when its ports are composed loads, with the SDK clients it imports", async () => {
    for (const entry of entries) {
      const bundle = bundles.get(entry.name)!;
      const chunks = modulesOf(bundle).filter(([path]) => resolve(path) !== bundle.file);
      expect(chunks.length > 0 || entry.needs.length === 0, entry.name).toBe(true);
      for (const [path] of chunks) await expect(import(resolve(path)), path).resolves.toBeDefined();
    }
  });

  it("an event function validates the detail before anything else (zod is intact in the bundle)", async () => {
    const handler = await load("plan-session-reminders");
    const malformed = {
      id: "x",
      "detail-type": "SessionScheduled",
      source: "convene",
      detail: { type: "SessionScheduled" },
    };
    await expect(handler(malformed, context)).rejects.toMatchObject({ name: "MalformedEventError" });
  });

  it("the API function refuses to start without its environment", async () => {
    const handler = await load("api");
    await expect(handler({ version: "2.0", rawPath: "/api/v1/openapi.json" }, context)).rejects.toMatchObject(
      {
        name: "InvalidEnvironment",
      },
    );
  });

  it("the outbox relay unwraps an outbox record", async () => {
    const handler = await load("outbox-relay");
    const record = {
      eventName: "INSERT",
      dynamodb: { NewImage: { kind: { S: "outbox" }, detail: { S: '{"type":"SessionScheduled"}' } } },
    };
    await expect(handler([record], context)).resolves.toEqual([{ type: "SessionScheduled" }]);
  });

  it("the delivery-problem function rejects an SES report it cannot read, before touching the table", async () => {
    vi.stubEnv("TABLE_NAME", "bundle-smoke"); // its one variable; no request is made
    const handler = await load("record-delivery-problem");
    const unreadable = {
      id: "x",
      "detail-type": "Email Bounced",
      source: "aws.ses",
      detail: { eventType: "Bounce", mail: { messageId: "m-1" } },
    };
    await expect(handler(unreadable, context)).rejects.toMatchObject({
      name: "MalformedReportError",
      paths: ["bounce"],
    });
  });

  it("the delivery-problem function reads SMS events from SNS, and rejects one it cannot read", async () => {
    vi.stubEnv("TABLE_NAME", "bundle-smoke");
    const handler = await load("record-delivery-problem");
    const sns = (message: unknown) => ({
      Records: [{ EventSource: "aws:sns", Sns: { MessageId: "s-1", Message: JSON.stringify(message) } }],
    });
    // A passing failure needs no table: it is ignored as SNS delivered it.
    const passing = {
      eventType: "TEXT_UNREACHABLE",
      eventTimestamp: 1_700_000_000_000,
      isFinal: true,
      destinationPhoneNumber: "+447700900850",
      messageId: "m-1",
    };
    await expect(handler(sns(passing), context)).resolves.toEqual(["not-permanent"]);
    await expect(handler(sns({ eventType: "TEXT_INVALID" }), context)).rejects.toMatchObject({
      name: "MalformedReportError",
      paths: expect.arrayContaining(["destinationPhoneNumber", "eventTimestamp"]) as string[],
    });
  });
});
