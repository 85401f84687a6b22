import type { ConveneEvent } from "#events/catalogue.ts";
import { conflict, notFound } from "#domain/errors.ts";
import type { Series } from "#domain/series.ts";
import type { Session } from "#domain/session.ts";
import type { SeriesDuePage, SeriesRef, SeriesStore } from "#ports/series-store.ts";
import type { Item } from "./item-kind.ts";
import { seriesItem } from "./items.ts";
import { keys } from "./keys.ts";
import { storedSession } from "./session-item.ts";
import { under, type TableClient } from "./table-client.ts";
import { isNew, mustExist } from "./writes.ts";

/**
 * Series in the single table, each in its group's partition beside the group's sessions, and
 * the writes that fill their windows with sessions. Active series with an occurrence still to
 * make are also in a due index (GSI1) ordered by that occurrence's start.
 */
export class DynamoSeriesStore implements SeriesStore {
  constructor(private readonly table: TableClient) {}

  async createSeries(series: Series, event: ConveneEvent): Promise<void> {
    const failed = await this.table.write(
      [
        mustExist(keys.group(series.organisationId, series.groupId), "no-group"),
        { put: itemOf(series), ...isNew, failed: "exists" },
      ],
      { events: [event] },
    );
    if (failed.includes("no-group")) throw notFound("group");
    if (failed.length) throw conflict("the series exists already");
  }

  getSeries(o: string, g: string, s: string): Promise<Series | undefined> {
    return this.table.get(seriesItem, keys.series(o, g, s));
  }

  listSeries(o: string, g: string): Promise<Series[]> {
    return this.table.queryAll(seriesItem, under(keys.seriesOf(o, g)));
  }

  async replaceSeries(series: Series, expectedVersion: number, event: ConveneEvent): Promise<void> {
    const failed = await this.table.write(
      [
        {
          put: itemOf(series),
          condition: "version = :expected",
          values: { ":expected": expectedVersion },
          failed: "changed",
        },
      ],
      { events: [event] },
    );
    if (failed.length) throw conflict("the series changed meanwhile; read it again and retry");
  }

  /**
   * One transaction: a check that the series is still active at the version read, the
   * session put only if it does not exist, and its SessionScheduled. A session of that id
   * (an earlier materialisation, or the occurrence moved or cancelled since) is left alone.
   */
  async addOccurrence(
    session: Session,
    seriesVersion: number,
    event: ConveneEvent,
  ): Promise<"added" | "exists" | "series-changed"> {
    if (!session.series) throw new RangeError("an occurrence names its series");
    const failed = await this.table.write(
      [
        {
          check: keys.series(session.organisationId, session.groupId, session.series.seriesId),
          condition: "version = :version AND #status = :active",
          names: { "#status": "status" },
          values: { ":version": seriesVersion, ":active": "active" },
          failed: "series-changed",
        },
        { put: storedSession(session), ...isNew, failed: "exists" },
      ],
      { events: [event] },
    );
    return failed.includes("series-changed") ? "series-changed" : (failed[0] ?? "added");
  }

  /**
   * One conditional UpdateItem: the edge moves only forward and only at the version read, and
   * the series is filed under its next occurrence (or leaves the due index when none is left).
   */
  async advanceSeriesWindow(
    ref: SeriesRef,
    seriesVersion: number,
    until: Date,
    nextOccurrence: Date | undefined,
  ): Promise<boolean> {
    const { organisationId: o, groupId: g, id: s } = ref;
    const due = nextOccurrence && keys.seriesWindowDue(o, g, s, nextOccurrence.toISOString());
    const failed = await this.table.write([
      {
        update: keys.series(o, g, s),
        changes: due
          ? "SET materialisedUntil = :until, nextOccurrenceAt = :next, GSI1PK = :duePk, GSI1SK = :dueSk"
          : "SET materialisedUntil = :until REMOVE nextOccurrenceAt, GSI1PK, GSI1SK",
        condition:
          "version = :version AND #status = :active AND (attribute_not_exists(materialisedUntil) OR materialisedUntil < :until)",
        names: { "#status": "status" },
        values: {
          ":until": until.toISOString(),
          ":version": seriesVersion,
          ":active": "active",
          ...(due
            ? { ":next": nextOccurrence.toISOString(), ":duePk": due.GSI1PK, ":dueSk": due.GSI1SK }
            : {}),
        },
        failed: "moved-on",
      },
    ]);
    return failed.length === 0;
  }

  /** A page of the due index: series whose next occurrence starts before `before`. */
  async listSeriesDue(before: Date, start?: Item): Promise<SeriesDuePage> {
    const page = await this.table.query(seriesItem.pick("organisationId", "groupId", "id"), {
      IndexName: "GSI1",
      KeyConditionExpression: "GSI1PK = :pk AND GSI1SK < :before",
      ExpressionAttributeValues: { ":pk": keys.seriesWindowsDue().GSI1PK, ":before": before.toISOString() },
      Limit: 100,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    return { items: page.items, ...(page.next ? { next: page.next } : {}) };
  }
}

/** An active series with an occurrence left to make sits in the due index under its start. */
const itemOf = (series: Series): Item => {
  const { organisationId: o, groupId: g, id } = series;
  const due =
    series.status === "active" && series.nextOccurrenceAt
      ? keys.seriesWindowDue(o, g, id, series.nextOccurrenceAt)
      : {};
  return seriesItem.item({ ...keys.series(o, g, id), ...due }, series);
};
