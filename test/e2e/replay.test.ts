import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// Replay, as an EventBridge archive replay: every event the bus received in a time range is
// delivered again to every rule that matches it. The demo organisation's flows (sessions and
// reminders, roles and vacancies, votes, attendance, a bounce) plus a week of the clock give
// the archive hundreds of events; replaying all of them three times must send nothing and
// change nothing in the table: every handler is idempotent by business key.

let platform: Platform;
let local: ReturnType<typeof client>;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  platform = await launchPlatform();
  local = client(platform.url);
  dynamo = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${platform.ports[1]}`,
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});

afterAll(async () => {
  dynamo?.destroy();
  expect(await platform?.stop()).toBe(0);
});

/** Every item of the application's table, in a stable order (the bus keeps its own table). */
const tableState = async () => {
  const doc = DynamoDBDocumentClient.from(dynamo);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({ TableName: "convene", ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort();
};

const outbox = async () => (await local.get<{ emails: unknown[]; sms: unknown[] }>("/api/local/outbox")).body;

describe("replaying the archive", () => {
  it("three times over every event so far sends nothing and changes no item", async () => {
    // A week of the demo's life: reminders, a vacancy's volunteering closing, votes closing.
    expect((await local.post("/api/local/clock/advance", { days: 7 })).status).toBe(200);
    const before = { state: await tableState(), outbox: await outbox() };
    expect(before.outbox.emails.length).toBeGreaterThan(20);
    const to = new Date(Date.now() + 400 * 86_400_000).toISOString();
    const from = "2000-01-01T00:00:00.000Z";

    // Once through `npm run replay`, twice through the local API.
    const cli = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "infra/local/replay.ts", "--from", from, "--to", to],
      { env: { ...process.env, CONVENE_URL: platform.url } },
    );
    const replayed = Number(/: (\d+) events? re-delivered/.exec(cli.stdout)?.[1]);
    expect(replayed).toBeGreaterThan(50);
    for (let i = 0; i < 2; i++) {
      const r = await local.post<{ events: number }>("/api/local/replay", { from, to });
      expect(r.status).toBe(200);
      // At least as many: a replayed planner may schedule a trigger already past again (as
      // EventBridge Scheduler would fire it at once), and that one is archived on arrival.
      expect(r.body.events).toBeGreaterThanOrEqual(replayed);
    }

    const after = { state: await tableState(), outbox: await outbox() };
    expect(after.outbox.emails).toHaveLength(before.outbox.emails.length);
    expect(after.outbox.sms).toHaveLength(before.outbox.sms.length);
    expect(after.state.filter((i) => !before.state.includes(i))).toEqual([]);
    expect(before.state.filter((i) => !after.state.includes(i))).toEqual([]);
    expect((await local.get<{ items: unknown[] }>("/api/local/dead-letters")).body.items).toEqual([]);
  });

  it("refuses a range that is not one, and changes nothing", async () => {
    const bad = await local.post<{ title: string }>("/api/local/replay", {
      from: "2026-12-08T00:00:00Z",
      to: "2026-12-01T00:00:00Z",
    });
    expect(bad.status).toBe(400);
    expect((await local.post("/api/local/replay", { from: "yesterday", to: "today" })).status).toBe(400);
  });
});
