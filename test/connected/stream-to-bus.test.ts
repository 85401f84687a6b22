// The local stand-ins for Pipes, EventBridge and Scheduler against DynamoDB Local's real
// stream: StreamPoller → LocalEventBus (retries, dead letters, redrive) → handlers, the
// TableScheduler's persisted schedules, and the LocalEngine that drives them with the clock.
// Each test gets a table of its own, so no stream carries another test's records.

import { randomUUID } from "node:crypto";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { BatchWriteCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, inject, test, vi } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { routes } from "#functions/routing.ts";
import { composeLocalRuntime, ensureTable, type LocalRuntime } from "#infra/local/composition-root.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { outboxRecord } from "#adapters/aws/dynamodb/outbox-record.ts";
import { LocalEventBus, type LocalRoute, type ReplayedEvent } from "#adapters/local/local-event-bus.ts";
import { StreamPoller, type StreamCheckpoints } from "#adapters/local/stream-poller.ts";
import { toBusEvent, type BusEvent, type EventHandler } from "#bus/bus-event.ts";
import { UnsupportedEventPatternError } from "#bus/event-pattern.ts";
import { newEvent } from "#domain/new-event.ts";
import { deliverOnce } from "#delivery/deliver-once.ts";
import { defaultSendingLeaseMs } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { aMemberToUnsubscribe, recordingLog } from "./local-runtime-fixtures.ts";

const settings = {
  publicBaseUrl: "http://127.0.0.1:3000",
  replyDomain: "reply.convene.test",
  fromAddress: "Convene <groups@convene.test>",
  linkSigningSecret: new TextEncoder().encode("stream-to-bus-test-secret-of-32-bytes!"),
};

const fast = { maxAttempts: 3, baseDelayMs: 5 };

/** Handlers that only note what reached them. */
const record =
  (into: ConveneEvent[]): EventHandler =>
  (event) => {
    into.push(event);
    return Promise.resolve();
  };
const recordId =
  (into: string[]): EventHandler =>
  (event) => {
    into.push(event.id);
    return Promise.resolve();
  };
/** A poller's hand-over that notes the ids of the events it received. */
const collect =
  (into: string[]) =>
  (events: unknown[]): Promise<void> => {
    into.push(...events.map((e) => (e as ConveneEvent).id));
    return Promise.resolve();
  };
const onType = (type: string) => ({ source: ["convene"], "detail-type": [type] });

const opened: LocalRuntime[] = [];
afterEach(() => {
  for (const runtime of opened.splice(0)) runtime.dynamo.destroy();
});

/** The real local runtime (real routes and handlers) on a fresh table. */
const realRuntime = async (checkpoints?: StreamCheckpoints) => {
  const { log, lines } = recordingLog();
  const runtime = await composeLocalRuntime({
    endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
    tableName: `convene-${randomUUID()}`,
    settings,
    log,
    retry: fast,
    checkpoints,
  });
  opened.push(runtime);
  return { runtime, lines };
};

const streamsClients: DynamoDBStreamsClient[] = [];
afterEach(() => {
  for (const client of streamsClients.splice(0)) client.destroy();
});

