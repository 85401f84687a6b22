// The local stream poller (Pipes' stand-in) meets an outbox record the relay cannot read: it
// dead-letters it where the operator sees every local failure (`npm run deadletters`), logs it
// by its key alone, and moves on; a restart that reads the record again does not dead-letter it
// a second time. Against DynamoDB Local's real stream, through the real composition root.

import { randomUUID } from "node:crypto";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, inject, test } from "vitest";
import { outboxRecord } from "#adapters/aws/dynamodb/outbox-record.ts";
import {
  StreamPoller,
  UnreadableOutboxRecordError,
  type StreamCheckpoints,
} from "#adapters/local/stream-poller.ts";
import { unreadableRecordTarget } from "#adapters/local/unreadable-records.ts";
import { newEvent } from "#domain/new-event.ts";
import { composeLocalRuntime, ensureTable, type LocalRuntime } from "#infra/local/composition-root.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { LocalIdentityProvider } from "#infra/local/local-identity.ts";
import { localApi } from "#infra/local/local-api.ts";
import { aMemberToUnsubscribe, recordingLog } from "./local-runtime-fixtures.ts";

const settings = {
  publicBaseUrl: "http://127.0.0.1:3000",
  replyDomain: "reply.convene.test",
  fromAddress: "Convene <groups@convene.test>",
  linkSigningSecret: new TextEncoder().encode("unreadable-records-test-secret-32b!"),
};

/** What a member's record holds, and what no log line or dead letter's reason may repeat. */
const personal = { name: "Sam Private", email: "sam.private@example.org" };

/** Checkpoints kept in memory, as the state file keeps them; `failSaves` stands for a kill before the save. */
const memoryCheckpoints = () => {
  const state = { saved: {} as Record<string, string>, failSaves: false };
  const checkpoints: StreamCheckpoints = {
    load: () => Promise.resolve({ ...state.saved }),
    save: (positions) => {
      if (state.failSaves) return Promise.reject(new Error("killed before the checkpoint"));
      state.saved = { ...positions };
      return Promise.resolve();
    },
  };
  return { state, checkpoints };
};

const opened: LocalRuntime[] = [];
const clients: DynamoDBStreamsClient[] = [];
afterEach(() => {
  for (const runtime of opened.splice(0)) {
    runtime.dynamo.destroy();
    runtime.services.destroy();
  }
  for (const client of clients.splice(0)) client.destroy();
});

/** The real local runtime over `tableName`: a second call is the process after a restart. */
const start = async (tableName: string, checkpoints?: StreamCheckpoints) => {
  const { log, lines } = recordingLog();
  const runtime = await composeLocalRuntime({
    endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
    tableName,
    settings,
    log,
    retry: { maxAttempts: 3, baseDelayMs: 5 },
    checkpoints,
  });
  opened.push(runtime);
  return { runtime, lines };
};

/**
 * Writes an outbox record whose detail is not the event's JSON (as a bug or a hand edit might):
 * `detail` replaces the string the store writes. Returns the record's key.
 */
const writeUnreadable = async (runtime: LocalRuntime, o: string, memberId: string, detail: unknown) => {
  const event = newEvent(
    "MemberUnsubscribed",
    { organisationId: o, groupId: "g-1" },
    { memberId, channel: "email" },
    new Date(),
  );
  const item = { ...outboxRecord(event), detail };
  await runtime.store.doc.send(new PutCommand({ TableName: runtime.store.tableName, Item: item }));
  return item.PK;
};

/** JSON cut short, holding a member's address and name: the parser's message would quote them. */
const truncatedJson = `{"type":"MemberUnsubscribed","data":{"email":"${personal.email}","name":"${personal.name}"`;

const archivedIds = async (runtime: LocalRuntime) =>
  (await runtime.journal.archived(new Date(0), new Date(Date.now() + 86_400_000))).map((e) => e.id);

const unreadableLetters = async (runtime: LocalRuntime) =>
  (await runtime.deadLetters.list()).filter((l) => l.target === unreadableRecordTarget);

