import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Item, Key } from "./item-kind.ts";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * One write of a transaction (or the one write of a single-item request): a put, an update, a
 * delete, or a check that writes nothing. Its `condition` is checked on the item it touches;
 * when it fails, the whole transaction is cancelled and `failed` names what that means to the
 * caller ("already", "no-member", …). A write that may fail must say so: a failed condition
 * without a name is one the caller did not expect, thrown as it came unless a named one failed too.
 */
export type Write<F extends string = string> = {
  condition?: string;
  failed?: F;
  /** `#name` placeholders of the condition and the update's `changes` (its UpdateExpression). */
  names?: Record<string, string>;
  /** `:value` placeholders of the condition and the update. */
  values?: Record<string, unknown>;
} & ({ put: Item } | { update: Key; changes: string } | { delete: Key } | { check: Key });

/** The item must not exist yet. */
export const isNew = { condition: "attribute_not_exists(PK)" } as const;
/** The item must exist. */
export const exists = { condition: "attribute_exists(PK)" } as const;

/** A check that the item at `key` exists (the group of a session, the member of a role). */
export const mustExist = <F extends string>(key: Key, failed: F): Write<F> => ({
  check: key,
  ...exists,
  failed,
});

/** The primary key alone: a key builder may also give the item's index attributes. */
const primary = (key: Key): Key => ({ PK: key.PK, SK: key.SK });

/** The write as DynamoDB takes it, one element of TransactItems. */
export const toTransactItem = (tableName: string, write: Write): TransactItem => {
  const common = {
    TableName: tableName,
    ...(write.condition ? { ConditionExpression: write.condition } : {}),
    ...(write.names ? { ExpressionAttributeNames: write.names } : {}),
    ...(write.values ? { ExpressionAttributeValues: write.values } : {}),
  };
  if ("put" in write) return { Put: { ...common, Item: write.put } };
  if ("update" in write)
    return { Update: { ...common, Key: primary(write.update), UpdateExpression: write.changes } };
  if ("delete" in write) return { Delete: { ...common, Key: primary(write.delete) } };
  return { ConditionCheck: { ...common, Key: primary(write.check), ConditionExpression: write.condition! } };
};

/**
 * The writes whose conditions failed, by index: the one write of a ConditionalCheckFailed, or
 * each write a cancelled transaction reports as ConditionalCheckFailed (DynamoDB may report
 * only the first it met). Undefined when the error is no failed condition.
 */
export const failedConditions = (error: unknown): number[] | undefined => {
  if (error instanceof ConditionalCheckFailedException) return [0];
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const failed = (error.CancellationReasons ?? []).flatMap((reason, at) =>
    reason.Code === "ConditionalCheckFailed" ? [at] : [],
  );
  return failed.length > 0 ? failed : undefined;
};

/** A transaction cancelled because another one was writing the same item at that moment. */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((r) => r.Code === "TransactionConflict");
