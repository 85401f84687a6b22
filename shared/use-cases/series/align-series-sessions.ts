import { sessionStartInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { occurrencesBetween, readRecurrenceLines } from "#domain/recurrence-set.ts";
import type { Series } from "#domain/series.ts";
import {
  alignedSession,
  changedLogistics,
  noteForNextReminder,
  type ChangedField,
} from "#domain/series-edit.ts";
import type { Session } from "#domain/session.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { Ports } from "#ports/ports.ts";
import type { SeriesRef } from "#ports/series-store.ts";
import { sessionSnapshot } from "#use-cases/sessions/session-changes.ts";
import { occurrenceDuties, occurrenceSession } from "./extend-series-window.ts";

type Deps = Pick<Ports, "store" | "series" | "roles" | "clock">;

export type SeriesAligned =
  | { moved: number; cancelled: number; taken: number; added: number }
  | { skipped: "no-series" | "ended" | "not-made" | "kept-changing" };

/** The most sessions to come a group is read for: 13 weeks of several series, with room. */
const sessionsRead = 1000;
const readAttempts = 3;

/** Whether the session is one of the series' to align: its own, or its predecessor's from the split on. */
const belongsTo = (series: Series, session: Session): boolean => {
  const link = session.series;
  if (!link) return false;
  if (link.seriesId === series.id)
    return !series.splitInto || link.originalStartLocal < series.splitInto.originalStartLocal;
  return (
    series.splitFrom?.seriesId === link.seriesId &&
    link.originalStartLocal >= series.splitFrom.originalStartLocal
  );
};

/**
 * After an edit of a series ("following" or "all"), the sessions it has already made that have
 * not started are brought in line, and with a split the new series takes over the old one's
 * from the split on. Each session is matched to the series' occurrence on the date the series
 * first gave it (a series meets at most once a day):
 * - no occurrence on that date any more: cancelled (cause "series-edited");
 * - otherwise alignedSession: the fields the edit `changed` take the series' values (an
 *   override keeps its own), the link names this series and the occurrence; a visible change
 *   is a new version with SessionRescheduled (cause "series-edited"; told at once within 48
 *   hours, else noted for the next reminder), a link alone is written without an event;
 * - occurrences in the window with no session yet (a date the edit added) are made.
 * Held, started and cancelled sessions are left alone. Every write holds only while the series
 * is at the version read; a series changed meanwhile is read again. It works from what is
 * stored, not from the event: repeated, or after a crash part-way, it finishes what is left
 * and changes nothing twice, and a stale event aligns to the series as it is now.
 */
export const alignSeriesSessions = async (
  deps: Deps,
  ref: SeriesRef,
  changed: readonly ChangedField[],
  correlationId?: string,
): Promise<SeriesAligned> => {
  const { organisationId: o, groupId: g } = ref;
  for (let attempt = 1; attempt <= readAttempts; attempt++) {
    const series = await deps.series.getSeries(o, g, ref.id);
    if (!series) return { skipped: "no-series" };
    if (series.status !== "active") return { skipped: "ended" };
    if (!series.materialisedUntil) return { skipped: "not-made" };
    const outcome = await alignOnce(deps, series, changed, correlationId);
    if (outcome !== "series-changed") return outcome;
  }
  return { skipped: "kept-changing" };
};

const alignOnce = async (
  deps: Deps,
  series: Series,
  changed: readonly ChangedField[],
  correlationId?: string,
): Promise<SeriesAligned | "series-changed"> => {
  const { organisationId: o, groupId: g } = series;
  const now = deps.clock.now();
  const edge = new Date(series.materialisedUntil!);
  const set = readRecurrenceLines(series.recurrence, series.startLocal, series.timeZone);
  const byDate = new Map(occurrencesBetween(set, now, edge).map((x) => [x.startLocal.slice(0, 10), x]));
  const listed = (await deps.store.listUpcomingSessions(o, g, now, sessionsRead)).filter((s) =>
    belongsTo(series, s),
  );
  const duties = await occurrenceDuties(deps, series);
  const scope = { organisationId: o, groupId: g, ...(correlationId ? { correlationId } : {}) };
  const done = { moved: 0, cancelled: 0, taken: 0, added: 0 };
  const matched = new Set<string>();
  for (const { id } of listed) {
    // The index is read eventually; each session is read again, consistently, before its write.
    const session = await deps.store.getSession(o, g, id);
    if (!session?.series || !belongsTo(series, session)) continue;
    const date = session.series.originalStartLocal.slice(0, 10);
    matched.add(date);
    if (session.status === "cancelled" || session.attendance) continue;
    if (sessionStartInstant(session.startLocal, session.timeZone) <= now) continue;
    const occurrence = byDate.get(date);
    const write = occurrence
      ? aligned(session, series, occurrence.startLocal, changed, duties, now, scope)
      : dropped(session, series, now, scope);
    if (!write) continue;
    const outcome = await deps.series.alignOccurrence(
      write.session,
      session.version,
      series.version,
      write.event,
    );
    if (outcome === "series-changed") return outcome;
    // Changed meanwhile (a coordinator moved it, say): it keeps that change.
    if (outcome === "session-changed") continue;
    done[write.counted]++;
  }
  for (const [date, occurrence] of byDate) {
    if (matched.has(date)) continue;
    const session = occurrenceSession(series, occurrence, duties, now);
    const event = newEvent("SessionScheduled", scope, { session: sessionSnapshot(session) }, now);
    const outcome = await deps.series.addOccurrence(session, series.version, event);
    if (outcome === "series-changed") return outcome;
    if (outcome === "added") done.added++;
  }
  return done;
};

type Write = { session: Session; event?: ConveneEvent; counted: "moved" | "cancelled" | "taken" };

const aligned = (
  session: Session,
  series: Series,
  occurrenceStart: string,
  changed: readonly ChangedField[],
  duties: Pick<Session, "facilitatorMemberId" | "duties">,
  now: Date,
  scope: { organisationId: string; groupId: string },
): Write | undefined => {
  const next = alignedSession(session, series, occurrenceStart, changed, duties);
  if (!next) return undefined;
  if (changedLogistics(session, next).length === 0) return { session: next, counted: "taken" };
  const note = noteForNextReminder(session, next, now);
  const { changeNote: _old, ...rest } = next;
  const after: Session = {
    ...rest,
    ...(note ? { changeNote: note } : {}),
    version: session.version + 1,
    updatedAt: now.toISOString(),
  };
  const event = newEvent(
    "SessionRescheduled",
    scope,
    { session: sessionSnapshot(after), previousStartLocal: session.startLocal, cause: "series-edited" },
    now,
  );
  return { session: after, event, counted: "moved" };
};

const dropped = (
  session: Session,
  series: Series,
  now: Date,
  scope: { organisationId: string; groupId: string },
): Write => {
  const after: Session = {
    ...session,
    status: "cancelled",
    series: { ...session.series!, seriesId: series.id },
    version: session.version + 1,
    updatedAt: now.toISOString(),
  };
  const event = newEvent(
    "SessionCancelled",
    scope,
    {
      session: sessionSnapshot(after),
      reason: "The group's series of sessions changed: it no longer meets on this date",
      cause: "series-edited",
    },
    now,
  );
  return { session: after, event, counted: "cancelled" };
};
