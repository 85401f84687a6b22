import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { Item, ItemKind, Key } from "./item-kind.ts";
import { outboxRecord } from "./outbox-record.ts";
import { batchGetAttempts, UnprocessedKeysError, unprocessedKeysDelayMs } from "./unprocessed-keys.ts";
import { failedConditions, isNew, isTransactionConflict, toTransactItem, type Write } from "./writes.ts";

export type { Item, Key } from "./item-kind.ts";

type QueryInput = Omit<QueryCommandInput, "TableName">;

/** A query of the items under a partition whose sort keys start with a prefix. */
export const under = (k: { PK: string; SKPrefix: string }) => ({
  KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
  ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
});

export interface WriteOptions {
  /** Events whose outbox records go in the same transaction: written exactly when the rest is. */
  events?: readonly ConveneEvent[];
  /** A transaction that met another on the same item is tried this often in all (1: not again). */
  conflictAttempts?: number;
}

const pause = (attempt: number) =>
  new Promise((settled) => setTimeout(settled, 10 * 2 ** attempt * (0.5 + Math.random())));

/**
 * The single table, as every store reads and writes it: items checked against their kind's
 * schema on the way in and out, consistent gets, paginated queries, and one way to write
 * items with their events and conditions.
 */
export class TableClient {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /**
   * Writes items, with the outbox records of `events`, all or nothing: one TransactWriteItems,
   * or a single PutItem, UpdateItem or DeleteItem when there is one write and no event. Answers
   * the `failed` names of the writes whose conditions did not hold, in write order (then nothing
   * was written), or none when everything was; when only unnamed conditions failed, the error
   * is thrown as it came.
   */
  async write<F extends string = never>(
    writes: readonly Write<F>[],
    { events = [], conflictAttempts = 1 }: WriteOptions = {},
  ): Promise<F[]> {
    const items = [...writes.map((w) => toTransactItem(this.tableName, w)), ...events.map(this.outboxPut)];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send(items);
        return [];
      } catch (error) {
        const failed = failedConditions(error);
        const named = failed?.flatMap((at) => writes[at]?.failed ?? []) ?? [];
        if (named.length > 0) return named;
        if (failed || !isTransactionConflict(error) || attempt >= conflictAttempts) throw error;
        await pause(attempt);
      }
    }
  }

  /** Strongly consistent: handlers read an item right after the stream delivered its write. */
  async get<T>(kind: ItemKind<T, unknown>, key: Key): Promise<T | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: key.PK, SK: key.SK }, ConsistentRead: true }),
    );
    return out.Item && kind.read(out.Item);
  }

  /** Whether an item is there, whatever its kind (one consistent read of its key alone). */
  async exists(key: Key): Promise<boolean> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: key.PK, SK: key.SK },
        ConsistentRead: true,
        ProjectionExpression: "PK",
      }),
    );
    return out.Item !== undefined;
  }

  /** One page of a query, read as `kind`, and where the next would start. */
  async query<T>(kind: ItemKind<T, unknown>, input: QueryInput): Promise<{ items: T[]; next?: Item }> {
    const out = await this.doc.send(
      new QueryCommand({ ...projecting(kind, input), TableName: this.tableName }),
    );
    return { items: (out.Items ?? []).map((item) => kind.read(item)), next: out.LastEvaluatedKey };
  }

  /** Every page of a query, read as `kind`. */
  async queryAll<T>(kind: ItemKind<T, unknown>, input: QueryInput): Promise<T[]> {
    return (await this.queryItems(projecting(kind, input))).map((item) => kind.read(item));
  }

  /** Every page of a query, as stored: for a range that holds several kinds. */
  async queryItems(input: QueryInput): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * Items by key, 100 a request (the most BatchGetItem takes); unprocessed keys are asked for
   * again after a backoff, a bounded number of times (unprocessed-keys.ts).
   */
  async batchGet<T>(kind: ItemKind<T, unknown>, keys: readonly Key[]): Promise<T[]> {
    const read: T[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Item[] | undefined = keys.slice(i, i + 100).map((k) => ({ PK: k.PK, SK: k.SK }));
      for (let attempt = 1; pending && pending.length > 0; attempt++) {
        if (attempt > batchGetAttempts) throw new UnprocessedKeysError(pending.length, batchGetAttempts);
        if (attempt > 1) await new Promise((later) => setTimeout(later, unprocessedKeysDelayMs(attempt - 1)));
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) read.push(kind.read(item));
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return read;
  }

  /**
   * A member's reply token: the one already kept under `memberKey`, or else `candidate`, written
   * in one transaction with its lookup item (`tokenKey`, holding `ref`), both only if absent.
   * Of two concurrent first calls one transaction wins and both return its token.
   */
  async replyToken<R>(
    member: { key: Key; kind: ItemKind<{ token: string }> },
    lookup: { key: Key; kind: ItemKind<R> },
    ref: R,
    candidate: string,
  ): Promise<string> {
    const known = await this.get(member.kind, member.key);
    if (known) return known.token;
    const failed = await this.write([
      { put: member.kind.item(member.key, { token: candidate }), ...isNew, failed: "taken" },
      { put: lookup.kind.item(lookup.key, ref), ...isNew, failed: "taken" },
    ]);
    if (failed.length === 0) return candidate;
    const existing = await this.get(member.kind, member.key);
    if (!existing) throw new Error("a reply token's claim failed, yet no token is kept for the member");
    return existing.token;
  }

  private outboxPut = (event: ConveneEvent) => toTransactItem(this.tableName, { put: outboxRecord(event) });

  /** A single write goes as its own request: a transaction of one costs twice the capacity. */
  private async send(items: ReturnType<typeof toTransactItem>[]): Promise<void> {
    const [only] = items;
    if (items.length !== 1 || !only) await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    else if (only.Put) await this.doc.send(new PutCommand(only.Put));
    else if (only.Update) await this.doc.send(new UpdateCommand(only.Update));
    else if (only.Delete) await this.doc.send(new DeleteCommand(only.Delete));
    else await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
  }
}

/** A kind read from some fields only asks for those, with the attributes that say what it is. */
const projecting = (kind: ItemKind<unknown, unknown>, input: QueryInput): QueryInput => {
  if (!kind.fields) return input;
  const attributes = [...kind.fields, "kind", "schemaVersion"];
  return {
    ...input,
    ProjectionExpression: attributes.map((_, i) => `#p${i}`).join(", "),
    ExpressionAttributeNames: {
      ...input.ExpressionAttributeNames,
      ...Object.fromEntries(attributes.map((name, i) => [`#p${i}`, name])),
    },
  };
};
