// The phone-number index backfill (infra/admin/phone-index-backfill.ts) on DynamoDB Local:
// members written before the index existed are given their key once, and then found by an
// inbound text; a second run writes nothing.

import { randomInt, randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { memberItem } from "#adapters/aws/dynamodb/items.ts";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import type { Member } from "#domain/member.ts";
import { backfillPhoneIndex } from "#infra/admin/phone-index-backfill.ts";
import { ensureTable } from "#infra/local/composition-root.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
// A table of its own: the scan counts every member in it.
const tableName = `convene-${randomUUID()}`;
let dynamo: DynamoDBClient;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
});

afterAll(() => dynamo.destroy());

const ukMobile = () => `+447${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;
const aMember = (o: string, phone?: string): Member => {
  const id = randomUUID();
  return {
    organisationId: o,
    id,
    name: "Sam Example",
    email: `${id}@example.org`,
    ...(phone ? { phone } : {}),
    reminders: [],
    unsubscribed: [],
    createdAt: "2025-01-01T00:00:00.000Z",
  };
};
/** A member's item as written before the phone index: the same item, without GSI1 keys. */
const writtenBeforeTheIndex = (member: Member) =>
  store.doc.send(
    new PutCommand({
      TableName: tableName,
      Item: memberItem.item(keys.member(member.organisationId, member.id), member),
    }),
  );
const itemOf = async (member: Member) =>
  (
    await store.doc.send(
      new GetCommand({ TableName: tableName, Key: keys.member(member.organisationId, member.id) }),
    )
  ).Item!;

describe("the phone-number index backfill", () => {
  it("gives older members with a number their key once, so a text finds them, and leaves everyone else as they were", async () => {
    const o = randomUUID();
    const shared = ukMobile();
    const older = [aMember(o, ukMobile()), aMember(o, shared), aMember(randomUUID(), shared)];
    const withoutPhone = aMember(o);
    const newer = aMember(o, ukMobile());
    for (const member of [...older, withoutPhone]) await writtenBeforeTheIndex(member);
    await store.createMember(newer);
    const newerBefore = await itemOf(newer);
    // Before: an older member's STOP would be from "an unknown number".
    expect(await store.findMembersByPhone(older[0]!.phone!)).toEqual([]);

    expect(await backfillPhoneIndex(store.doc, tableName)).toEqual({
      members: 4,
      indexed: 3,
      alreadyIndexed: 1,
      changedMeanwhile: 0,
    });

    expect((await store.findMembersByPhone(older[0]!.phone!)).map((m) => m.id)).toEqual([older[0]!.id]);
    expect((await store.findMembersByPhone(shared)).map((m) => m.id).sort()).toEqual(
      [older[1]!.id, older[2]!.id].sort(),
    );
    // Only the index keys were added: the member reads back as it was written.
    for (const member of older)
      expect(await store.getMember(member.organisationId, member.id)).toEqual(member);
    expect(await itemOf(newer)).toEqual(newerBefore);
    expect((await itemOf(withoutPhone)).GSI1PK).toBeUndefined();

    // Idempotent: a second run finds every key in place and writes nothing.
    expect(await backfillPhoneIndex(store.doc, tableName)).toEqual({
      members: 4,
      indexed: 0,
      alreadyIndexed: 4,
      changedMeanwhile: 0,
    });
  });
});
