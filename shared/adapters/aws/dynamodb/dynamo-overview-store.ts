import type { Group } from "#domain/group.ts";
import type { GroupHealthSnapshot, SectionWrite } from "#read-models/group-health.ts";
import type { TrendCounts, TrendDelta } from "#read-models/monthly-trends.ts";
import type { OverviewData, OverviewStore } from "#ports/overview-store.ts";
import { groupHealthItem, groupItem, monthlyTrendItem, trendEventItem } from "./items.ts";
import { itemKind, keys } from "./keys.ts";
import { under, type TableClient } from "./table-client.ts";
import { isNew, type Write } from "./writes.ts";

/**
 * Longer than the bus archive keeps events (30 days by default) and than the 12 months shown,
 * so neither a retry nor a replay from the archive counts an event twice.
 */
const trendEventLifetimeSeconds = 400 * 24 * 3600;

/** Every event of an organisation adds to the same month's item: concurrent ones may conflict. */
const conflictAttempts = 6;

/** The overview's aggregates in the single table, in a partition of their own per organisation. */
export class DynamoOverviewStore implements OverviewStore {
  constructor(private readonly table: TableClient) {}

  /** One UpdateItem: the section as a map { value, at }, conditioned on the stored `at`. */
  async putHealthSection(organisationId: string, groupId: string, section: SectionWrite): Promise<boolean> {
    const put = {
      update: keys.groupHealth(organisationId, groupId),
      changes: "SET #kind = :kind, schemaVersion = :version, groupId = :groupId, #section = :section",
      condition: "attribute_not_exists(#section.#at) OR #section.#at <= :at",
      names: { "#kind": "kind", "#section": section.name, "#at": "at" },
      values: {
        ":kind": itemKind.groupHealth,
        ":version": groupHealthItem.version,
        ":groupId": groupId,
        ":section": { value: section.value, at: section.at },
        ":at": section.at,
      },
      failed: "computed-later",
    } as const;
    return (await this.table.write([put])).length === 0;
  }

  /**
   * One transaction: the event's marker (if it is new) and an ADD per month touched. A
   * conflict with another event's transaction on the same month is tried again shortly.
   */
  async addToTrends(
    organisationId: string,
    eventId: string,
    deltas: readonly TrendDelta[],
    now: Date,
  ): Promise<boolean> {
    if (deltas.length === 0) return false;
    const expiresAt = Math.floor(now.getTime() / 1000) + trendEventLifetimeSeconds;
    const months = [...new Set(deltas.map((d) => d.month))];
    const failed = await this.table.write(
      [
        {
          put: trendEventItem.item(keys.trendEvent(organisationId, eventId), { expiresAt }),
          ...isNew,
          failed: "counted",
        },
        ...months.map((month) =>
          addToMonth(
            organisationId,
            month,
            deltas.filter((d) => d.month === month),
          ),
        ),
      ],
      { conflictAttempts },
    );
    return failed.length === 0;
  }

  /**
   * Two queries side by side: the organisation's group items (`GROUP#` prefix, as listGroups
   * reads them) and its overview partition from the first health item to `toMonth`'s trend
   * item. Trend months before `fromMonth` (12 items a year) are dropped here.
   */
  async readOverview(organisationId: string, fromMonth: string, toMonth: string): Promise<OverviewData> {
    const overview = keys.overviewUpTo(organisationId, toMonth);
    const [groupItems, overviewItems] = await Promise.all([
      this.table.queryItems(under(keys.groupsOf(organisationId))),
      this.table.queryItems({
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": overview.PK, ":from": overview.SKFrom, ":to": overview.SKTo },
      }),
    ]);
    const snapshots = new Map<string, GroupHealthSnapshot>();
    const trends: TrendCounts[] = [];
    for (const item of overviewItems) {
      if (item.kind === itemKind.groupHealth) {
        const snapshot = groupHealthItem.read(item);
        snapshots.set(snapshot.groupId, snapshot);
      } else if (item.kind === itemKind.monthlyTrend) {
        const { month, ...counters } = monthlyTrendItem.read(item);
        if (month >= fromMonth) trends.push({ month, counters });
      }
    }
    // Only the group items say which groups exist: a health item without one is left out.
    const groups = groupItems
      .filter((item) => item.kind === itemKind.group)
      .map((item) => {
        const group: Group = groupItem.read(item);
        const snapshot = snapshots.get(group.id);
        return snapshot ? { group, snapshot } : { group };
      });
    return { groups, trends };
  }
}

/**
 * SET kind, schema version and month (harmless when they exist), ADD each counter: ADD starts
 * from 0.
 */
const addToMonth = (organisationId: string, month: string, deltas: readonly TrendDelta[]): Write<never> => {
  const names: Record<string, string> = { "#kind": "kind", "#month": "month" };
  const values: Record<string, unknown> = {
    ":kind": itemKind.monthlyTrend,
    ":version": monthlyTrendItem.version,
    ":month": month,
  };
  const adds = deltas.map((delta, i) => {
    names[`#c${i}`] = delta.counter;
    values[`:c${i}`] = delta.by;
    return `#c${i} :c${i}`;
  });
  return {
    update: keys.monthlyTrend(organisationId, month),
    changes: `SET #kind = :kind, schemaVersion = :version, #month = :month ADD ${adds.join(", ")}`,
    names,
    values,
  };
};
