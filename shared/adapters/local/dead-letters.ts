import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { newId } from "../../domain/ids.ts";

const partition = "LOCAL#DEADLETTERS";

export interface DeadLetter {
  id: string;
  target: string;
  reason: string;
  attempts: number;
  failedAt: string;
  /** The bus event as it was delivered. */
  event: unknown;
}

/** The local stand-in for the SQS dead-letter queues: failed deliveries, kept with their reason. */
export class DeadLetterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(letter: Omit<DeadLetter, "id">): Promise<DeadLetter> {
    const stored = { ...letter, id: newId() };
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: partition,
          SK: `${letter.failedAt}#${stored.id}`,
          kind: "local-dead-letter",
          ...stored,
          event: JSON.stringify(letter.event),
        },
      }),
    );
    return stored;
  }

  async list(): Promise<DeadLetter[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": partition },
      }),
    );
    return (out.Items ?? []).map((i) => ({
      id: i.id as string,
      target: i.target as string,
      reason: i.reason as string,
      attempts: i.attempts as number,
      failedAt: i.failedAt as string,
      event: JSON.parse(i.event as string) as unknown,
    }));
  }

  /** Removes and returns one letter, for redrive. */
  async take(id: string): Promise<DeadLetter | undefined> {
    const letter = (await this.list()).find((l) => l.id === id);
    if (!letter) return undefined;
    const key = { PK: partition, SK: `${letter.failedAt}#${letter.id}` };
    const existing = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key }));
    if (!existing.Item) return undefined;
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    return letter;
  }
}
