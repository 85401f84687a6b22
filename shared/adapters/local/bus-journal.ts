import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { BatchedWrites } from "#adapters/aws/dynamodb/batched-writes.ts";
import type { BusEvent } from "#bus/bus-event.ts";
import { deadLetterItem, type DeadLetter } from "./dead-letters.ts";

/** One event on its way to one target: durable from the moment the bus accepted it. */
export interface PendingDelivery {
  /** `<event id>#<target>`, with a suffix for a redrive or a replay. */
  id: string;
  target: string;
  event: BusEvent;
  /** Attempts already made (a restart goes on counting from here). */
  attempts: number;
}

const deliveries = "DELIVERY";
const archive = "ARCHIVE";

/** The local bus's own table: no stream (its writes are not events), no index. */
export const ensureBusTable = async (dynamo: DynamoDBClient, tableName: string): Promise<void> => {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: "PK", KeyType: "HASH" },
        { AttributeName: "SK", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "PK", AttributeType: "S" },
        { AttributeName: "SK", AttributeType: "S" },
      ],
    }),
  );
};

/**
 * What EventBridge keeps durably, kept in DynamoDB Local: the deliveries it has accepted and
 * not yet completed (with their attempt counts), the archive of every event it received (for
 * replay), and, through the dead-letter store, what failed for good. A process that dies
 * loses none of it; on start the bus resumes every pending delivery.
 */
export class BusJournal {
  /** Deliveries completed at about the same moment are removed together, 25 a request. */
  private readonly removals: BatchedWrites;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {
    this.removals = new BatchedWrites(doc, tableName);
  }

  /** Writes the deliveries and the archive entries; resolves once all are durable. */
  async accept(pending: readonly PendingDelivery[], archived: readonly { at: Date; event: BusEvent }[]) {
    const puts = [
      ...pending.map((d) => ({
        PK: deliveries,
        SK: d.id,
        target: d.target,
        attempts: d.attempts,
        event: JSON.stringify(d.event),
      })),
      ...archived.map(({ at, event }) => ({
        PK: archive,
        SK: `${at.toISOString()}#${event.id}`,
        event: JSON.stringify(event),
      })),
    ];
    for (let i = 0; i < puts.length; i += 25) {
      let requests = puts.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      // BatchWrite may leave some unprocessed under load: write them again until none are left.
      for (let round = 0; requests.length > 0; round++) {
        if (round > 0) await sleep(Math.min(1000, 20 * 2 ** round));
        const out = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /** Every delivery accepted and not yet completed or dead-lettered. */
  async pending(): Promise<PendingDelivery[]> {
    const items = await this.query(deliveries);
    return items.map((i) => ({
      id: i.SK as string,
      target: i.target as string,
      attempts: i.attempts as number,
      event: JSON.parse(i.event as string) as BusEvent,
    }));
  }

  async attempted(id: string, attempts: number): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: deliveries, SK: id },
          UpdateExpression: "SET attempts = :n",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":n": attempts },
        }),
      )
      .catch((error: unknown) => {
        // Completed meanwhile by a duplicate of this delivery: nothing left to count.
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      });
  }

  /** The delivery completed: its handler returned. */
  async completed(id: string): Promise<void> {
    await this.removals.delete({ PK: deliveries, SK: id });
  }

  /** The delivery failed for good: its dead letter and its removal are one write. */
  async deadLettered(id: string, letter: DeadLetter): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: deadLetterItem(letter) } },
          { Delete: { TableName: this.tableName, Key: { PK: deliveries, SK: id } } },
        ],
      }),
    );
  }

  /** The events the bus received from `from` up to (not including) `to`, oldest first. */
  async archived(from: Date, to: Date): Promise<BusEvent[]> {
    const items = await this.query(archive, {
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": archive, ":from": from.toISOString(), ":to": to.toISOString() },
    });
    // "<to>#id" sorts after "<to>", so BETWEEN leaves out what arrived at `to` itself.
    return items.map((i) => JSON.parse(i.event as string) as BusEvent);
  }

  private async query(
    pk: string,
    condition: { KeyConditionExpression: string; ExpressionAttributeValues: Record<string, string> } = {
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": pk },
    },
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          ...condition,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
