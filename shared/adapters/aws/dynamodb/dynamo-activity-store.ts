import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { ActivityPage, ActivityPageRequest, ActivityStore } from "#ports/activity-store.ts";
import { activityItemShape, type ActivityItem } from "#read-models/activity-item.ts";
import { activityExpiresAt } from "#read-models/group-activity.ts";
import * as z from "#validation/zod-mini.ts";
import { itemKind, keys } from "./keys.ts";
import { isConditionFailure, type Item, type TableClient } from "./table-client.ts";

/**
 * An activity item as stored: the item's own shape (activityItemShape, written down once) and
 * the table's attributes beside it. Every item is checked against it when written and when
 * read, so a fact cannot be written and then lost on the way back; an attribute the shape
 * does not name fails the read instead of vanishing.
 */
const storedActivityItem = z.extend(activityItemShape, {
  PK: z.string(),
  SK: z.string(),
  kind: z.literal(itemKind.groupActivity),
  /** TTL, epoch seconds. */
  expiresAt: z.number(),
});

const toStored = (organisationId: string, groupId: string, item: ActivityItem): Item =>
  storedActivityItem.parse({
    ...keys.groupActivity(organisationId, groupId, item.occurredAt, item.eventId),
    kind: itemKind.groupActivity,
    ...item,
    expiresAt: activityExpiresAt(item.occurredAt),
  });

const fromStored = (item: Item): ActivityItem => {
  const { PK: _pk, SK: _sk, kind: _kind, expiresAt: _ttl, ...read } = storedActivityItem.parse(item);
  return read;
};

/** A group's activity log in the single table: a partition per group, newest last in SK order. */
export class DynamoActivityStore implements ActivityStore {
  constructor(private readonly table: TableClient) {}

  /** One conditional PutItem: the key holds the event id, so a redelivery fails the condition. */
  async record(organisationId: string, groupId: string, item: ActivityItem): Promise<boolean> {
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: toStored(organisationId, groupId, item),
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * One Query, newest first, from just below `before` (ExclusiveStartKey) down to `after`
   * (the key condition keeps expired items out, whether or not TTL has deleted them yet). It
   * asks for one item more than the page, so "more remain" is known without an empty last page.
   */
  async listActivity(
    organisationId: string,
    groupId: string,
    { limit, before, after }: ActivityPageRequest,
  ): Promise<ActivityPage> {
    const { PK } = keys.groupActivityOf(organisationId, groupId);
    const start = before && keys.groupActivity(organisationId, groupId, before.occurredAt, before.eventId);
    // DynamoDB refuses a start key outside the key condition; a position that old has nothing below it.
    if (start && start.SK <= after) return { items: [] };
    const out = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: "PK = :pk AND SK > :after",
        ExpressionAttributeValues: { ":pk": PK, ":after": after },
        ScanIndexForward: false,
        Limit: limit + 1,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const read = (out.Items ?? []).map(fromStored);
    const items = read.slice(0, limit);
    // More remain when the extra item came back, or when the 1 MB page ended the read early.
    const more = read.length > limit || out.LastEvaluatedKey !== undefined;
    const last = items.at(-1);
    return more && last ? { items, next: { occurredAt: last.occurredAt, eventId: last.eventId } } : { items };
  }
}
