import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { startDynamoDbLocal } from "#infra/local/emulators/dynamodb-local.ts";
import { assertPortFree } from "#infra/local/emulators/process-group.ts";
import { seededRandom } from "#infra/local/fault-injection.ts";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// Crashes are part of correctness. The platform runs as `npm start` runs it; at seeded random
// moments (during a reminder fan-out to 80 members, during a vote's close, right after API
// writes were acknowledged, while the clock's state file is rewritten) its process is killed
// with SIGKILL, as the OOM killer or a Lambda timeout would, and started again on the same
// state folder. After each restart: nothing lost, and a message twice only inside the
// documented window (the provider accepted it and the sender died before marking its claim
// "sent"). Which claims were in that window is read straight from DynamoDB Local's files
// between the kill and the restart.
//
// CONVENE_CRASH_SEED picks other kill moments; each run prints the seed and the figures.

const seed = Number(process.env.CONVENE_CRASH_SEED ?? 20261207);
/** The seeded generator fault injection uses, so a failing run can be repeated exactly. */
const random = seededRandom(seed);
const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));

const stateDir = mkdtempSync(join(tmpdir(), "convene-crash-"));
// A short send lease, so a restarted platform re-sends what a dead one left "sending" quickly.
const env = { CONVENE_SENDING_LEASE_MS: "1500" };
const domain = `crash-${Date.now()}.example.org`;
const figures: string[] = [];

let platform: Platform;
let local: ReturnType<typeof client>;
let api: ReturnType<typeof client>;
let base = "";

interface OutboxEmail {
  to: string[];
  subject: string;
  text: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const connect = async (p: Platform) => {
  platform = p;
  local = client(p.url);
  if (base) api = local.withToken(await adminToken(base.split("/").at(-1)!));
};
const adminToken = async (organisationId: string) =>
  (await local.post<{ token: string }>("/api/local/tokens", { role: "umbrella-admin", organisationId })).body
    .token;

const now = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
const settle = async () => expect((await local.post("/api/local/settle")).status).toBe(200);
const advance = (minutes: number) => local.post("/api/local/clock/advance", { minutes });

/** Emails to this test's people whose subject matches, counted per recipient address. */
const addressOf = (to: string) => to.replace(/.*<|>.*/g, "");

/** This test's emails whose subject matches. */
const emailsBySubject = async (subject: RegExp) => {
  const { body } = await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox");
  return body.emails.filter(
    (e) => subject.test(e.subject) && e.to.some((to) => addressOf(to).endsWith(domain)),
  );
};

const countsBySubject = async (subject: RegExp) => {
  const counts = new Map<string, number>();
  for (const email of await emailsBySubject(subject))
    for (const to of email.to) {
      const address = addressOf(to);
      if (address.endsWith(domain)) counts.set(address, (counts.get(address) ?? 0) + 1);
    }
  return counts;
};

/** The signed link labelled `label` in an email's text. */
const linkIn = (email: OutboxEmail, label: string) => {
  const url = new RegExp(`${label}: (\\S+)`).exec(email.text)?.[1];
  expect(url, label).toBeDefined();
  return url!;
};

/**
 * Kills the platform (SIGKILL) `afterMs` after `action` started, without waiting for it.
 * Then, with every process of the dead platform gone, reads the delivery claims it left
 * "sending" from DynamoDB Local's own files, and starts the platform again.
 */
const crashDuring = async (action: () => Promise<unknown>, afterMs: number) => {
  const running = action().catch(() => undefined);
  await sleep(afterMs);
  await platform.kill();
  await running;
  // The watchdogs stop the dead platform's children; wait until every port is free.
  for (const port of platform.ports) {
    await expect
      .poll(
        () =>
          assertPortFree(port).then(
            () => true,
            () => false,
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
  }
  const sending = await claimsLeftSending();
  await connect(await launchPlatform(stateDir, env));
  return sending;
};

/** The partition keys of delivery claims still "sending": the sends a dead process may have made. */
const claimsLeftSending = async (): Promise<string[]> => {
  const dynamo = await startDynamoDbLocal({ dataDir: join(stateDir, "dynamodb") });
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const doc = DynamoDBDocumentClient.from(client);
    const keys: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new ScanCommand({
          TableName: "convene",
          FilterExpression: "kind = :delivery AND #state = :sending",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":delivery": "delivery", ":sending": "sending" },
          ExclusiveStartKey: start,
        }),
      );
      keys.push(...(out.Items ?? []).map((i) => String(i.PK)));
      start = out.LastEvaluatedKey;
    } while (start);
    return keys;
  } finally {
    client.destroy();
    await dynamo.stop();
  }
};