/** A stream poller of its own over a runtime's table, as a restarted process would build. */
const pollerFor = async (
  runtime: LocalRuntime,
  onEvents: (events: unknown[]) => Promise<void>,
  checkpoints?: StreamCheckpoints,
) => {
  const streams = new DynamoDBStreamsClient({
    endpoint: inject("dynamoEndpoint"),
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  streamsClients.push(streams);
  const streamArn = await ensureTable(runtime.dynamo, runtime.store.tableName);
  return new StreamPoller(streams, streamArn, onEvents, checkpoints);
};

/**
 * The real runtime with the bus routing to the given handlers instead: the poller, the bus,
 * the dead-letter store and the scheduler are the real classes.
 */
const runtimeWith = async (
  handlers: Record<string, EventHandler>,
  testRoutes: LocalRoute[],
  checkpoints?: StreamCheckpoints,
) => {
  const { runtime: base, lines } = await realRuntime(checkpoints);
  const bus = new LocalEventBus({
    routes: testRoutes,
    handlers,
    journal: base.journal,
    deadLetters: base.deadLetters,
    log: base.ports.log,
    metrics: base.metrics,
    now: () => base.clock.now(),
    retry: fast,
  });
  const publish = (events: readonly unknown[]) =>
    bus.publish(events.map((e) => toBusEvent(e as ConveneEvent)));
  const poller = await pollerFor(base, publish, checkpoints);
  const runtime: LocalRuntime = { ...base, bus, publish, poller };
  return { runtime, lines };
};

const settle = async (runtime: LocalRuntime) => {
  await runtime.poller.drain();
  await runtime.bus.idle();
};

const tableItems = async (runtime: LocalRuntime) => {
  const out = await runtime.store.doc.send(
    new ScanCommand({ TableName: runtime.store.tableName, ConsistentRead: true }),
  );
  return out.Items ?? [];
};

// --- stream → bus -------------------------------------------------------------------------

describe("stream poller and bus", () => {
  test("an outbox record written by the store reaches its handler exactly once", async () => {
    const seen: ConveneEvent[] = [];
    const { runtime } = await runtimeWith({ audit: record(seen) }, [
      { target: "audit", pattern: onType("MemberUnsubscribed") },
    ]);
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    const event = await unsubscribe();

    await settle(runtime);
    expect(seen).toEqual([event]);
    // Polling again finds nothing new: no second delivery.
    expect(await runtime.poller.drain()).toBe(0);
    await runtime.bus.idle();
    expect(seen).toHaveLength(1);
  });

  test("writes that are not outbox records are not forwarded", async () => {
    const seen: ConveneEvent[] = [];
    const { runtime } = await runtimeWith({ all: record(seen) }, [
      { target: "all", pattern: { source: ["convene"] } },
    ]);
    await aMemberToUnsubscribe(runtime); // organisation + member
    await runtime.store.claimDelivery("o-1", "reminder#1", new Date(), new Date(Date.now() + 60_000));
    await runtime.scheduler.scheduleOnce({
      name: "rem-not-forwarded",
      at: new Date(Date.now() + 3_600_000),
      timeZone: "Europe/London",
      event: newEvent(
        "SessionReminderDue",
        { organisationId: "o-1", groupId: "g-1" },
        { sessionId: "s-1", sessionVersion: 1, dueAt: new Date(Date.now() + 3_600_000).toISOString() },
        new Date(),
      ),
    });

    expect(await runtime.poller.drain()).toBe(0);
    await runtime.bus.idle();
    expect(seen).toEqual([]);
    expect(runtime.bus.publishedCount).toBe(0);
  });

  test("an outbox record behind more than one page (1000) of other writes is still drained", async () => {
    const seen: ConveneEvent[] = [];
    const { runtime } = await runtimeWith({ audit: record(seen) }, [
      { target: "audit", pattern: onType("MemberUnsubscribed") },
    ]);
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    // 1 050 delivery claims, as a reminder to a big group writes, then one event.
    const claims = Array.from({ length: 1050 }, (_, i) => ({
      PK: `ORG#o-1#DELIVERY#k${i}`,
      SK: "DELIVERY",
      kind: "delivery",
    }));
    for (let i = 0; i < claims.length; i += 25) {
      await runtime.store.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [runtime.store.tableName]: claims.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    const event = await unsubscribe();

    expect(await runtime.poller.drain()).toBe(1);
    await runtime.bus.idle();
    expect(seen).toEqual([event]);
  });

  test("a handler that throws twice then succeeds is tried three times and succeeds once", async () => {
    let attempts = 0;
    const succeeded: string[] = [];
    const { runtime, lines } = await runtimeWith(
      {
        flaky: (e) => {
          attempts++;
          if (attempts <= 2) return Promise.reject(new Error(`transient failure ${attempts}`));
          succeeded.push(e.id);
          return Promise.resolve();
        },
      },
      [{ target: "flaky", pattern: onType("MemberUnsubscribed") }],
    );
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    const event = await unsubscribe();

    await settle(runtime);
    expect(attempts).toBe(3);
    expect(succeeded).toEqual([event.id]);
    expect(await runtime.deadLetters.list()).toEqual([]);
    const retries = lines.filter((l) => l.message === "handler failed, will retry");
    expect(retries.map((l) => l.fields?.attempt)).toEqual([1, 2]);
  });

  test("two deliveries of one message at once: the second waits for the first's send, not for its lease to lapse", async () => {
    const sends: string[] = [];
    let leaseEnds = Number.POSITIVE_INFINITY;
    const built: { runtime?: LocalRuntime } = {};
    // Two targets send the same message (as two triggers due together do): one claims it, the
    // other finds its lease live (DeliveryInFlightError) and is delivered again.
    const sendOnce: EventHandler = async (event) => {
      await deliverOnce(
        built.runtime!.store,
        event.organisationId,
        `same-message#${event.id}`,
        new Date(),
        async () => {
          leaseEnds = Math.min(leaseEnds, Date.now() + defaultSendingLeaseMs);
          await new Promise((r) => setTimeout(r, 200));
          sends.push(event.id);
        },
      );
    };
    const { runtime, lines } = await runtimeWith({ first: sendOnce, second: sendOnce }, [
      { target: "first", pattern: onType("MemberUnsubscribed") },
      { target: "second", pattern: onType("MemberUnsubscribed") },
    ]);
    built.runtime = runtime;
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    const event = await unsubscribe();

    await settle(runtime);
    expect(sends).toEqual([event.id]);
    expect(lines.filter((l) => l.message === "delivery waits for a send lease").length).toBeGreaterThan(0);
    // It looked again while the lease was live and found the message sent.
    expect(Date.now()).toBeLessThan(leaseEnds);
    expect(await runtime.deadLetters.list()).toEqual([]);
  });

  test("a handler that always throws ends in the dead-letter store; redrive delivers it again", async () => {
    let failing = true;
    let attempts = 0;
    const delivered: string[] = [];
    const alsoSeen: string[] = [];
    const { runtime } = await runtimeWith(
      {
        broken: (e) => {
          attempts++;
          if (failing) return Promise.reject(new RangeError("no such venue"));
          delivered.push(e.id);
          return Promise.resolve();
        },
        healthy: recordId(alsoSeen),
      },
      [
        { target: "broken", pattern: onType("MemberUnsubscribed") },
        { target: "healthy", pattern: onType("MemberUnsubscribed") },
      ],
    );
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    const event = await unsubscribe();

    await settle(runtime);
    expect(attempts).toBe(3);
    expect(delivered).toEqual([]);
    expect(alsoSeen).toEqual([event.id]);
    const letters = await runtime.deadLetters.list();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ target: "broken", attempts: 3, reason: "RangeError: no such venue" });
    expect(runtime.metrics.snapshot()).toEqual([
      { metric: "DeadLetters", dimensions: { target: "broken" }, value: 1 },
    ]);
    expect((letters[0]!.event as BusEvent).detail).toEqual(event);

    failing = false;
    const letter = await runtime.deadLetters.take(letters[0]!.id);
    expect(letter).toBeDefined();
    await runtime.bus.redrive(letter!.target, letter!.event as BusEvent);
    await runtime.bus.idle();
    expect(delivered).toEqual([event.id]);
    // Redrive goes to the failed target only.
    expect(alsoSeen).toEqual([event.id]);
    expect(await runtime.deadLetters.list()).toEqual([]);
    expect(await runtime.deadLetters.take(letters[0]!.id)).toBeUndefined();
  });

  test("a malformed event goes to the dead letters untouched by any handler, and changes nothing", async () => {
    const seen: string[] = [];
    const { runtime } = await runtimeWith({ audit: recordId(seen) }, [
      { target: "audit", pattern: onType("MemberUnsubscribed") },
    ]);
    const { o, memberId } = await aMemberToUnsubscribe(runtime);
    const valid = newEvent(
      "MemberUnsubscribed",
      { organisationId: o, groupId: "g-1" },
      { memberId, channel: "email" },
      new Date(),
    );
    const malformed = { ...valid, data: { memberId } }; // no channel
    await runtime.store.doc.send(
      new PutCommand({
        TableName: runtime.store.tableName,
        Item: { ...outboxRecord(valid), detail: JSON.stringify(malformed) },
      }),
    );
    const before = await tableItems(runtime);

    await settle(runtime);
    expect(seen).toEqual([]);
    const letters = await runtime.deadLetters.list();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ target: "audit", attempts: 0 });
    expect(letters[0]!.reason).toMatch(/^MalformedEventError: malformed MemberUnsubscribed/);
    expect(letters[0]!.reason).toContain("channel");
    const after = await tableItems(runtime);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toHaveLength(before.length);
  });

  test("the real runtime dead-letters a malformed outbox event before any handler sees it", async () => {
    const { runtime } = await realRuntime();
    const engine = new LocalEngine(runtime);
    const o = randomUUID();
    const groupId = randomUUID();
    // A SessionScheduled without a session version: the planner would create schedules.
    const event = newEvent(
      "SessionScheduled",
      { organisationId: o, groupId },
      {
        session: {
          id: randomUUID(),
          version: 1,
          title: "Monthly meeting",
          startLocal: "2030-03-10T19:00",
          timeZone: "Europe/London",
          durationMinutes: 90,
          duties: [],
        },
      },
      new Date(),
    );
    const { version: _dropped, ...sessionWithoutVersion } = event.data.session;
    const malformed = { ...event, data: { session: sessionWithoutVersion } };
    await runtime.store.doc.send(
      new PutCommand({
        TableName: runtime.store.tableName,
        Item: { ...outboxRecord(event), detail: JSON.stringify(malformed) },
      }),
    );

    await engine.settle();
    // The dead letter is durable before the poller moves past the record.
    expect(await runtime.deadLetters.list()).toHaveLength(1);
    const [letter] = await runtime.deadLetters.list();
    expect(letter).toMatchObject({ target: "bus", attempts: 0, event: malformed });
    expect(letter!.reason).toMatch(/malformed SessionScheduled/);
    expect(runtime.metrics.snapshot()).toEqual([
      { metric: "DeadLetters", dimensions: { target: "bus" }, value: 1 },
    ]);
    expect(runtime.bus.publishedCount).toBe(0);
    expect(await runtime.scheduler.count()).toBe(0);
  });

  test("a new poller with the saved checkpoint does not deliver old records again", async () => {
    let saved: Record<string, string> = {};
    const checkpoints: StreamCheckpoints = {
      load: () => Promise.resolve({ ...saved }),
      save: (positions) => {
        saved = { ...positions };
        return Promise.resolve();
      },
    };
    const seen: string[] = [];
    const { runtime } = await runtimeWith(
      { audit: recordId(seen) },
      [{ target: "audit", pattern: onType("MemberUnsubscribed") }],
      checkpoints,
    );
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    const first = await unsubscribe("email");
    await settle(runtime);
    expect(seen).toEqual([first.id]);
    expect(Object.keys(saved)).not.toHaveLength(0);

    const second = await unsubscribe("sms");
    const resumed: string[] = [];
    const restarted = await pollerFor(runtime, collect(resumed), checkpoints);
    expect(await restarted.drain()).toBe(1);
    expect(resumed).toEqual([second.id]);

    // Without the checkpoint the stream is read from its start: both come again.
    const fromStart: string[] = [];
    const fresh = await pollerFor(runtime, collect(fromStart));
    expect(await fresh.drain()).toBe(2);
    expect(fromStart).toEqual([first.id, second.id]);
  });

  test("an unsupported operator in a route fails when the bus is built", async () => {
    const { runtime } = await realRuntime();
    const busWith = (routes: LocalRoute[], handlers: Record<string, EventHandler>) =>
      new LocalEventBus({
        routes,
        handlers,
        journal: runtime.journal,
        deadLetters: runtime.deadLetters,
        log: runtime.ports.log,
        metrics: runtime.metrics,
        now: () => new Date(),
      });
    const build = () =>
      busWith(
        [{ target: "audit", pattern: { source: ["convene"], detail: { ip: [{ cidr: "10.0.0.0/24" }] } } }],
        { audit: recordId([]) },
      );
    expect(build).toThrow(UnsupportedEventPatternError);
    expect(build).toThrow(/cidr/);
    expect(() => busWith([{ target: "nobody", pattern: onType("MemberUnsubscribed") }], {})).toThrow(
      /no handler/,
    );
    // The real routing table compiles.
    expect(runtime.bus).toBeInstanceOf(LocalEventBus);
    expect(routes.length).toBeGreaterThan(0);
  });
});

