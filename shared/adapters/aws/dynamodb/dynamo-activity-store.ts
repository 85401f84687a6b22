import type { ActivityPage, ActivityPageRequest, ActivityStore } from "#ports/activity-store.ts";
import type { ActivityItem } from "#read-models/activity-item.ts";
import { activityExpiresAt } from "#read-models/group-activity.ts";
import { groupActivityItem } from "./items.ts";
import { keys } from "./keys.ts";
import type { TableClient } from "./table-client.ts";
import { isNew } from "./writes.ts";

/** A group's activity log in the single table: a partition per group, newest last in SK order. */
export class DynamoActivityStore implements ActivityStore {
  constructor(private readonly table: TableClient) {}

  /**
   * One conditional PutItem: the key holds the event id, so a redelivery fails the condition.
   * The item is checked against its strict shape first, so a fact cannot be written and lost.
   */
  async record(organisationId: string, groupId: string, item: ActivityItem): Promise<boolean> {
    const key = keys.groupActivity(organisationId, groupId, item.occurredAt, item.eventId);
    const stored = groupActivityItem.item(key, { ...item, expiresAt: activityExpiresAt(item.occurredAt) });
    return (await this.table.write([{ put: stored, ...isNew, failed: "recorded-before" }])).length === 0;
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
    const page = await this.table.query(groupActivityItem, {
      KeyConditionExpression: "PK = :pk AND SK > :after",
      ExpressionAttributeValues: { ":pk": PK, ":after": after },
      ScanIndexForward: false,
      Limit: limit + 1,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    const read = page.items.map(({ expiresAt: _ttl, ...item }) => item);
    const items = read.slice(0, limit);
    // More remain when the extra item came back, or when the 1 MB page ended the read early.
    const more = read.length > limit || page.next !== undefined;
    const last = items.at(-1);
    return more && last ? { items, next: { occurredAt: last.occurredAt, eventId: last.eventId } } : { items };
  }
}
