import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { ActivityPage, ActivityPageRequest, ActivityStore } from "../../../ports/activity-store.ts";
import {
  activityExpiresAt,
  type ActivityFacts,
  type ActivityItem,
} from "../../../read-models/group-activity.ts";
import { itemKind, keys } from "./keys.ts";
import { isConditionFailure, type Item, type TableClient } from "./table-client.ts";

/** The attributes an item is read back with: whatever else the item holds stays in the table. */
const factNames = [
  "memberId",
  "sessionId",
  "voteId",
  "roleId",
  "startLocal",
  "previousStartLocal",
  "voteKind",
  "outcome",
  "closedEarly",
  "replaced",
  "how",
  "reason",
  "channel",
  "trainingId",
] as const satisfies readonly (keyof ActivityFacts)[];

const toActivityItem = (item: Item): ActivityItem => {
  const read: Record<string, unknown> = {
    eventId: item.eventId,
    type: item.type,
    occurredAt: item.occurredAt,
  };
  for (const name of factNames) if (item[name] !== undefined) read[name] = item[name];
  return read as unknown as ActivityItem;
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
          Item: {
            ...keys.groupActivity(organisationId, groupId, item.occurredAt, item.eventId),
            kind: itemKind.groupActivity,
            ...item,
            expiresAt: activityExpiresAt(item.occurredAt),
          },
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
    const read = (out.Items ?? []).map(toActivityItem);
    const items = read.slice(0, limit);
    // More remain when the extra item came back, or when the 1 MB page ended the read early.
    const more = read.length > limit || out.LastEvaluatedKey !== undefined;
    const last = items.at(-1);
    return more && last ? { items, next: { occurredAt: last.occurredAt, eventId: last.eventId } } : { items };
  }
}
