// deliverOnce and deliverEach against DynamoDB Local: the "sending" → "sent" claim with a lease,
// what a redelivery does after a sender died at each point, and a fan-out with one bad address.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { ensureTable } from "#infra/local/composition-root.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import {
  DeliveriesIncompleteError,
  DeliveryInFlightError,
  deliverEach,
  deliverOnce,
  sendConcurrency,
} from "#delivery/deliver-once.ts";

const leaseMs = 5_000;
let dynamo: DynamoDBClient;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const tableName = `convene-${randomUUID()}`;
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName, leaseMs);
});

afterAll(() => dynamo?.destroy());

const t0 = new Date("2030-01-15T09:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

/** A provider that records what it accepted, and can be told to fail or to "die" mid-send. */
const provider = () => {
  const accepted: string[] = [];
  return {
    accepted,
    send: (what: string) => () => Promise.resolve(void accepted.push(what)),
    refuse: () => () => Promise.reject(new Error("MessageRejected")),
  };
};

describe("deliverOnce", () => {
  test("sends once; a redelivery after 'sent' sends nothing, however late", async () => {
    const o = randomUUID();
    const p = provider();
    expect(await deliverOnce(store, o, "k", t0, p.send("m"))).toBe("sent");
    expect(await deliverOnce(store, o, "k", at(leaseMs * 1000), p.send("m"))).toBe("already-sent");
    expect(p.accepted).toEqual(["m"]);
  });

  test("a sender that died after claiming and before sending: the redelivery after the lease sends", async () => {
    const o = randomUUID();
    const p = provider();
    // The process died between the claim and the send: the claim is left "sending".
    expect(await store.claimDelivery(o, "k", t0, at(86_400_000))).toBe("claimed");
    // While the lease lives the redelivery must wait (the sender might only be slow).
    await expect(deliverOnce(store, o, "k", at(leaseMs - 1), p.send("m"))).rejects.toEqual(
      new DeliveryInFlightError(at(leaseMs)),
    );
    expect(p.accepted).toEqual([]);
    expect(await deliverOnce(store, o, "k", at(leaseMs + 1), p.send("m"))).toBe("sent");
    expect(p.accepted).toEqual(["m"]);
  });

  test("a sender that died after the provider accepted and before marking 'sent': one duplicate, the documented window", async () => {
    const o = randomUUID();
    const p = provider();
    expect(await store.claimDelivery(o, "k", t0, at(86_400_000))).toBe("claimed");
    await p.send("m")(); // accepted, then the process died
    expect(await deliverOnce(store, o, "k", at(leaseMs + 1), p.send("m"))).toBe("sent");
    expect(await deliverOnce(store, o, "k", at(leaseMs * 3), p.send("m"))).toBe("already-sent");
    expect(p.accepted).toEqual(["m", "m"]);
  });

  test("a failed send gives the claim back, so the retry sends", async () => {
    const o = randomUUID();
    const p = provider();
    await expect(deliverOnce(store, o, "k", t0, p.refuse())).rejects.toThrow("MessageRejected");
    expect(await deliverOnce(store, o, "k", at(1), p.send("m"))).toBe("sent");
    expect(p.accepted).toEqual(["m"]);
  });
});

describe("deliverEach", () => {
  test("one address that fails does not stop the others; the retry sends only what is unsent", async () => {
    const o = randomUUID();
    const p = provider();
    const members = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const bad = new Set(["m7"]);
    const fanOut = (now: Date) =>
      deliverEach(members, (m) => deliverOnce(store, o, m, now, bad.has(m) ? p.refuse() : p.send(m)));

    const failure = await fanOut(t0).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveriesIncompleteError);
    expect(failure).toMatchObject({ failed: 1, total: 40 });
    expect(p.accepted.toSorted()).toEqual(members.filter((m) => m !== "m7").toSorted());

    bad.clear();
    const outcomes = await fanOut(at(1));
    expect(outcomes.filter((x) => x === "sent")).toHaveLength(1);
    expect(p.accepted.filter((m) => m === "m7")).toHaveLength(1);
    expect(p.accepted).toHaveLength(40);
  });

  test("a send that fails while the others are in flight: every other finishes, marked sent, before the error is raised", async () => {
    const o = randomUUID();
    const p = provider();
    const members = Array.from({ length: sendConcurrency }, (_, i) => `m${i}`);
    const slowly = (m: string) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await p.send(m)();
    };
    const failure = await deliverEach(members, (m) =>
      deliverOnce(store, o, m, t0, m === "m0" ? p.refuse() : slowly(m)),
    ).then(
      () => undefined,
      (error: unknown) => ({ error, acceptedThen: [...p.accepted] }),
    );

    expect(failure?.error).toBeInstanceOf(DeliveriesIncompleteError);
    // What the provider had accepted when the error was raised: every other message.
    expect(failure?.acceptedThen.toSorted()).toEqual(members.slice(1).toSorted());
    for (const m of members.slice(1))
      expect(await deliverOnce(store, o, m, at(1), p.send(m))).toBe("already-sent");
    expect(await deliverOnce(store, o, "m0", at(1), p.send("m0"))).toBe("sent");
  });

  test("when the only failures are live leases elsewhere, it asks for a retry after the latest", async () => {
    const o = randomUUID();
    const p = provider();
    await store.claimDelivery(o, "a", t0, at(86_400_000));
    await store.claimDelivery(o, "b", at(1000), at(86_400_000));
    const error = await deliverEach(["a", "b", "c"], (k) =>
      deliverOnce(store, o, k, at(2000), p.send(k)),
    ).catch((e: unknown) => e);
    expect(error).toEqual(new DeliveryInFlightError(at(1000 + leaseMs)));
    expect(p.accepted).toEqual(["c"]);
  });
});
