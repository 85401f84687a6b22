import { DomainError, notFound } from "#domain/errors.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { occurrencesBetween, readRecurrenceLines } from "#domain/recurrence-set.ts";
import { occurrenceSessionId, seriesWindowMs, type Series } from "#domain/series.ts";
import type { Ports } from "#ports/ports.ts";
import type { SeriesRef } from "#ports/series-store.ts";
import { cancelSession } from "#use-cases/sessions/session-changes.ts";

type Deps = Pick<Ports, "store" | "series" | "clock">;

/**
 * Ends a series: it makes no more sessions. The series (ended, at version + 1, out of the due
 * index) and SeriesEnded are one write; its sessions still to come are cancelled next, when
 * SeriesEnded is handled (cancelEndedOccurrences). Ending an ended series changes nothing.
 * A materialisation that read the series before it ended writes nothing more: each of its
 * sessions is written only while the series is active at the version it read.
 */
export const endSeries = async (
  deps: Deps,
  o: string,
  g: string,
  seriesId: string,
  reason?: string,
): Promise<Series> => {
  const before = await deps.series.getSeries(o, g, seriesId);
  if (!before) throw notFound("series");
  if (before.status === "ended") return before;
  const now = deps.clock.now();
  const { nextOccurrenceAt: _next, ...rest } = before;
  const after: Series = {
    ...rest,
    status: "ended",
    version: before.version + 1,
    updatedAt: now.toISOString(),
    endedAt: now.toISOString(),
  };
  await deps.series.replaceSeries(
    after,
    before.version,
    newEvent(
      "SeriesEnded",
      { organisationId: o, groupId: g },
      { seriesId, version: after.version, endedAt: now.toISOString(), ...(reason ? { reason } : {}) },
      now,
    ),
  );
  return after;
};

/** How far before the end an occurrence may have been put, and moved since to after it. */
const movedReach = 28 * 86_400_000;
/** Beyond the stored edge: a materialisation under way when the series ended may have gone further. */
const inFlightReach = seriesWindowMs + 7 * 86_400_000;

/**
 * The sessions of an ended series that had not started when it ended are cancelled, each
 * with SessionCancelled (cause "series-ended"). They are found by their deterministic ids (the
 * series' occurrences around and after its end), read consistently; sessions already
 * cancelled, held or under way are left as they are. Repeated, it cancels nothing twice.
 */
export const cancelEndedOccurrences = async (
  deps: Deps,
  ref: SeriesRef,
): Promise<{ cancelled: number } | { skipped: "no-series" | "active" }> => {
  const { organisationId: o, groupId: g } = ref;
  const series = await deps.series.getSeries(o, g, ref.id);
  if (!series) return { skipped: "no-series" };
  if (series.status !== "ended" || !series.endedAt) return { skipped: "active" };
  const endedAt = new Date(series.endedAt);
  const set = readRecurrenceLines(series.recurrence, series.startLocal, series.timeZone);
  const reach =
    Math.max(Date.parse(series.materialisedUntil ?? series.endedAt), endedAt.getTime()) + inFlightReach;
  const ids = occurrencesBetween(set, new Date(endedAt.getTime() - movedReach), new Date(reach)).map(
    (occurrence) => occurrenceSessionId(series.id, occurrence.startLocal),
  );
  const sessions = await Promise.all(ids.map((id) => deps.store.getSession(o, g, id)));
  // Handled late, a session that has started since the end is left to happen.
  const cutoff = Math.max(endedAt.getTime(), deps.clock.now().getTime());
  let cancelled = 0;
  for (const session of sessions) {
    if (!session || session.status === "cancelled" || session.attendance) continue;
    if (sessionStartInstant(session.startLocal, session.timeZone).getTime() <= cutoff) continue;
    try {
      await cancelSession(deps, o, g, session.id, "The group's series of sessions has ended", "series-ended");
      cancelled++;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Cancelled or held since the read (by a redelivery of the same event, say): nothing to
      // do for it. Changed otherwise: the event is handled again, and reads it afresh.
      const now = await deps.store.getSession(o, g, session.id);
      if (error.kind !== "invalid" && now?.status !== "cancelled") throw error;
    }
  }
  return { cancelled };
};
