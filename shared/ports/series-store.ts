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

/** What a series reply token stands for: one coordinator, asked once ("still meeting?") about one series. */
export interface SeriesReplyRef {
  organisationId: string;
  groupId: string;
  seriesId: string;
  memberId: string;
  /** When the ask fell due (ISO UTC): names the ask. */
  dueAt: string;
}

/** What the daily "still meeting?" run reads of a series. */
export type SeriesConfirmationState = SeriesRef &
  Pick<Series, "status" | "createdAt" | "updatedAt" | "confirmedAt" | "confirmationAskedAt">;

/** A page of series; `next` (opaque) asks for the page after. */
export interface SeriesStatePage {
  items: SeriesConfirmationState[];
  next?: Record<string, unknown>;
}

/** What an edit of a series writes (writeSeriesEdit). */
export interface SeriesEdit {
  series: Series;
  expectedVersion: number;
  /** The series a "this and following" edit splits off. */
  successor?: Series;
  /** The occurrence a "this" edit changed; `expectedVersion` absent when it is made by the edit. */
  occurrence?: { session: Session; expectedVersion?: number };
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
   * An edit of a series, in one transaction with its events: the series replaced if its stored
   * version is `expectedVersion`; the series that takes over on a split, new; the occurrence a
   * "this" edit changed, replaced at `expectedVersion` (new when absent). Conflict when the
   * series or the session changed meanwhile; nothing is written then.
   */
  writeSeriesEdit(edit: SeriesEdit, events: ConveneEvent[]): Promise<void>;
  /**
   * Writes a made occurrence as an edit of its series has it (`session.series` names the
   * series), with its event if members are to hear of it, only while that series is active at
   * `seriesVersion` and the session at `expectedVersion`; answers which.
   */
  alignOccurrence(
    session: Session,
    expectedVersion: number,
    seriesVersion: number,
    event?: ConveneEvent,
  ): Promise<"aligned" | "session-changed" | "series-changed">;
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
  /**
   * A page of the active series, across every organisation, that still have an occurrence to
   * make (one that has none ends by itself): the daily "still meeting?" run's work.
   */
  listActiveSeries(after?: SeriesStatePage["next"]): Promise<SeriesStatePage>;
  /**
   * Records that the coordinators were asked "still meeting?", with its event, only if the series
   * is active and unchanged since `read` (its confirmation, last ask and last edit); answers whether.
   */
  recordConfirmationAsked(
    read: SeriesConfirmationState,
    askedAt: Date,
    event: ConveneEvent,
  ): Promise<boolean>;
  /** Records that a coordinator confirmed the series, with its event, if it is active; answers whether. */
  recordConfirmed(ref: SeriesRef, confirmedAt: Date, event: ConveneEvent): Promise<boolean>;
  /** Writes an answer's event alone (a "no", after the series' end). */
  recordAnswer(event: ConveneEvent): Promise<void>;
  /** The coordinator's reply token for one ask: the one kept already, or else `candidate`. */
  seriesReplyToken(ref: SeriesReplyRef, candidate: string): Promise<string>;
  resolveSeriesReplyToken(token: string): Promise<SeriesReplyRef | undefined>;
}
