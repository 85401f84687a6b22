import type { ConveneEvent } from "#events/catalogue.ts";
import type { Series } from "#domain/series.ts";
import type { Session } from "#domain/session.ts";

/** Names one series. */
export interface SeriesRef {
  organisationId: string;
  groupId: string;
  id: string;
}

/** A page of series due for their window's extension; `next` (opaque) asks for the page after. */
export interface SeriesDuePage {
  items: SeriesRef[];
  next?: Record<string, unknown>;
}

/**
 * Session series and the sessions their windows are filled with. Each write that changes a
 * series or makes an occurrence a session writes its event in the same transaction.
 */
export interface SeriesStore {
  /** Writes a new series with its SeriesCreated event; not-found when the group is gone. */
  createSeries(series: Series, event: ConveneEvent): Promise<void>;
  getSeries(organisationId: string, groupId: string, seriesId: string): Promise<Series | undefined>;
  /** A group's series, ended ones too. */
  listSeries(organisationId: string, groupId: string): Promise<Series[]>;
  /** Replaces a series if its stored version is `expectedVersion`, with its event; conflict otherwise. */
  replaceSeries(series: Series, expectedVersion: number, event: ConveneEvent): Promise<void>;
  /**
   * Writes an occurrence of a series (`session.series` names it) as a session, with its
   * SessionScheduled event, only while the series is active at `seriesVersion` and only if no
   * session has the occurrence's id yet; answers which.
   */
  addOccurrence(
    session: Session,
    seriesVersion: number,
    event: ConveneEvent,
  ): Promise<"added" | "exists" | "series-changed">;
  /**
   * Moves the edge of a series' materialised window forward to `until` and records its next
   * occurrence still to make (none: it leaves the due index), if the series is still active at
   * `seriesVersion` and its edge was behind; answers whether it moved.
   */
  advanceSeriesWindow(
    series: SeriesRef,
    seriesVersion: number,
    until: Date,
    nextOccurrence: Date | undefined,
  ): Promise<boolean>;
  /**
   * A page of the active series, across every organisation, whose next occurrence still to make
   * starts before `before`: the daily window extension's work. `after` is the previous page's `next`.
   */
  listSeriesDue(before: Date, after?: SeriesDuePage["next"]): Promise<SeriesDuePage>;
}
