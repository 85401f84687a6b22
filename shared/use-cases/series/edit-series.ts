import { DomainError, invalid, notFound } from "#domain/errors.ts";
import { newId } from "#domain/ids.ts";
import { existsInZone, sessionStartInstant, wallTimeInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { checkRecurrence } from "#domain/recurrence-checks.ts";
import {
  nextOccurrences,
  occurrencesBetween,
  readRecurrenceLines,
  recurrenceLines,
  type RecurrenceSet,
} from "#domain/recurrence-set.ts";
import { occurrenceSessionId, type Series } from "#domain/series.ts";
import {
  changedLogistics,
  isOccurrence,
  noteForNextReminder,
  recurrenceBefore,
  recurrenceFrom,
  withLogistics,
  type ChangedField,
  type EditScope,
  type LogisticsChanges,
  type RecurrenceChanges,
} from "#domain/series-edit.ts";
import type { Session } from "#domain/session.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { Ports } from "#ports/ports.ts";
import { sessionSnapshot } from "#use-cases/sessions/session-changes.ts";
import { requireMembers, seriesSnapshot } from "./create-series.ts";
import { occurrenceDuties, occurrenceSession } from "./extend-series-window.ts";

/** An edit as a coordinator asks for it (EditSeriesInput). */
export interface SeriesEditRequest {
  scope: EditScope;
  /** The occurrence's original start, "YYYY-MM-DDTHH:mm": required for "this" and "following". */
  occurrence?: string;
  changes: LogisticsChanges & RecurrenceChanges & { cancelled?: boolean };
}

/** What an edit wrote: the series edited, and on a split the series that took over. */
export interface SeriesEdited {
  series: Series;
  successor?: Series;
}

type Deps = Pick<Ports, "store" | "series" | "roles" | "clock">;
const recurrenceKeys = ["rrule", "rdates", "exdates"] as const;

/** A recurrence problem named as the request names it: "changes.rrule", "changes.exdates.0". */
const renamed = (error: unknown): unknown =>
  error instanceof DomainError && error.kind === "invalid" && error.field
    ? invalid(`changes.${error.field}`, error.message)
    : error;
const underChanges = <T>(check: () => T): T => {
  try {
    return check();
  } catch (error) {
    throw renamed(error);
  }
};

/** The logistics asked for, without the recurrence or a cancellation. */
const logisticsOf = (changes: SeriesEditRequest["changes"]): LogisticsChanges => {
  const { rrule: _r, rdates: _rd, exdates: _ex, cancelled: _c, ...logistics } = changes;
  return logistics;
};

const isStarted = (local: string, timeZone: string, now: Date) => sessionStartInstant(local, timeZone) <= now;

/** Nothing is written on bad input: each problem names the field at fault. */
const requireEditable = (series: Series, request: SeriesEditRequest, set: RecurrenceSet, now: Date) => {
  if (series.status !== "active") throw invalid("seriesId", "the series has ended; it can no longer change");
  const { scope, occurrence, changes } = request;
  if (scope !== "all") {
    if (occurrence === undefined)
      throw invalid("occurrence", `is required to edit "${scope}": the occurrence's original start`);
    if (!isOccurrence(set, occurrence)) throw invalid("occurrence", "is not one of the series' dates");
    if (isStarted(occurrence, series.timeZone, now)) throw invalid("occurrence", "already held");
  }
  if (scope === "this") {
    const given = recurrenceKeys.find((key) => changes[key] !== undefined);
    if (given) throw invalid(`changes.${given}`, 'changes the series\' dates: edit "following" or "all"');
  } else if (changes.cancelled !== undefined)
    throw invalid("changes.cancelled", 'cancels one occurrence: edit "this"; to stop the series, end it');
  if (Object.keys(changes).length === 0) throw invalid("changes", "names nothing to change");
};

/** The first of the rule's own starts not yet begun: where an edit of "all" takes effect. */
const nextRuleStart = (set: RecurrenceSet, now: Date): string | undefined =>
  nextOccurrences({ ...set, rdates: [], exdates: [] }, now, 1)[0]?.startLocal;

/** The first occurrence still to make as a session, given the window's edge. */
const nextToMake = (set: RecurrenceSet, series: Pick<Series, "materialisedUntil">, now: Date) => {
  const edge = series.materialisedUntil ? new Date(series.materialisedUntil) : undefined;
  return nextOccurrences(set, edge && edge > now ? edge : now, 1)[0]?.start.toISOString();
};

/** The series at its next version, with `set` as its recurrence and `nextOccurrenceAt` kept true. */
const nextVersion = (series: Series, set: RecurrenceSet, now: Date, more: Partial<Series> = {}): Series => {
  const { nextOccurrenceAt: _next, ...rest } = series;
  const next = nextToMake(set, series, now);
  return {
    ...rest,
    ...more,
    startLocal: set.startLocal,
    recurrence: recurrenceLines(set),
    version: series.version + 1,
    updatedAt: now.toISOString(),
    // An edit says the group still meets this way.
    confirmedAt: now.toISOString(),
    ...(next ? { nextOccurrenceAt: next } : {}),
  };
};

/**
 * The session of an occurrence: by its id (series + original start), or, for one an earlier
 * edit took over or moved, by its link among the group's sessions to come.
 */
const findOccurrence = async (
  deps: Deps,
  series: Series,
  occurrence: string,
): Promise<Session | undefined> => {
  const { organisationId: o, groupId: g } = series;
  const isIt = (s: Session | undefined) =>
    s?.series?.seriesId === series.id && s.series.originalStartLocal === occurrence;
  const byId = await deps.store.getSession(o, g, occurrenceSessionId(series.id, occurrence));
  if (isIt(byId)) return byId;
  const listed = await deps.store.listUpcomingSessions(o, g, deps.clock.now(), 1000);
  const found = listed.find(isIt);
  return found && deps.store.getSession(o, g, found.id);
};

/**
 * Edits a series as calendar users expect (series-edit.ts says how each scope behaves).
 * 1. The series exists and is active; the occurrence named is one of its dates and has not
 *    started; the changes fit the scope; holders named are members; the recurrence that
 *    results is one a new series could have (checkRecurrence). Nothing is written otherwise.
 * 2. One transaction: the series at version + 1 (and on a split the series that takes over),
 *    SeriesChanged (and SeriesCreated), and for "this" the occurrence's session with its
 *    own event. A concurrent edit makes it a conflict.
 * 3. The sessions already made follow when SeriesChanged is handled (alignSeriesSessions).
 */
export const editSeries = async (
  deps: Deps,
  o: string,
  g: string,
  seriesId: string,
  request: SeriesEditRequest,
): Promise<SeriesEdited> => {
  const series = await deps.series.getSeries(o, g, seriesId);
  if (!series) throw notFound("series");
  const now = deps.clock.now();
  const set = readRecurrenceLines(series.recurrence, series.startLocal, series.timeZone);
  requireEditable(series, request, set, now);
  const logistics = logisticsOf(request.changes);
  if (logistics.startLocal !== undefined) {
    if (!existsInZone(logistics.startLocal, series.timeZone))
      throw invalid("changes.startLocal", `does not exist in ${series.timeZone}: the clocks go forward then`);
    if (isStarted(logistics.startLocal, series.timeZone, now))
      throw invalid("changes.startLocal", "must be in the future");
  }
  if (logistics.facilitatorMemberId !== undefined || logistics.duties !== undefined)
    await requireMembers(deps, o, g, {
      facilitatorMemberId: logistics.facilitatorMemberId,
      duties: logistics.duties ?? [],
    }).catch((error: unknown) => {
      throw renamed(error);
    });
  if (request.scope === "this") return editOccurrence(deps, series, set, request, now);
  const at = request.scope === "following" ? request.occurrence! : undefined;
  const isFirst =
    at !== undefined &&
    occurrencesBetween(set, new Date(0), wallTimeInstant(at, series.timeZone)).length === 0;
  // Splitting at the first occurrence leaves nothing before it: it is an edit of the whole series.
  return at === undefined || isFirst
    ? editWhole(deps, series, set, request, now, at)
    : splitSeries(deps, series, set, request, now, at);
};

/** What changed, for SeriesChanged and the sessions to follow. */
const changedFields = (series: Series, after: Series): ChangedField[] => [
  ...changedLogistics(series, after).filter(
    (f) => f !== "startLocal" || series.startLocal.slice(11) !== after.startLocal.slice(11),
  ),
  ...(JSON.stringify(series.recurrence) !== JSON.stringify(after.recurrence) ||
  series.startLocal !== after.startLocal
    ? (["recurrence"] as const)
    : []),
];

const seriesChanged = (
  before: Series,
  after: Series,
  request: SeriesEditRequest,
  changed: string[],
  now: Date,
  more: { splitInto?: { seriesId: string; originalStartLocal: string } } = {},
): ConveneEvent =>
  newEvent(
    "SeriesChanged",
    { organisationId: before.organisationId, groupId: before.groupId },
    {
      series: seriesSnapshot(after),
      previousVersion: before.version,
      scope: request.scope,
      ...(request.occurrence ? { occurrence: request.occurrence } : {}),
      changed: changed as ChangedField[],
      ...more,
    },
    now,
  );

/**
 * "all": the series changes from its next occurrence on. Its first start moves there (or to
 * the start given), so the rule describes what is still to come and the past stays as held.
 */
const editWhole = async (
  deps: Deps,
  series: Series,
  set: RecurrenceSet,
  request: SeriesEditRequest,
  now: Date,
  at?: string,
): Promise<SeriesEdited> => {
  const logistics = logisticsOf(request.changes);
  const upcoming = isStarted(series.startLocal, series.timeZone, now)
    ? nextRuleStart(set, now)
    : series.startLocal;
  const from = logistics.startLocal ?? at ?? upcoming;
  if (!from) throw invalid("seriesId", "the series has no sessions to come");
  const checked = underChanges(() => checkRecurrence(recurrenceFrom(set, from, request.changes), now));
  const after = nextVersion(withLogistics(series, logistics), checked, now);
  const changed = changedFields(series, after);
  if (changed.length === 0) return { series };
  await deps.series.writeSeriesEdit({ series: after, expectedVersion: series.version }, [
    seriesChanged(series, after, request, changed, now),
  ]);
  return { series: after };
};

/**
 * "following": the series ends just before the occurrence, and a new one (new id, `splitFrom`
 * naming the old) carries on from it with the changes. The new series starts with the old
 * one's window edge: the sessions already made from the occurrence on are taken over, not
 * made again (alignSeriesSessions); those beyond the edge are made under the new series' id.
 */
const splitSeries = async (
  deps: Deps,
  series: Series,
  set: RecurrenceSet,
  request: SeriesEditRequest,
  now: Date,
  at: string,
): Promise<SeriesEdited> => {
  const logistics = logisticsOf(request.changes);
  const from = logistics.startLocal ?? at;
  const checked = underChanges(() => checkRecurrence(recurrenceFrom(set, from, request.changes), now));
  const id = newId();
  const split = { seriesId: id, originalStartLocal: at };
  const before = nextVersion(series, recurrenceBefore(set, at), now, { splitInto: split });
  const { splitInto: _into, confirmationAskedAt: _asked, endedAt: _ended, ...carried } = series;
  const successor: Series = {
    ...nextVersion(withLogistics(carried, logistics), checked, now),
    id,
    version: 1,
    splitFrom: { seriesId: series.id, originalStartLocal: at },
    createdAt: now.toISOString(),
  };
  const changed = changedFields({ ...series, startLocal: at }, successor);
  const { organisationId: o, groupId: g } = series;
  await deps.series.writeSeriesEdit({ series: before, expectedVersion: series.version, successor }, [
    seriesChanged(series, before, request, changed, now, { splitInto: split }),
    newEvent(
      "SeriesCreated",
      { organisationId: o, groupId: g },
      { series: seriesSnapshot(successor), splitFrom: successor.splitFrom },
      now,
    ),
  ]);
  return { series: before, successor };
};

/**
 * "this": the occurrence's session changes or is cancelled, marked as an override, in the
 * same write as the series' next version. A cancelled occurrence is also skipped by the
 * series (EXDATE, or its added date removed). One not yet made (beyond the window) is made
 * now, as it is to be; the window's later fill finds it and leaves it.
 * Members hear of a cancellation at once; of a change at once within 48 hours of the
 * session, otherwise in their next reminder, which shows the session's change note.
 */
const editOccurrence = async (
  deps: Deps,
  series: Series,
  set: RecurrenceSet,
  request: SeriesEditRequest,
  now: Date,
): Promise<SeriesEdited> => {
  const { organisationId: o, groupId: g } = series;
  const occurrence = request.occurrence!;
  const found = await findOccurrence(deps, series, occurrence);
  if (found && (found.attendance || isStarted(found.startLocal, found.timeZone, now)))
    throw invalid("occurrence", "already held");
  const made =
    found ??
    occurrenceSession(
      series,
      { startLocal: occurrence, start: wallTimeInstant(occurrence, series.timeZone) },
      await occurrenceDuties(deps, series),
      now,
    );
  const link = { ...made.series!, overridden: true };
  const cancelled = request.changes.cancelled === true;
  const logistics = logisticsOf(request.changes);
  const changedSession = withLogistics(made, logistics);
  const fields = cancelled ? ["cancelled"] : changedLogistics(made, changedSession);
  if (fields.length === 0) return { series };
  const note = cancelled ? undefined : noteForNextReminder(made, changedSession, now);
  const { changeNote: _old, ...base } = cancelled ? made : changedSession;
  const session: Session = {
    ...base,
    ...(note ? { changeNote: note } : {}),
    ...(cancelled ? { status: "cancelled" as const } : {}),
    series: link,
    version: found ? made.version + 1 : 1,
    updatedAt: now.toISOString(),
  };
  const skipped: RecurrenceSet = !cancelled
    ? set
    : set.rdates.includes(occurrence)
      ? { ...set, rdates: set.rdates.filter((d) => d !== occurrence) }
      : { ...set, exdates: [...set.exdates, occurrence].sort() };
  const after = nextVersion(series, skipped, now);
  const scope = { organisationId: o, groupId: g };
  const sessionEvent: ConveneEvent = cancelled
    ? newEvent("SessionCancelled", scope, { session: sessionSnapshot(session) }, now)
    : found
      ? newEvent(
          "SessionRescheduled",
          scope,
          { session: sessionSnapshot(session), previousStartLocal: made.startLocal, cause: "series-edited" },
          now,
        )
      : newEvent("SessionScheduled", scope, { session: sessionSnapshot(session) }, now);
  // A cancellation beyond the window needs no session: the series skips the date.
  const occurrenceWrite =
    cancelled && !found
      ? {}
      : { occurrence: { session, ...(found ? { expectedVersion: found.version } : {}) } };
  await deps.series.writeSeriesEdit({ series: after, expectedVersion: series.version, ...occurrenceWrite }, [
    seriesChanged(series, after, request, fields, now),
    ...("occurrence" in occurrenceWrite ? [sessionEvent] : []),
  ]);
  return { series: after };
};