describe("an outbox record the local stream poller cannot read", () => {
  test("is dead-lettered with its key and what is wrong, logged without its content, and the records after it still reach the bus", async () => {
    const { runtime, lines } = await start(`convene-${randomUUID()}`);
    const { o, memberId, unsubscribe } = await aMemberToUnsubscribe(runtime, personal);
    const notJson = await writeUnreadable(runtime, o, memberId, truncatedJson);
    const notAString = await writeUnreadable(runtime, o, memberId, { email: personal.email });
    const good = await unsubscribe();

    await new LocalEngine(runtime).settle();

    // The good record behind them is on the bus, archived and handed to its routes.
    expect(await archivedIds(runtime)).toEqual([good.id]);
    expect(runtime.bus.publishedCount).toBe(1);
    // Both unreadable records are dead letters, and nothing else is.
    const letters = await runtime.deadLetters.list();
    expect(letters.map((l) => l.target)).toEqual([unreadableRecordTarget, unreadableRecordTarget]);
    const byKey = (pk: string) => letters.find((l) => l.reason.includes(pk));
    expect(byKey(notJson)).toMatchObject({
      attempts: 0,
      reason: `MalformedOutboxRecord: outbox record ${notJson} has a detail that is not JSON`,
      event: { type: "MemberUnsubscribed", image: { detail: { S: truncatedJson } } },
    });
    expect(byKey(notAString)).toMatchObject({
      attempts: 0,
      reason: `MalformedOutboxRecord: outbox record ${notAString} has a detail of type M, not a string`,
    });
    expect(runtime.metrics.snapshot()).toContainEqual({
      metric: "DeadLetters",
      dimensions: { target: unreadableRecordTarget },
      value: 2,
    });
    // One error line each, naming the record by its key; no line and no reason quotes the record.
    const errors = lines.filter((l) => l.message === "unreadable outbox record dead-lettered");
    expect(errors.map((l) => [l.level, l.fields?.outboxKey]).sort()).toEqual(
      [
        ["error", notJson],
        ["error", notAString],
      ].sort(),
    );
    const said = JSON.stringify([lines, letters.map((l) => l.reason)]);
    for (const value of Object.values(personal)) expect(said).not.toContain(value);

    // Read again, nothing more happens: the poller has moved past both.
    expect(await runtime.poller.drain()).toBe(0);
    expect(await runtime.deadLetters.list()).toHaveLength(2);
  });

  test("read again after a restart that came before the checkpoint moved, it is not dead-lettered twice", async () => {
    const tableName = `convene-${randomUUID()}`;
    const { state, checkpoints } = memoryCheckpoints();
    const first = await start(tableName, checkpoints);
    const { o, memberId, unsubscribe } = await aMemberToUnsubscribe(first.runtime, personal);
    await writeUnreadable(first.runtime, o, memberId, truncatedJson);
    const good = await unsubscribe();

    // The process dies after the dead letter and the hand-over, before saving its position.
    state.failSaves = true;
    await expect(first.runtime.poller.drain()).rejects.toThrow("killed before the checkpoint");
    await first.runtime.bus.idle();
    expect(state.saved).toEqual({});
    const [letter] = await unreadableLetters(first.runtime);
    expect(letter).toBeDefined();

    // The restarted process reads the record again from the old position.
    state.failSaves = false;
    const second = await start(tableName, checkpoints);
    await new LocalEngine(second.runtime).settle();
    expect(await unreadableLetters(second.runtime)).toEqual([letter]);
    expect(second.lines.filter((l) => l.level === "error")).toEqual([]);
    expect(second.lines.map((l) => l.message)).toContain("unreadable outbox record already dead-lettered");
    expect(await archivedIds(second.runtime)).toContain(good.id);
    expect(Object.keys(state.saved)).not.toHaveLength(0);

    // A third start, from the saved position, reads neither record again.
    const third = await start(tableName, checkpoints);
    expect(await third.runtime.poller.drain()).toBe(0);
    expect(third.lines.map((l) => l.message)).not.toContain("unreadable outbox record already dead-lettered");
    expect(await unreadableLetters(third.runtime)).toEqual([letter]);
  });

  test("is listed by the local API, and a redrive that still cannot read it keeps the letter", async () => {
    const { runtime } = await start(`convene-${randomUUID()}`);
    const { o, memberId } = await aMemberToUnsubscribe(runtime, personal);
    const key = await writeUnreadable(runtime, o, memberId, truncatedJson);
    const engine = new LocalEngine(runtime);
    await engine.settle();
    const api = localApi({
      runtime,
      engine,
      identity: await LocalIdentityProvider.create(),
      sesEndpoint: inject("sesEndpoint"),
      smsEndpoint: inject("smsEndpoint"),
    });

    const listed = (await (await api.request("/dead-letters")).json()) as {
      items: { id: string; reason: string }[];
    };
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]!.reason).toContain(key);
    const redrive = await api.request(`/dead-letters/${encodeURIComponent(listed.items[0]!.id)}/redrive`, {
      method: "POST",
    });
    expect(redrive.status).toBe(409);
    expect(await redrive.json()).toMatchObject({ detail: "a detail that is not JSON" });
    expect(await runtime.deadLetters.list()).toHaveLength(1);
  });

  test("without a dead-letter store, stops the poller where it is instead of skipping the record", async () => {
    const { runtime } = await start(`convene-${randomUUID()}`);
    const { o, memberId, unsubscribe } = await aMemberToUnsubscribe(runtime, personal);
    const { state, checkpoints } = memoryCheckpoints();
    await writeUnreadable(runtime, o, memberId, 42);
    await unsubscribe();
    const streams = new DynamoDBStreamsClient({
      endpoint: inject("dynamoEndpoint"),
      region: "eu-west-2",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    clients.push(streams);
    const handedOver: unknown[] = [];
    const poller = new StreamPoller(
      streams,
      await ensureTable(runtime.dynamo, runtime.store.tableName),
      (events) => Promise.resolve(void handedOver.push(...events)),
      checkpoints,
    );
    await expect(poller.drain()).rejects.toThrow(UnreadableOutboxRecordError);
    await expect(poller.drain()).rejects.toThrow(/has a detail of type N, not a string/);
    expect(handedOver).toEqual([]);
    expect(state.saved).toEqual({});
  });
});
