// The single-table layer against DynamoDB Local: one write helper puts items with their outbox
// records and conditions in one transaction and answers which named conditions failed; items
// carry their schema version and are checked when read, and a malformed one fails by kind and
// attribute, never by value.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureTable } from "#infra/local/composition-root.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { MalformedItemError } from "#adapters/aws/dynamodb/item-kind.ts";
import { memberItem, volunteerItem } from "#adapters/aws/dynamodb/items.ts";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { isNew, mustExist } from "#adapters/aws/dynamodb/writes.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";

const tableName = `convene-${randomUUID()}`;
const now = new Date("2030-01-15T09:00:00.000Z");

let dynamo: DynamoDBClient;
let table: TableClient;
let store: DynamoStore;
/** The DynamoDB operations the watched client sent, e.g. "PutItem", "TransactWriteItems". */
const sent: string[] = [];

beforeAll(async () => {
  dynamo = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const target = (args.request as { headers?: Record<string, string> }).headers?.["x-amz-target"];
      if (target) sent.push(target.replace("DynamoDB_20120810.", ""));
      return next(args);
    },
    { step: "finalizeRequest", name: "recordOperation" },
  );
  await ensureTable(dynamo, tableName);
  table = new TableClient(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
});

afterAll(() => dynamo?.destroy());

const raw = async (key: { PK: string; SK: string }) =>
  (await table.doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

const aMember = (organisationId: string): Member => ({
  organisationId,
  id: randomUUID(),
  name: "Ann Example",
  email: `ann-${randomUUID()}@example.org`,
  reminders: [{ channel: "email", offsetMinutes: 120 }],
  unsubscribed: [],
  createdAt: now.toISOString(),
});

const joined = (organisationId: string) =>
  newEvent("MemberJoinedGroup", { organisationId, groupId: "g-1" }, { memberId: "m-1" }, now);

describe("TableClient.write", () => {
  it("writes the items and the events' outbox records together, in one transaction", async () => {
    const o = randomUUID();
    const member = aMember(o);
    const event = joined(o);
    sent.length = 0;
    const failed = await table.write(
      [{ put: memberItem.item(keys.member(o, member.id), member), ...isNew }],
      {
        events: [event],
      },
    );
    expect(failed).toEqual([]);
    expect(sent).toEqual(["TransactWriteItems"]);
    expect(await raw(keys.member(o, member.id))).toMatchObject({ kind: "member", schemaVersion: 1 });
    expect(await raw(keys.outbox(o, event.id))).toMatchObject({ kind: "outbox", schemaVersion: 1 });
  });

  it("sends one write without events as a single request, not a transaction", async () => {
    const o = randomUUID();
    const member = aMember(o);
    const key = keys.member(o, member.id);
    sent.length = 0;
    await table.write([{ put: memberItem.item(key, member), ...isNew, failed: "exists" }]);
    await table.write([
      { update: key, changes: "SET #n = :n", names: { "#n": "name" }, values: { ":n": "Bea" } },
    ]);
    expect(await table.write([{ put: memberItem.item(key, member), ...isNew, failed: "exists" }])).toEqual([
      "exists",
    ]);
    await table.write([{ delete: key }]);
    expect(sent).toEqual(["PutItem", "UpdateItem", "PutItem", "DeleteItem"]);
    expect(await raw(key)).toBeUndefined();
  });

  it("answers the names of the failed conditions, in write order, and writes nothing", async () => {
    const o = randomUUID();
    const member = aMember(o);
    await store.createMember(member);
    const event = joined(o);
    const volunteer = keys.volunteer(o, "g-1", "r-1", now.toISOString(), member.id);
    const failed = await table.write(
      [
        mustExist(keys.group(o, "no-such-group"), "no-group"),
        { put: memberItem.item(keys.member(o, member.id), member), ...isNew, failed: "exists" },
        { put: volunteerItem.item(volunteer, { memberId: member.id, volunteeredAt: now.toISOString() }) },
      ],
      { events: [event] },
    );
    // DynamoDB reports at least the first failed condition; it need not report every one.
    expect(failed[0]).toBe("no-group");
    expect(["no-group", "exists"]).toEqual(expect.arrayContaining(failed));
    expect(await raw(volunteer)).toBeUndefined();
    expect(await raw(keys.outbox(o, event.id))).toBeUndefined();
  });

  it("throws a failed condition that no write named: the caller did not expect it", async () => {
    const o = randomUUID();
    const member = aMember(o);
    await store.createMember(member);
    const write = table.write([{ put: memberItem.item(keys.member(o, member.id), member), ...isNew }], {
      events: [joined(o)],
    });
    await expect(write).rejects.toMatchObject({ name: "TransactionCanceledException" });
    await expect(
      table.write([{ put: memberItem.item(keys.member(o, member.id), member), ...isNew }]),
    ).rejects.toMatchObject({ name: "ConditionalCheckFailedException" });
  });
});

describe("items read from the table", () => {
  it("read as version 1 when written before schema versions", async () => {
    const o = randomUUID();
    const member = aMember(o);
    await table.doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.member(o, member.id), kind: "member", ...member },
      }),
    );
    expect(await store.getMember(o, member.id)).toEqual(member);
    expect(await store.listMembers(o)).toEqual([member]);
  });

  it("fail when malformed, naming the kind and the attributes at fault but not what they hold", async () => {
    const o = randomUUID();
    const member = aMember(o);
    await table.doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.member(o, member.id), kind: "member", ...member, email: 7, unsubscribed: ["fax"] },
      }),
    );
    const read = store.getMember(o, member.id);
    await expect(read).rejects.toBeInstanceOf(MalformedItemError);
    await expect(read).rejects.toMatchObject({
      kind: "member",
      paths: ["email (invalid_type)", "unsubscribed.0 (invalid_value)"],
    });
    const error = (await read.catch((e: unknown) => e)) as Error;
    for (const value of [member.name, "fax", member.id]) expect(error.message).not.toContain(value);
    await expect(store.listMembers(o)).rejects.toBeInstanceOf(MalformedItemError);
  });

  it("fail when written by a newer schema version than this code knows", async () => {
    const o = randomUUID();
    const member = aMember(o);
    await table.doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...memberItem.item(keys.member(o, member.id), member), schemaVersion: 2 },
      }),
    );
    await expect(store.getMember(o, member.id)).rejects.toThrow(/malformed member item .*schemaVersion/);
  });
});
