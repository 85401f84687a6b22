import type { ConveneEvent } from "#events/catalogue.ts";
import { conflict, notFound } from "#domain/errors.ts";
import type { Series } from "#domain/series.ts";
import type { Session } from "#domain/session.ts";
import type {
  SeriesConfirmationState,
  SeriesDuePage,
  SeriesEdit,
  SeriesRef,
  SeriesReplyRef,
  SeriesStatePage,
  SeriesStore,
} from "#ports/series-store.ts";
import type { Item } from "./item-kind.ts";
import { memberSeriesTokenItem, seriesItem, seriesReplyTokenItem } from "./items.ts";
import { keys } from "./keys.ts";
import { storedSession } from "./session-item.ts";
import { under, type TableClient } from "./table-client.ts";
import { isNew, mustExist, type Write } from "./writes.ts";

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

  /** One transaction: the series at the version read, the series split off, the occurrence changed. */
  async writeSeriesEdit(edit: SeriesEdit, events: ConveneEvent[]): Promise<void> {
    const { series, expectedVersion, successor, occurrence } = edit;
    const failed = await this.table.write(
      [
        {
          put: itemOf(series),
          condition: "version = :expected AND #status = :active",
          names: { "#status": "status" },
          values: { ":expected": expectedVersion, ":active": "active" },
          failed: "changed",
        },
        ...(successor ? [{ put: itemOf(successor), ...isNew, failed: "changed" }] : []),
        ...(occurrence
          ? [
              occurrence.expectedVersion === undefined
                ? { put: storedSession(occurrence.session), ...isNew, failed: "changed" }
                : {
                    put: storedSession(occurrence.session),
                    condition: "version = :sessionVersion",
                    values: { ":sessionVersion": occurrence.expectedVersion },
                    failed: "changed",
                  },
            ]
          : []),
      ],
      { events },
    );
    if (failed.length) throw conflict("the series or its session changed meanwhile; read it again and retry");
  }

  /** One transaction: the series still active at the version read, the session at its own, its event. */
  async alignOccurrence(
    session: Session,
    expectedVersion: number,
    seriesVersion: number,
    event?: ConveneEvent,
  ): Promise<"aligned" | "session-changed" | "series-changed"> {
    const failed = await this.table.write(
      [
        seriesStillAt(session, seriesVersion),
        {
          put: storedSession(session),
          condition: "version = :sessionVersion",
          values: { ":sessionVersion": expectedVersion },
          failed: "session-changed",
        },
      ],
      event ? { events: [event] } : {},
    );
    return failed.includes("series-changed") ? "series-changed" : (failed[0] ?? "aligned");
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
    const failed = await this.table.write(
      [seriesStillAt(session, seriesVersion), { put: storedSession(session), ...isNew, failed: "exists" }],
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

  /** The whole due index: every active series with an occurrence still to make. */
  async listActiveSeries(start?: Item): Promise<SeriesStatePage> {
    const page = await this.table.query(confirmationState, {
      IndexName: "GSI1",
      KeyConditionExpression: "GSI1PK = :pk",
      ExpressionAttributeValues: { ":pk": keys.seriesWindowsDue().GSI1PK },
      Limit: 100,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    return { items: page.items, ...(page.next ? { next: page.next } : {}) };
  }

  /**
   * One transaction: the ask's instant, only if the series is active and its confirmation, last
   * ask and last edit are as read (a "yes" or an edit meanwhile makes the ask unneeded), and
   * SeriesConfirmationAsked. The version does not move: the ask changes no session.
   */
  async recordConfirmationAsked(read: SeriesConfirmationState, askedAt: Date, event: ConveneEvent) {
    const same = (field: "confirmedAt" | "confirmationAskedAt") =>
      read[field] === undefined ? `attribute_not_exists(${field})` : `${field} = :${field}`;
    const failed = await this.table.write(
      [
        {
          update: keys.series(read.organisationId, read.groupId, read.id),
          changes: "SET confirmationAskedAt = :askedAt",
          condition: `#status = :active AND updatedAt = :updatedAt AND ${same("confirmedAt")} AND ${same("confirmationAskedAt")}`,
          names: { "#status": "status" },
          values: {
            ":askedAt": askedAt.toISOString(),
            ":active": "active",
            ":updatedAt": read.updatedAt,
            ...(read.confirmedAt ? { ":confirmedAt": read.confirmedAt } : {}),
            ...(read.confirmationAskedAt ? { ":confirmationAskedAt": read.confirmationAskedAt } : {}),
          },
          failed: "changed",
        },
      ],
      { events: [event] },
    );
    return failed.length === 0;
  }

  /** One transaction: the confirmation's instant, only while the series is active, and SeriesConfirmed. */
  async recordConfirmed(ref: SeriesRef, confirmedAt: Date, event: ConveneEvent): Promise<boolean> {
    const failed = await this.table.write(
      [
        {
          update: keys.series(ref.organisationId, ref.groupId, ref.id),
          changes: "SET confirmedAt = :confirmedAt",
          condition: "#status = :active",
          names: { "#status": "status" },
          values: { ":confirmedAt": confirmedAt.toISOString(), ":active": "active" },
          failed: "ended",
        },
      ],
      { events: [event] },
    );
    return failed.length === 0;
  }

  async recordAnswer(event: ConveneEvent): Promise<void> {
    await this.table.write([], { events: [event] });
  }

  seriesReplyToken(ref: SeriesReplyRef, candidate: string): Promise<string> {
    const { organisationId: o, groupId: g, seriesId: s, dueAt, memberId: m } = ref;
    return this.table.replyToken(
      { key: keys.memberSeriesToken(o, g, s, dueAt, m), kind: memberSeriesTokenItem },
      { key: keys.seriesReplyToken(candidate), kind: seriesReplyTokenItem },
      ref,
      candidate,
    );
  }

  resolveSeriesReplyToken(token: string): Promise<SeriesReplyRef | undefined> {
    return this.table.get(seriesReplyTokenItem, keys.seriesReplyToken(token));
  }
}

/** What the daily "still meeting?" run reads of each series. */
const confirmationState = seriesItem.pick(
  "organisationId",
  "groupId",
  "id",
  "status",
  "createdAt",
  "updatedAt",
  "confirmedAt",
  "confirmationAskedAt",
);

/** A check that an occurrence's series is still active at the version its writer read. */
const seriesStillAt = (session: Session, seriesVersion: number): Write<"series-changed"> => {
  if (!session.series) throw new RangeError("an occurrence names its series");
  return {
    check: keys.series(session.organisationId, session.groupId, session.series.seriesId),
    condition: "version = :version AND #status = :active",
    names: { "#status": "status" },
    values: { ":version": seriesVersion, ":active": "active" },
    failed: "series-changed",
  };
};

/** An active series with an occurrence left to make sits in the due index under its start. */
const itemOf = (series: Series): Item => {
  const { organisationId: o, groupId: g, id } = series;
  const due =
    series.status === "active" && series.nextOccurrenceAt
      ? keys.seriesWindowDue(o, g, id, series.nextOccurrenceAt)
      : {};
  return seriesItem.item({ ...keys.series(o, g, id), ...due }, series);
};