// --- scheduler and engine ------------------------------------------------------------------

describe("table scheduler and local engine", () => {
  const reminderDue = (o: string, at: Date) =>
    newEvent(
      "SessionReminderDue",
      { organisationId: o, groupId: "g-1" },
      { sessionId: randomUUID(), sessionVersion: 1, dueAt: at.toISOString() },
      new Date(),
    );

  test("a schedule persists once by name and falls due only when the clock passes it", async () => {
    const { runtime } = await realRuntime();
    const at = new Date(Date.now() + 3_600_000);
    const event = reminderDue("o-1", at);
    await runtime.scheduler.scheduleOnce({ name: "rem-once", at, timeZone: "Europe/London", event });
    // The same name again (a redelivered planner) keeps the first schedule as it was.
    await runtime.scheduler.scheduleOnce({
      name: "rem-once",
      at: new Date(at.getTime() - 600_000),
      timeZone: "Europe/London",
      event: reminderDue("o-1", at),
    });
    expect(await runtime.scheduler.count()).toBe(1);

    expect(await runtime.scheduler.due(new Date(at.getTime() - 1))).toEqual([]);
    expect(await runtime.scheduler.due(new Date(at.getTime() - 600_000))).toEqual([]);
    expect(await runtime.scheduler.due(at)).toEqual([{ name: "rem-once", event }]);
    expect(await runtime.scheduler.due(new Date(at.getTime() + 86_400_000))).toEqual([
      { name: "rem-once", event },
    ]);

    await runtime.scheduler.delete("rem-once");
    expect(await runtime.scheduler.count()).toBe(0);
    expect(await runtime.scheduler.due(new Date(at.getTime() + 86_400_000))).toEqual([]);
  });

  test("advance() fires a due schedule onto the bus and returns after every handler it caused", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const fired: string[] = [];
    // The handlers need the runtime they are part of; it exists once they are wired.
    const wired: { runtime?: LocalRuntime; unsubscribe?: () => Promise<ConveneEvent> } = {};
    const claim = async (o: string, key: string) =>
      (await wired.runtime!.store.claimDelivery(o, key, new Date(), new Date(Date.now() + 60_000))) ===
      "claimed";
    const { runtime } = await runtimeWith(
      {
        // Takes its time, then writes state and an event of its own (through the outbox).
        remind: async (e) => {
          fired.push(e.id);
          await sleep(50);
          await claim(e.organisationId, `remind#${e.id}`);
          await wired.unsubscribe!();
        },
        // Reached only through the stream, after remind has finished.
        followUp: async (e) => {
          await sleep(50);
          await claim(e.organisationId, `follow-up#${e.id}`);
        },
      },
      [
        { target: "remind", pattern: onType("SessionReminderDue") },
        { target: "followUp", pattern: onType("MemberUnsubscribed") },
      ],
    );
    wired.runtime = runtime;
    const member = await aMemberToUnsubscribe(runtime);
    wired.unsubscribe = () => member.unsubscribe();
    const engine = new LocalEngine(runtime);

    const at = new Date(runtime.clock.now().getTime() + 3_600_000);
    const event = reminderDue(member.o, at);
    await runtime.scheduler.scheduleOnce({ name: "rem-engine", at, timeZone: "Europe/London", event });

    await engine.advance(59 * 60_000);
    expect(fired).toEqual([]);
    expect(await runtime.scheduler.count()).toBe(1);

    await engine.advance(2 * 60_000);
    expect(fired).toEqual([event.id]);
    // Both effects are already visible: a claim of the same key now loses.
    expect(await claim(member.o, `remind#${event.id}`)).toBe(false);
    const followUps = (await tableItems(runtime)).filter((i) =>
      String(i.PK).includes("#DELIVERY#follow-up#"),
    );
    expect(followUps).toHaveLength(1);
    // The schedule deleted itself; advancing again fires nothing.
    expect(await runtime.scheduler.count()).toBe(0);
    await engine.advance(60 * 60_000);
    expect(fired).toEqual([event.id]);
  });
});

