import { invalid, notFound } from "#domain/errors.ts";
import { newId } from "#domain/ids.ts";
import { newEvent } from "#domain/new-event.ts";
import { checkRecurrence } from "#domain/recurrence-checks.ts";
import { nextOccurrences, recurrenceLines } from "#domain/recurrence-set.ts";
import type { Series } from "#domain/series.ts";
import type { Ports } from "#ports/ports.ts";
import { sessionSnapshot, type SessionDetails } from "#use-cases/sessions/session-changes.ts";

/** A new series as a coordinator gives it: a session's details, and its recurrence. */
export interface SeriesDetails extends SessionDetails {
  /** The RRULE value, e.g. "FREQ=WEEKLY;BYDAY=TU". */
  rrule: string;
  /** Starts added beside the rule's, "YYYY-MM-DDTHH:mm" in the group's zone. */
  rdates: string[];
  /** The rule's starts that are skipped. */
  exdates: string[];
}

/** What events say about a series (SeriesCreated, SeriesChanged): a session's, and its recurrence. */
export const seriesSnapshot = (s: Series) => ({ ...sessionSnapshot(s), recurrence: s.recurrence });

/** The facilitator and duty holders named must be members of the group (one read each). */
export const requireMembers = async (
  deps: Pick<Ports, "store">,
  o: string,
  g: string,
  details: Pick<SeriesDetails, "facilitatorMemberId" | "duties">,
) => {
  const named = [
    ["facilitatorMemberId", details.facilitatorMemberId],
    ...details.duties.map((d, i) => [`duties.${i}.holderMemberId`, d.holderMemberId] as const),
  ].filter((x): x is [string, string] => typeof x[1] === "string");
  const members = await Promise.all(named.map(([, id]) => deps.store.isGroupMember(o, g, id)));
  const outsider = named.find((_, i) => !members[i]);
  if (outsider) throw invalid(outsider[0], "must be a member of the group");
};

/**
 * Makes a series of a group's sessions.
 * 1. The group exists; the recurrence, read in the group's zone, is one a series may have
 *    and starts in the future (checkRecurrence names the field at fault otherwise).
 * 2. The facilitator and duty holders named are members of the group.
 * 3. The series (filed under its first occurrence, which is still to make) and
 *    SeriesCreated are written in one transaction; its occurrences become sessions next,
 *    when SeriesCreated is handled (extendSeriesWindow). Nothing is written on bad input.
 */
export const createSeries = async (
  deps: Pick<Ports, "store" | "series" | "clock">,
  o: string,
  g: string,
  details: SeriesDetails,
): Promise<Series> => {
  const series = await draftSeries(deps, o, g, details);
  await deps.series.createSeries(
    series,
    newEvent(
      "SeriesCreated",
      { organisationId: o, groupId: g },
      { series: seriesSnapshot(series) },
      new Date(series.createdAt),
    ),
  );
  return series;
};

/**
 * The series a coordinator's details make, checked as createSeries checks them (steps 1 and
 * 2) and written nowhere: what createSeries saves, and what a preview shows before saving.
 */
export const draftSeries = async (
  deps: Pick<Ports, "store" | "clock">,
  o: string,
  g: string,
  details: SeriesDetails,
): Promise<Series> => {
  const group = await deps.store.getGroup(o, g);
  if (!group) throw notFound("group");
  const now = deps.clock.now();
  const set = checkRecurrence({ ...details, timeZone: group.timeZone }, now);
  await requireMembers(deps, o, g, details);
  const { rrule: _rrule, rdates: _rdates, exdates: _exdates, ...logistics } = details;
  const series: Series = {
    ...logistics,
    organisationId: o,
    groupId: g,
    id: newId(),
    version: 1,
    timeZone: group.timeZone,
    recurrence: recurrenceLines(set),
    status: "active",
    nextOccurrenceAt: nextOccurrences(set, now, 1)[0]!.start.toISOString(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    confirmedAt: now.toISOString(),
  };
  return series;
};
