import pMap from "p-map";
import { newEvent } from "#domain/new-event.ts";
import {
  nextOccurrences,
  occurrencesBetween,
  readRecurrenceLines,
  type Occurrence,
} from "#domain/recurrence-set.ts";
import { withDutiesFromRoles } from "#domain/role-duties.ts";
import { occurrenceSessionId, seriesWindowMs, type Series } from "#domain/series.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import type { SeriesRef } from "#ports/series-store.ts";
import { sessionSnapshot } from "#use-cases/sessions/session-changes.ts";

type Deps = Pick<Ports, "store" | "series" | "roles" | "clock">;

export type WindowExtended =
  | { added: number; existing: number; until: string }
  | { skipped: "no-series" | "ended" | "filled" | "kept-changing" };

/** Who does what at an occurrence: the series' named holders while still members, else the roles'. */
export const occurrenceDuties = async (deps: Deps, series: Series) => {
  const { organisationId: o, groupId: g } = series;
  const [members, roles, catalogue] = await Promise.all([
    deps.store.listGroupMembers(o, g),
    deps.roles.listGroupRoles(o, g),
    deps.roles.getCatalogue(o),
  ]);
  const memberIds = new Set(members.map((m) => m.id));
  const isMember = (id: string | undefined) => id !== undefined && memberIds.has(id);
  const given = {
    ...(isMember(series.facilitatorMemberId) ? { facilitatorMemberId: series.facilitatorMemberId } : {}),
    duties: series.duties.map((d) => (isMember(d.holderMemberId) ? d : { kind: d.kind })),
  };
  return withDutiesFromRoles(given, roles, catalogue, memberIds);
};

export const occurrenceSession = (
  series: Series,
  occurrence: Occurrence,
  duties: { facilitatorMemberId?: string; duties: Session["duties"] },
  now: Date,
): Session => ({
  organisationId: series.organisationId,
  groupId: series.groupId,
  id: occurrenceSessionId(series.id, occurrence.startLocal),
  version: 1,
  title: series.title,
  startLocal: occurrence.startLocal,
  timeZone: series.timeZone,
  durationMinutes: series.durationMinutes,
  ...(series.venue ? { venue: series.venue } : {}),
  ...(series.onlineUrl ? { onlineUrl: series.onlineUrl } : {}),
  ...duties,
  status: "scheduled",
  series: { seriesId: series.id, originalStartLocal: occurrence.startLocal },
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

/** A series that keeps changing under a materialisation is read again this often in all. */
const readAttempts = 3;

/**
 * Makes a series' occurrences sessions up to the window's edge (now + 13 weeks).
 * 1. Read the series; an ended one, or one whose window reaches that far, needs nothing.
 * 2. Expand its recurrence from the window's old edge (or now, if later: no past sessions)
 *    to the new one.
 * 3. Write each occurrence as a session with its SessionScheduled, under its deterministic
 *    id (series + original start), only if no session has that id and only while the series
 *    is unchanged: a repeated run, after a crash or on a redelivered event, finds the ones
 *    made before and makes only the rest; an occurrence moved or cancelled since keeps its
 *    change. Duties default from the group's roles, as for any scheduled session.
 * 4. Only then move the window's edge, and file the series under its next occurrence (or
 *    take it out of the due index when none is left). A process that dies before this step
 *    leaves the old edge, so the next run repeats steps 2–4 and nothing is duplicated.
 * A series changed meanwhile (its version moved) is read again and the run starts over.
 * `asOf` (an event's time) fills the window as it stood then: an event replayed or delivered
 * late changes nothing its first handling did not; the daily run moves the window on.
 */
export const extendSeriesWindow = async (
  deps: Deps,
  ref: SeriesRef,
  correlationId?: string,
  asOf?: Date,
): Promise<WindowExtended> => {
  const { organisationId: o, groupId: g } = ref;
  for (let attempt = 1; attempt <= readAttempts; attempt++) {
    const series = await deps.series.getSeries(o, g, ref.id);
    if (!series) return { skipped: "no-series" };
    if (series.status !== "active") return { skipped: "ended" };
    const now = deps.clock.now();
    const until = new Date((asOf ?? now).getTime() + seriesWindowMs);
    const edge = series.materialisedUntil ? new Date(series.materialisedUntil) : undefined;
    if (edge && edge >= until) return { skipped: "filled" };
    const set = readRecurrenceLines(series.recurrence, series.startLocal, series.timeZone);
    const due = occurrencesBetween(set, edge && edge > now ? edge : now, until);
    const duties = due.length > 0 ? await occurrenceDuties(deps, series) : { duties: [] };
    let added = 0;
    let existing = 0;
    let changed = false;
    for (const occurrence of due) {
      const session = occurrenceSession(series, occurrence, duties, now);
      const event = newEvent(
        "SessionScheduled",
        { organisationId: o, groupId: g, ...(correlationId ? { correlationId } : {}) },
        { session: sessionSnapshot(session) },
        now,
      );
      const outcome = await deps.series.addOccurrence(session, series.version, event);
      if (outcome === "series-changed") {
        changed = true;
        break;
      }
      if (outcome === "added") added++;
      else existing++;
    }
    if (changed) continue;
    const next = nextOccurrences(set, until, 1)[0];
    // False when another run moved the edge as far or the series changed: either way done here.
    await deps.series.advanceSeriesWindow(ref, series.version, until, next?.start);
    return { added, existing, until: until.toISOString() };
  }
  return { skipped: "kept-changing" };
};

/** Series extended at once by the daily run. */
const concurrency = 4;

/**
 * The daily run: every active series, across organisations, whose next occurrence still to
 * make falls within the window gets its window extended (extendSeriesWindow), page by page
 * of the due index. One series that fails does not stop the others; the run fails at the
 * end if any did, so that it is retried (every extension is idempotent).
 */
export const extendDueSeriesWindows = async (
  deps: Deps & Pick<Ports, "log">,
): Promise<{ series: number; added: number; failed: number }> => {
  const before = new Date(deps.clock.now().getTime() + seriesWindowMs);
  let series = 0;
  let added = 0;
  let failed = 0;
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.series.listSeriesDue(before, after);
    await pMap(
      page.items,
      async (ref) => {
        try {
          const extended = await extendSeriesWindow(deps, ref);
          series++;
          if ("added" in extended) added += extended.added;
        } catch (error) {
          failed++;
          deps.log.error("series window not extended", {
            groupId: ref.groupId,
            seriesId: ref.id,
            error: error instanceof Error ? error.name : typeof error,
          });
        }
      },
      { concurrency },
    );
    after = page.next;
  } while (after);
  if (failed > 0) throw new Error(`${failed} series windows were not extended; the run is tried again`);
  return { series, added, failed };
};
