import { setTimeout as sleep } from "node:timers/promises";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { Group } from "#domain/group.ts";
import type { GroupHealthSnapshot, SectionWrite } from "#read-models/group-health.ts";
import type { TrendCounter, TrendCounts, TrendDelta } from "#read-models/monthly-trends.ts";
import type { OverviewData, OverviewStore } from "#ports/overview-store.ts";
import { itemKind, keys } from "./keys.ts";
import { isConditionFailure, stripKeys, type Item, type TableClient } from "./table-client.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * Longer than the bus archive keeps events (30 days by default) and than the 12 months shown,
 * so neither a retry nor a replay from the archive counts an event twice.
 */
const trendEventLifetimeSeconds = 400 * 24 * 3600;

/** Every event of an organisation adds to the same month's item: concurrent ones may conflict. */
const conflictAttempts = 6;
const conflictBaseDelayMs = 20;

const isTransactionConflict = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((r) => r.Code === "TransactionConflict");

/** The overview's aggregates in the single table, in a partition of their own per organisation. */
export class DynamoOverviewStore implements OverviewStore {
  constructor(private readonly table: TableClient) {}

  private get name() {
    return this.table.tableName;
  }

  /** One UpdateItem: the section as a map { value, at }, conditioned on the stored `at`. */
  async putHealthSection(organisationId: string, groupId: string, section: SectionWrite): Promise<boolean> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.name,
          Key: keys.groupHealth(organisationId, groupId),
          UpdateExpression: "SET #kind = :kind, groupId = :groupId, #section = :section",
          ConditionExpression: "attribute_not_exists(#section.#at) OR #section.#at <= :at",
          ExpressionAttributeNames: { "#kind": "kind", "#section": section.name, "#at": "at" },
          ExpressionAttributeValues: {
            ":kind": itemKind.groupHealth,
            ":groupId": groupId,
            ":section": { value: section.value, at: section.at },
            ":at": section.at,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
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
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.name,
          Item: {
            ...keys.trendEvent(organisationId, eventId),
            kind: itemKind.trendEvent,
            expiresAt: Math.floor(now.getTime() / 1000) + trendEventLifetimeSeconds,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      ...[...new Set(deltas.map((d) => d.month))].map((month) =>
        this.addToMonth(
          organisationId,
          month,
          deltas.filter((d) => d.month === month),
        ),
      ),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.table.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        if (!isTransactionConflict(error) || attempt >= conflictAttempts) throw error;
        await sleep(conflictBaseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  }

  /**
   * Two queries side by side: the organisation's group items (`GROUP#` prefix, as listGroups
   * reads them) and its overview partition from the first health item to `toMonth`'s trend
   * item. Trend months before `fromMonth` (12 items a year) are dropped here.
   */
  async readOverview(organisationId: string, fromMonth: string, toMonth: string): Promise<OverviewData> {
    const groupsOf = keys.groupsOf(organisationId);
    const overview = keys.overviewUpTo(organisationId, toMonth);
    const [groupItems, overviewItems] = await Promise.all([
      this.queryAll({
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues: { ":pk": groupsOf.PK, ":prefix": groupsOf.SKPrefix },
      }),
      this.queryAll({
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":pk": overview.PK, ":from": overview.SKFrom, ":to": overview.SKTo },
      }),
    ]);
    const snapshots = new Map<string, GroupHealthSnapshot>();
    const trends: TrendCounts[] = [];
    for (const item of overviewItems) {
      if (item.kind === itemKind.groupHealth) {
        const snapshot = stripKeys<GroupHealthSnapshot>(item)!;
        snapshots.set(snapshot.groupId, snapshot);
      } else if (item.kind === itemKind.monthlyTrend) {
        const { month, ...rest } = stripKeys<{ month: string } & Record<string, unknown>>(item)!;
        if (month < fromMonth) continue;
        const counters = Object.fromEntries(
          Object.entries(rest).filter(
            (entry): entry is [TrendCounter, number] => typeof entry[1] === "number",
          ),
        );
        trends.push({ month, counters });
      }
    }
    // Only the group items say which groups exist: a health item without one is left out.
    const groups = groupItems
      .filter((item) => item.kind === itemKind.group)
      .map((item) => {
        const group = stripKeys<Group>(item)!;
        const snapshot = snapshots.get(group.id);
        return snapshot ? { group, snapshot } : { group };
      });
    return { groups, trends };
  }

  /** SET kind and month (harmless when they exist), ADD each counter: ADD starts from 0. */
  private addToMonth(organisationId: string, month: string, deltas: readonly TrendDelta[]): TransactItem {
    const names: Record<string, string> = { "#kind": "kind", "#month": "month" };
    const values: Record<string, unknown> = { ":kind": itemKind.monthlyTrend, ":month": month };
    const adds = deltas.map((delta, i) => {
      names[`#c${i}`] = delta.counter;
      values[`:c${i}`] = delta.by;
      return `#c${i} :c${i}`;
    });
    return {
      Update: {
        TableName: this.name,
        Key: keys.monthlyTrend(organisationId, month),
        UpdateExpression: `SET #kind = :kind, #month = :month ADD ${adds.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Items with their kind (stripKeys drops it), every page. */
  private async queryAll(input: Omit<QueryCommandInput, "TableName">): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.table.doc.send(
        new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
