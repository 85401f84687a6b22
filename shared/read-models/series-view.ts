import { formatRecurrenceRule } from "#domain/recurrence-rule.ts";
import { nextOccurrences, readRecurrenceLines } from "#domain/recurrence-set.ts";
import { describeRecurrence } from "#domain/recurrence-words.ts";
import type { Series } from "#domain/series.ts";

/** How many of a series' next dates its view shows. */
export const nextDatesShown = 5;

/**
 * A series as coordinators read it: the series, its rule as RRULE text and in words ("Every
 * Tuesday at 19:00, London time"), the dates added and skipped, and its next five dates (none
 * once it has ended), each as local time and as an instant.
 */
export const seriesView = (series: Series, now: Date) => {
  const set = readRecurrenceLines(series.recurrence, series.startLocal, series.timeZone);
  const next = series.status === "active" ? nextOccurrences(set, now, nextDatesShown) : [];
  return {
    ...series,
    rrule: formatRecurrenceRule(set.rule),
    rdates: [...set.rdates],
    exdates: [...set.exdates],
    ruleInWords: describeRecurrence(set),
    nextDates: next.map((o) => ({ startLocal: o.startLocal, startsAt: o.start.toISOString() })),
  };
};

export type SeriesView = ReturnType<typeof seriesView>;
