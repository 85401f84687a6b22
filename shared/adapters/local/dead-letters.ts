import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { newId } from "#domain/ids.ts";

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

/** A dead letter as the table keeps it (the bus journal writes it in its own transaction). */
export const deadLetterItem = (letter: DeadLetter) => ({
  PK: partition,
  SK: `${letter.failedAt}#${letter.id}`,
  kind: "local-dead-letter",
  ...letter,
  event: JSON.stringify(letter.event),
});

/** The local stand-in for the SQS dead-letter queues: failed deliveries, kept with their reason. */
export class DeadLetterStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Keeps a letter; `id` names it when its failure can be met again (a record read twice). */
  async add(letter: Omit<DeadLetter, "id">, id = newId()): Promise<DeadLetter> {
    const stored = { ...letter, id };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: deadLetterItem(stored) }));
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

  async find(id: string): Promise<DeadLetter | undefined> {
    return (await this.list()).find((l) => l.id === id);
  }

  /** Removes a letter once its redrive is durably under way. */
  async remove(letter: DeadLetter): Promise<void> {
    await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: partition, SK: `${letter.failedAt}#${letter.id}` },
      }),
    );
  }

  /** Removes and returns one letter. */
  async take(id: string): Promise<DeadLetter | undefined> {
    const letter = await this.find(id);
    if (letter) await this.remove(letter);
    return letter;
  }
}
