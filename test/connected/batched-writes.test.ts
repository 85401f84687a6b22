// BatchedWrites against DynamoDB Local: writes made at about the same moment share
// BatchWriteItem requests (25 at most), each call resolves once its own item is written, a key
// written twice keeps the later write, and a failed batch fails every call in it.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { ensureTable } from "#infra/local/composition-root.ts";
import { BatchedWrites } from "#adapters/aws/dynamodb/batched-writes.ts";

let dynamo: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let tableName: string;
/** BatchWriteItem requests sent, by how many writes each held. */
const batches: number[] = [];

beforeAll(async () => {
  dynamo = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  tableName = `convene-${randomUUID()}`;
  await ensureTable(dynamo, tableName);
  doc = DynamoDBDocumentClient.from(dynamo);
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "BatchWriteItemCommand") {
        const items = (args.input as { RequestItems: Record<string, unknown[]> }).RequestItems;
        batches.push(Object.values(items).reduce((n, writes) => n + writes.length, 0));
      }
      return next(args);
    },
    { step: "initialize", name: "countBatches" },
  );
});

afterAll(() => dynamo?.destroy());

const read = async (PK: string) =>
  (await doc.send(new GetCommand({ TableName: tableName, Key: { PK, SK: "X" }, ConsistentRead: true }))).Item;

describe("BatchedWrites", () => {
  test("60 writes made at once go as 3 requests (25, 25, 10); each resolves once written", async () => {
    const writes = new BatchedWrites(doc, tableName);
    const p = randomUUID();
    batches.length = 0;
    await Promise.all(Array.from({ length: 60 }, (_, i) => writes.put({ PK: `${p}#${i}`, SK: "X", n: i })));
    expect(batches.sort((a, b) => b - a)).toEqual([25, 25, 10]);
    expect((await read(`${p}#59`))?.n).toBe(59);
  });

  test("a window lets writes made moments apart share one request", async () => {
    const writes = new BatchedWrites(doc, tableName, 50);
    const p = randomUUID();
    batches.length = 0;
    const first = writes.put({ PK: `${p}#a`, SK: "X" });
    await new Promise((r) => setTimeout(r, 10));
    const second = writes.delete({ PK: `${p}#b`, SK: "X" });
    await Promise.all([first, second]);
    expect(batches).toEqual([2]);
  });

  test("the same key twice: the later write wins, in a request after the first", async () => {
    const writes = new BatchedWrites(doc, tableName);
    const pk = `${randomUUID()}#same`;
    batches.length = 0;
    await Promise.all([
      writes.put({ PK: pk, SK: "X", state: "first" }),
      writes.put({ PK: pk, SK: "X", state: "second" }),
      writes.put({ PK: `${pk}-other`, SK: "X" }),
    ]);
    expect(batches).toEqual([2, 1]);
    expect((await read(pk))?.state).toBe("second");
    await Promise.all([writes.put({ PK: pk, SK: "X", state: "third" }), writes.delete({ PK: pk, SK: "X" })]);
    expect(await read(pk)).toBeUndefined();
  });

  test("a batch the table refuses fails every write in it, and no other", async () => {
    const refused = new BatchedWrites(doc, `no-such-table-${randomUUID()}`);
    const results = await Promise.allSettled([
      refused.put({ PK: "a", SK: "X" }),
      refused.delete({ PK: "b", SK: "X" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    const writes = new BatchedWrites(doc, tableName);
    await expect(writes.put({ PK: `${randomUUID()}#ok`, SK: "X" })).resolves.toBeUndefined();
  });
});
