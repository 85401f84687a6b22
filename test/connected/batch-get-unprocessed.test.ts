// TableClient.batchGet against DynamoDB Local when DynamoDB leaves keys unprocessed (as a
// throttled partition does): the keys are asked for again after a backoff, and a partition
// that never answers ends the loop with an error. DynamoDB Local never throttles, so the
// client's own middleware plays the throttled partition: it moves chosen items of a real
// answer into UnprocessedKeys, where the SDK hands the answer back to the adapter.

import { randomUUID } from "node:crypto";
import { type AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureTable } from "#infra/local/composition-root.ts";
import { memberItem } from "#adapters/aws/dynamodb/items.ts";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import {
  batchGetAttempts,
  UnprocessedKeysError,
  unprocessedKeysDelayMs,
} from "#adapters/aws/dynamodb/unprocessed-keys.ts";
import type { Member } from "#domain/member.ts";

type Image = Record<string, AttributeValue>;

const tableName = `convene-${randomUUID()}`;
let dynamo: DynamoDBClient;
let table: TableClient;
/** When each BatchGetItem request was answered (ms). */
let answeredAt: number[] = [];
/** Which items of the nth answer (from 1) the "partition" withholds; none by default. */
let withhold: (answer: number, items: Image[]) => Image[] = () => [];

beforeAll(async () => {
  dynamo = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  // The build step is inside the document client's (un)marshalling and outside the SDK's
  // deserializer: the answer here is BatchGetItem's, as the service sent it.
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { Responses?: Record<string, Image[]>; UnprocessedKeys?: unknown };
      const items = output.Responses?.[tableName];
      if (!items) return result;
      answeredAt.push(performance.now());
      const held = new Set(withhold(answeredAt.length, items));
      output.Responses![tableName] = items.filter((item) => !held.has(item));
      if (held.size > 0)
        output.UnprocessedKeys = { [tableName]: { Keys: [...held].map(({ PK, SK }) => ({ PK, SK })) } };
      return result;
    },
    { step: "build", name: "throttledPartition" },
  );
  await ensureTable(dynamo, tableName);
  table = new TableClient(dynamo, tableName);
});

afterAll(() => dynamo?.destroy());

/** An organisation with `count` members in the table; their keys. */
const members = async (count: number) => {
  const o = randomUUID();
  const written: Member[] = [];
  for (let i = 0; i < count; i++) {
    const member: Member = {
      organisationId: o,
      id: `m${String(i).padStart(3, "0")}`,
      name: "Ann Example",
      email: `ann-${i}@example.org`,
      reminders: [],
      unsubscribed: [],
      createdAt: "2030-01-15T09:00:00.000Z",
    };
    await table.write([{ put: memberItem.item(keys.member(o, member.id), member) }]);
    written.push(member);
  }
  return { written, keys: written.map((m) => keys.member(o, m.id)) };
};

const reset = () => {
  answeredAt = [];
  withhold = () => [];
};

describe("TableClient.batchGet with unprocessed keys", () => {
  it("asks again for what was left, after waiting at least the backoff's floor, and reads every item", async () => {
    reset();
    const { written, keys: wanted } = await members(6);
    // The first two answers leave half of what was asked unprocessed; the third answers all.
    withhold = (answer, items) => (answer <= 2 ? items.slice(0, Math.ceil(items.length / 2)) : []);

    const read = await table.batchGet(memberItem, wanted);

    expect(read.map((m) => m.id).sort()).toEqual(written.map((m) => m.id));
    expect(answeredAt).toHaveLength(3);
    for (const retry of [1, 2]) {
      const waited = answeredAt[retry]! - answeredAt[retry - 1]!;
      expect(waited, `wait before retry ${retry}`).toBeGreaterThanOrEqual(
        unprocessedKeysDelayMs(retry, () => 0),
      );
    }
  });

  it("gives up after its bounded attempts when the keys stay unprocessed, naming how many", async () => {
    reset();
    const { keys: wanted } = await members(3);
    withhold = (_answer, items) => items.slice(0, 1);

    const failure = await table.batchGet(memberItem, wanted).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UnprocessedKeysError);
    expect(failure).toMatchObject({ unprocessed: 1 });
    expect(answeredAt).toHaveLength(batchGetAttempts);
  });
});