/** Lost (never sent) and duplicated recipients; each duplicate must have been left "sending". */
const verdict = (
  counts: Map<string, number>,
  members: Map<string, string>,
  sending: string[],
  label: string,
) => {
  const lost = [...members.keys()].filter((address) => !counts.has(address));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([address]) => address);
  const outsideWindow = duplicated.filter(
    (address) => !sending.some((pk) => pk.includes(members.get(address)!)) || counts.get(address)! > 2,
  );
  figures.push(
    `${label}: ${members.size} recipients, lost ${lost.length}, duplicated ${duplicated.length} ` +
      `(claims left "sending" at the kill: ${sending.length}; duplicates outside that window: ${outsideWindow.length})`,
  );
  expect(lost).toEqual([]);
  expect(outsideWindow).toEqual([]);
};

const addMembers = async (groupPath: string, prefix: string, count: number) => {
  const members = new Map<string, string>(); // address → member id
  const add = async (i: number) => {
    const email = `${prefix}${i}@${domain}`;
    const created = await api.post<{ id: string }>(`${base}/members`, {
      name: `Member ${prefix}${i}`,
      email,
      reminders: [{ channel: "email", offsetMinutes: 1440 }],
    });
    expect(created.status).toBe(201);
    expect((await api.put(`${groupPath}/members/${created.body.id}`)).status).toBe(204);
    members.set(email, created.body.id);
  };
  for (let i = 0; i < count; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) => add(i + j)));
  }
  return members;
};

const londonDay = (instant: Date, plusDays: number) =>
  new Date(instant.getTime() + plusDays * 86_400_000).toLocaleDateString("en-CA", {
    timeZone: "Europe/London",
  });

afterAll(async () => {
  console.log(`crash test, seed ${seed}:\n  ${figures.join("\n  ")}`);
  const code = await platform?.stop();
  expect(code).toBe(0);
  rmSync(stateDir, { recursive: true, force: true });
});

