import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";

export type Item = Record<string, unknown>;

/** Items come back without their key and kind attributes: those are the table's business. */
export const stripKeys = <T>(item: Item | undefined): T | undefined => {
  if (!item) return undefined;
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, kind: _k, ...rest } = item;
  return rest as T;
};

/** A failed condition, alone or inside a cancelled transaction. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === "ConditionalCheckFailed"));

/** A transaction cancelled because another one was writing the same item at that moment. */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((r) => r.Code === "TransactionConflict");

/** The single table, as the stores read it: consistent gets and paginated queries. */
export class TableClient {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /**
   * Strongly consistent: handlers read an item right after the stream delivered its write,
   * and an eventually consistent read could still return the previous version.
   */
  async get<T>(key: { PK: string; SK: string }): Promise<T | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: key.PK, SK: key.SK }, ConsistentRead: true }),
    );
    return stripKeys<T>(out.Item);
  }

  async queryAll<T>(input: Omit<QueryCommandInput, "TableName">): Promise<T[]> {
    const items: T[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      for (const item of out.Items ?? []) items.push(stripKeys<T>(item)!);
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * A member's reply token: the one already kept under `memberKey`, or else `candidate`, written
   * in one transaction with its lookup item (`tokenKey`, holding `ref`), both only if absent.
   * Of two concurrent first calls one transaction wins and both return its token.
   */
  async replyToken(
    memberKey: { PK: string; SK: string },
    tokenKey: { PK: string; SK: string },
    kind: string,
    ref: Item,
    candidate: string,
  ): Promise<string> {
    const known = await this.get<{ token: string }>(memberKey);
    if (known) return known.token;
    const putNew = (item: Item) => ({
      Put: { TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(PK)" },
    });
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            putNew({ ...memberKey, kind, token: candidate }),
            putNew({ ...tokenKey, kind, ...ref }),
          ],
        }),
      );
      return candidate;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.get<{ token: string }>(memberKey);
      if (!existing) throw error;
      return existing.token;
    }
  }
}

/** A transaction item that only checks an item exists (the group of a vote, the member of a role). */
export const mustExist = (tableName: string, key: { PK: string; SK: string }) => ({
  ConditionCheck: {
    TableName: tableName,
    Key: { PK: key.PK, SK: key.SK },
    ConditionExpression: "attribute_exists(PK)",
  },
});