// --- durability: what a process that dies leaves behind --------------------------------------

describe("the bus journal across a restart", () => {
  /** A second bus over the same journal, as the restarted process builds it. */
  const restartedBus = (
    runtime: LocalRuntime,
    handlers: Record<string, EventHandler>,
    routes: LocalRoute[],
  ) =>
    new LocalEventBus({
      routes,
      handlers,
      journal: runtime.journal,
      deadLetters: runtime.deadLetters,
      log: runtime.ports.log,
      metrics: runtime.metrics,
      now: () => runtime.clock.now(),
      retry: fast,
    });

  test("a delivery whose handler never finished is resumed by the next process, then removed", async () => {
    const route = [{ target: "audit", pattern: onType("MemberUnsubscribed") }];
    // The first process's handler never returns: the process "dies" with it under way.
    const { runtime } = await runtimeWith({ audit: () => new Promise<void>(() => {}) }, route);
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    const event = await unsubscribe();
    await runtime.poller.drain();
    expect((await runtime.journal.pending()).map((d) => d.id)).toEqual([`${event.id}#audit`]);

    const seen: string[] = [];
    const bus = restartedBus(runtime, { audit: recordId(seen) }, route);
    expect(await bus.resume()).toBe(1);
    await bus.idle();
    expect(seen).toEqual([event.id]);
    expect(await runtime.journal.pending()).toEqual([]);
  });

  test("a restart goes on counting attempts: two failures before, one after, then the dead letter", async () => {
    const route = [{ target: "broken", pattern: onType("MemberUnsubscribed") }];
    let attempts = 0;
    const failing: EventHandler = () => {
      attempts++;
      return attempts < 3 ? Promise.reject(new Error("down")) : new Promise<void>(() => {});
    };
    const { runtime } = await runtimeWith({ broken: failing }, route);
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    await unsubscribe();
    await runtime.poller.drain();
    await vi.waitFor(async () => expect((await runtime.journal.pending())[0]?.attempts).toBe(2));

    const bus = restartedBus(runtime, { broken: () => Promise.reject(new Error("still down")) }, route);
    await bus.resume();
    await bus.idle();
    expect(await runtime.journal.pending()).toEqual([]);
    const letters = await runtime.deadLetters.list();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ target: "broken", attempts: 3, reason: "Error: still down" });
  });

  test("the poller keeps its checkpoint until the bus has the batch: a failed hand-over is read again", async () => {
    let saved: Record<string, string> = {};
    const checkpoints: StreamCheckpoints = {
      load: () => Promise.resolve({ ...saved }),
      save: (positions) => {
        saved = { ...positions };
        return Promise.resolve();
      },
    };
    const { runtime } = await realRuntime();
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    const event = await unsubscribe();
    const failingHandOver = await pollerFor(
      runtime,
      () => Promise.reject(new Error("bus unreachable")),
      checkpoints,
    );
    await expect(failingHandOver.drain()).rejects.toThrow("bus unreachable");
    expect(saved).toEqual({});

    const received: string[] = [];
    const restarted = await pollerFor(runtime, collect(received), checkpoints);
    await restarted.drain();
    expect(received).toContain(event.id);
    expect(Object.keys(saved)).not.toHaveLength(0);
  });

  test("a due schedule stays until the bus holds its event", async () => {
    const { runtime } = await realRuntime();
    const at = new Date(runtime.clock.now().getTime() + 60_000);
    const event = newEvent(
      "SessionReminderDue",
      { organisationId: "o-1", groupId: "g-1" },
      { sessionId: randomUUID(), sessionVersion: 1, dueAt: at.toISOString() },
      new Date(),
    );
    await runtime.scheduler.scheduleOnce({ name: "rem-durable", at, timeZone: "Europe/London", event });
    const broken: LocalRuntime = {
      ...runtime,
      publish: () => Promise.reject(new Error("journal unreachable")),
    };
    await expect(new LocalEngine(broken).advance(120_000)).rejects.toThrow("journal unreachable");
    expect(await runtime.scheduler.count()).toBe(1);

    await new LocalEngine(runtime).settle();
    expect(await runtime.scheduler.count()).toBe(0);
    expect(
      (await runtime.journal.archived(new Date(0), new Date(Date.now() + 86_400_000))).map((e) => e.id),
    ).toContain(event.id);
  });

  test("replay re-delivers the archived events of a time range, marked with the replay's name", async () => {
    const seen: ReplayedEvent[] = [];
    const { runtime } = await runtimeWith({ audit: (e) => Promise.resolve(void seen.push(toBusEvent(e))) }, [
      { target: "audit", pattern: onType("MemberUnsubscribed") },
    ]);
    const { unsubscribe } = await aMemberToUnsubscribe(runtime);
    const from = runtime.clock.now();
    const first = await unsubscribe("email");
    await settle(runtime);
    const to = runtime.clock.now();
    runtime.clock.advance(60_000);
    await unsubscribe("sms");
    await settle(runtime);
    expect(seen).toHaveLength(2);

    const replayed: string[] = [];
    const bus = restartedBus(runtime, { audit: recordId(replayed) }, [
      { target: "audit", pattern: onType("MemberUnsubscribed") },
    ]);
    const { replayName, events } = await bus.replay(from, new Date(to.getTime() + 1));
    await bus.idle();
    expect(events).toBe(1);
    expect(replayName).toMatch(/^replay-/);
    expect(replayed).toEqual([first.id]);
    // A replayed event is not archived again.
    expect(await runtime.journal.archived(new Date(0), new Date(Date.now() + 86_400_000))).toHaveLength(2);
  });
});