describe("killed at seeded random moments and started again", () => {
  let bigGroup = "";
  let big = new Map<string, string>();
  let burstGroup = "";
  let burst = new Map<string, string>();
  const burstSessions: string[] = [];
  let weeklyGroup = "";
  let weekly = new Map<string, string>();
  let weeklyStarts: number[] = [];

  it("sets up an organisation with a group of 80, a group of 5 and a weekly group of 3", async () => {
    await connect(await launchPlatform(stateDir, env));
    const platformToken = (
      await local.post<{ token: string }>("/api/local/tokens", { role: "platform-admin" })
    ).body.token;
    const org = await local.withToken(platformToken).post<{ id: string }>("/api/v1/organisations", {
      name: "Crash Network",
    });
    expect(org.status).toBe(201);
    base = `/api/v1/organisations/${org.body.id}`;
    api = local.withToken(await adminToken(org.body.id));
    const group = async (name: string) => {
      const created = await api.post<{ id: string }>(`${base}/groups`, { name, timeZone: "Europe/London" });
      expect(created.status).toBe(201);
      return `${base}/groups/${created.body.id}`;
    };
    bigGroup = await group("Evening Circle");
    burstGroup = await group("Burst Group");
    big = await addMembers(bigGroup, "big", 80);
    burst = await addMembers(burstGroup, "burst", 5);
    weeklyGroup = await group("Weekly Group");
    weekly = await addMembers(weeklyGroup, "weekly", 3);
    await settle();
  });

  it("keeps every session the API acknowledged, when killed right after the writes", async () => {
    const today = await now();
    for (let day = 10; day < 22; day++) {
      const created = await api.post<{ id: string }>(`${burstGroup}/sessions`, {
        title: `Burst meeting ${day}`,
        startLocal: `${londonDay(today, day)}T19:00`,
      });
      expect(created.status).toBe(201);
      burstSessions.push(created.body.id);
    }
    const killAfter = between(0, 150);
    await crashDuring(() => Promise.resolve(), killAfter);
    figures.push(
      `API writes: ${burstSessions.length} sessions acknowledged, killed ${killAfter} ms after the last 201`,
    );
    for (const id of burstSessions) expect((await api.get(`${burstGroup}/sessions/${id}`)).status).toBe(200);
  });

  for (const round of [1, 2]) {
    it(`sends each of 80 reminders once when killed during the fan-out (round ${round})`, async () => {
      const title = `Fan-out ${round}`;
      const start = new Date((await now()).getTime() + 3 * 86_400_000);
      const scheduled = await api.post<{ startsAt: string }>(`${bigGroup}/sessions`, {
        title,
        startLocal: `${londonDay(start, 0)}T12:00`,
      });
      expect(scheduled.status).toBe(201);
      await settle();
      const dueAt = Date.parse(scheduled.body.startsAt) - 86_400_000;
      const minutesToDue = (dueAt - (await now()).getTime()) / 60_000;
      expect((await advance(minutesToDue - 1)).status).toBe(200);

      const killAfter = between(30, 900);
      const sending = await crashDuring(() => advance(2), killAfter);
      await settle();
      verdict(
        await countsBySubject(new RegExp(`^Reminder: ${title},`)),
        big,
        sending,
        `fan-out ${round}, killed after ${killAfter} ms`,
      );
    });
  }

  it("closes a vote and tells all 80 its result once when killed during the close", async () => {
    const closesAt = new Date((await now()).getTime() + 86_400_000);
    const opened = await api.post<{ id: string }>(`${bigGroup}/votes`, {
      question: "Shall we meet fortnightly?",
      kind: "proposal",
      closesAt: closesAt.toISOString(),
      quorum: 0.1,
      threshold: 0.5,
      secrecy: "secret",
      reminderMinutesBeforeClose: 60,
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    await settle();
    expect((await advance((closesAt.getTime() - (await now()).getTime()) / 60_000 - 1)).status).toBe(200);

    const killAfter = between(20, 900);
    const sending = await crashDuring(() => advance(2), killAfter);
    await settle();
    const vote = await api.get<{ status: string }>(`${bigGroup}/votes/${opened.body.id}`);
    expect(vote.body.status).toBe("closed");
    const results = await countsBySubject(/^Vote result: Shall we meet fortnightly/);
    verdict(results, big, sending, `vote close, killed after ${killAfter} ms`);
  });

  it("makes a weekly series' 13 weeks of sessions once when killed while they are made", async () => {
    const made = await api.post<{ id: string }>(`${weeklyGroup}/series`, {
      title: "Weekly circle",
      startLocal: `${londonDay(await now(), 2)}T19:00`,
      rrule: "FREQ=WEEKLY",
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const killAfter = between(10, 900);
    await crashDuring(() => settle(), killAfter);
    await settle();
    const { body } = await api.get<{
      items: { id: string; startLocal: string; startsAt: string; title: string }[];
    }>(`${weeklyGroup}/sessions?limit=100`);
    const sessions = body.items.filter((s) => s.title === "Weekly circle");
    figures.push(
      `series: killed ${killAfter} ms into making its sessions; ${sessions.length} sessions after restart`,
    );
    expect(sessions).toHaveLength(13);
    expect(new Set(sessions.map((s) => s.startLocal)).size).toBe(13);
    expect(new Set(sessions.map((s) => s.startLocal.slice(11))).size).toBe(1);
    weeklyStarts = sessions.map((s) => Date.parse(s.startsAt));
  });

  it("records 80 answers to a session of 40 places and offers a freed place once, when killed while they come in", async () => {
    const day = londonDay(await now(), 5);
    const made = await api.post<{ id: string }>(`${bigGroup}/sessions`, {
      title: "Crowded meeting",
      startLocal: `${day}T18:00`,
    });
    expect(made.status).toBe(201);
    const sessionPath = `${bigGroup}/sessions/${made.body.id}`;
    expect((await api.put(`${sessionPath}/rsvp-settings`, { asked: true, capacity: 40 })).status).toBe(200);
    // Moved: every member's notice asks, with their own signed links.
    expect((await api.post(`${sessionPath}/reschedule`, { startLocal: `${day}T18:30` })).status).toBe(200);
    await settle();
    const asks = new Map<string, OutboxEmail>();
    for (const email of await emailsBySubject(/Crowded meeting/))
      if (email.text.includes("Yes, I'm coming:")) asks.set(addressOf(email.to[0]!), email);
    expect([...big.keys()].filter((a) => !asks.has(a))).toEqual([]);
    /** A member's signed link, on the platform running now (a restart listens on new ports). */
    const click = async (address: string, label: string) => {
      const link = new URL(linkIn(asks.get(address)!, label));
      return fetch(new URL(`${link.pathname}${link.search}`, platform.url), { method: "POST" });
    };

    // All 80 say yes, eight at a time, and the platform is killed while they do. Whoever got
    // no answer clicks again after the restart, as anyone would.
    const acknowledged = new Set<string>();
    const answerAll = async (addresses: string[]) => {
      for (let i = 0; i < addresses.length; i += 8)
        await Promise.all(
          addresses.slice(i, i + 8).map(async (a) => {
            const r = await click(a, "Yes, I'm coming").catch(() => undefined);
            if (r?.status === 200) acknowledged.add(a);
          }),
        );
    };
    const answerKill = between(100, 1500);
    const sending = await crashDuring(() => answerAll([...big.keys()]), answerKill);
    const retried = [...big.keys()].filter((a) => !acknowledged.has(a));
    await answerAll(retried);
    await settle();
    expect([...big.keys()].filter((a) => !acknowledged.has(a))).toEqual([]);
    const counts = async () =>
      (await api.get<{ counts: Record<string, number> }>(`${sessionPath}/rsvps`)).body.counts;
    expect(await counts()).toEqual({ yes: 40, maybe: 0, no: 0, waiting: 40 });
    // Each answer confirmed once: a yes given again after a lost response is not confirmed again.
    verdict(
      await countsBySubject(/^Your answer: Crowded meeting/),
      big,
      sending,
      `RSVP answers, killed after ${answerKill} ms (${retried.length} clicked again)`,
    );

    // A holder can't come after all: the first waiting is offered the place, once.
    const holder = (await emailsBySubject(/^Your answer: Crowded meeting/)).find(
      (e) => !e.text.includes("waiting list"),
    )!;
    expect((await click(addressOf(holder.to[0]!), "No, I can't come")).status).toBe(200);
    const offerKill = between(5, 300);
    const offering = await crashDuring(() => settle(), offerKill);
    await settle();
    const offers = await countsBySubject(/^A place for you: Crowded meeting/);
    figures.push(
      `RSVP offer, killed after ${offerKill} ms: offered to ${offers.size} member(s), ` +
        `${[...offers.values()].reduce((a, b) => a + b, 0)} email(s); claims left "sending": ${offering.length}`,
    );
    expect(offers.size).toBe(1);
    const [offered, times] = [...offers][0]!;
    const inWindow = offering.some((pk) => pk.includes(big.get(offered)!));
    expect(times).toBeLessThanOrEqual(inWindow ? 2 : 1);
    // The one offered still counts as waiting until they take the place.
    expect(await counts()).toEqual({ yes: 39, maybe: 0, no: 1, waiting: 40 });
  });

  it("starts again after a kill while the clock's state file is being rewritten, with no time lost", async () => {
    let acknowledged = (await local.get<{ offsetMs: number }>("/api/local/clock")).body.offsetMs;
    const killAfter = between(5, 400);
    await crashDuring(async () => {
      for (let i = 0; i < 200; i++) {
        const r = await local.post<{ offsetMs: number }>("/api/local/clock/advance", { minutes: 1 });
        if (r.status === 200) acknowledged = r.body.offsetMs;
      }
    }, killAfter);
    const after = (await local.get<{ offsetMs: number }>("/api/local/clock")).body.offsetMs;
    figures.push(
      `clock file: killed after ${killAfter} ms; offset acknowledged ${acknowledged} ms, after restart ${after} ms`,
    );
    expect(after).toBeGreaterThanOrEqual(acknowledged);
    expect(after).toBeLessThanOrEqual(acknowledged + 60_000);
  });

  it("then reminds the burst group of each acknowledged session once, and leaves no dead letters", async () => {
    const last = burstSessions.length + 10;
    // Past the reminders of every burst session (one day before each, 19:00 London).
    expect((await advance(last * 24 * 60)).status).toBe(200);
    for (let day = 10; day < last; day++) {
      const counts = await countsBySubject(new RegExp(`^Reminder: Burst meeting ${day},`));
      expect([...burst.keys()].map((a) => counts.get(a) ?? 0)).toEqual([1, 1, 1, 1, 1]);
    }
    // The weekly series: one reminder to each member for every session now a day away or less.
    const reminded = (await now()).getTime() + 86_400_000;
    const due = weeklyStarts.filter((start) => start <= reminded).length;
    expect(due).toBeGreaterThanOrEqual(3);
    const counts = await countsBySubject(/^Reminder: Weekly circle,/);
    expect([...weekly.keys()].map((a) => counts.get(a) ?? 0)).toEqual([due, due, due]);
    expect((await local.get<{ items: unknown[] }>("/api/local/dead-letters")).body.items).toEqual([]);
  });
});
