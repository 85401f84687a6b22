import type { ConveneEvent } from "#events/catalogue.ts";
import { shownExpectedVsAttended, totalOf, type ExpectedAttendanceMonth } from "./expected-attendance.ts";
import type { MonthTrend } from "./organisation-overview.ts";
import { isHidden, shownCount } from "./small-counts.ts";

/**
 * The organisation's monthly trends, kept as counters per month that events add to (each
 * event once, guarded by its id in the store). Pure. Additions commute, so events arriving in
 * any order give the same counts in the end.
 *
 * - Sessions count on their local start day (`sessionsDD`, the group's own calendar): +1 when
 *   scheduled, -1 then +1 when moved, -1 when cancelled. A month's sessionsHeld adds its days
 *   up to today (UTC), so sessions later this month are not "held" yet.
 * - Votes closed count in the month they closed (UTC): the number, their ballots and their
 *   eligible members, so voteTurnout is ballots over eligible across the month's votes.
 * - Vacancies: one per RoleVacated (a place a holder left), in the month it was vacated (UTC).
 * - Attendance counts in the month of the session's local start: the headcounts recorded
 *   (`attendees`, a correction adds the difference) and the sessions they were recorded for
 *   (`sessionsCounted`, once per session), so attendance is the mean headcount per session
 *   counted; null when no session that month has a headcount, hidden when under 3 came in all.
 * - Expected against attended is not a counter: each group's health keeps its months
 *   (expected-attendance.ts), and the read adds every group's up per month.
 */

export type TrendCounter =
  | `sessions${string}`
  | "votesClosed"
  | "ballots"
  | "eligible"
  | "vacancies"
  | "attendees"
  | "sessionsCounted";

export interface TrendDelta {
  /** "YYYY-MM". */
  month: string;
  counter: TrendCounter;
  by: number;
}

/** One month's counters as stored (absent counters are 0). */
export interface TrendCounts {
  month: string;
  counters: Partial<Record<TrendCounter, number>>;
}

export const trendMonths = 12;

const localStart = /^(\d{4}-\d{2})-(\d{2})T\d{2}:\d{2}$/;

const localDay = (startLocal: string): { month: string; day: string } => {
  const match = localStart.exec(startLocal);
  // Events are validated at the edge; previousStartLocal is only a string there, so check it.
  if (!match) throw new RangeError("a session's local start must read YYYY-MM-DDTHH:mm");
  return { month: match[1]!, day: match[2]! };
};

const sessionDay = (startLocal: string, by: number): TrendDelta => {
  const { month, day } = localDay(startLocal);
  return { month, counter: `sessions${day}`, by };
};

const utcMonth = (instant: string): string => new Date(instant).toISOString().slice(0, 7);

/** What one event adds to the monthly counters; none for events the trends do not count. */
export function trendDeltas(event: ConveneEvent): TrendDelta[] {
  const deltas: TrendDelta[] = [];
  switch (event.type) {
    case "SessionScheduled":
      deltas.push(sessionDay(event.data.session.startLocal, 1));
      break;
    case "SessionRescheduled":
      deltas.push(
        sessionDay(event.data.previousStartLocal, -1),
        sessionDay(event.data.session.startLocal, 1),
      );
      break;
    case "SessionCancelled":
      deltas.push(sessionDay(event.data.session.startLocal, -1));
      break;
    case "VoteClosed": {
      const month = utcMonth(event.occurredAt);
      const { ballots, eligible } = event.data.result;
      deltas.push(
        { month, counter: "votesClosed", by: 1 },
        { month, counter: "ballots", by: ballots },
        { month, counter: "eligible", by: eligible },
      );
      break;
    }
    case "RoleVacated":
      deltas.push({ month: utcMonth(event.data.vacatedAt), counter: "vacancies", by: 1 });
      break;
    case "SessionAttendanceRecorded": {
      const { month } = localDay(event.data.startLocal);
      const { headcount, previousHeadcount } = event.data;
      deltas.push(
        { month, counter: "attendees", by: headcount - (previousHeadcount ?? 0) },
        { month, counter: "sessionsCounted", by: previousHeadcount === undefined ? 1 : 0 },
      );
      break;
    }
    default:
      break;
  }
  // One delta per counter (a session moved within its day changes nothing).
  const merged = new Map<string, TrendDelta>();
  for (const delta of deltas) {
    const key = `${delta.month}/${delta.counter}`;
    const kept = merged.get(key);
    merged.set(key, kept ? { ...kept, by: kept.by + delta.by } : delta);
  }
  return [...merged.values()].filter((delta) => delta.by !== 0);
}

/** The last `count` months up to and including now's (UTC), oldest first, as "YYYY-MM". */
export function monthsUpTo(now: Date, count = trendMonths): string[] {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(year, month - (count - 1 - i), 1)).toISOString().slice(0, 7),
  );
}

/**
 * The last 12 months' trends at `now`, oldest first; a month without counters is all zero.
 * `expected`: every group's months of expected against attended, added up per month here.
 */
export function monthlyTrends(
  counts: readonly TrendCounts[],
  now: Date,
  expected: readonly ExpectedAttendanceMonth[] = [],
): MonthTrend[] {
  const thisMonth = now.toISOString().slice(0, 7);
  const today = now.toISOString().slice(8, 10);
  const byMonth = new Map(counts.map((c) => [c.month, c.counters]));
  return monthsUpTo(now).map((month) => {
    const counters = byMonth.get(month) ?? {};
    let sessionsHeld = 0;
    for (const [counter, value] of Object.entries(counters)) {
      const day = /^sessions(\d{2})$/.exec(counter)?.[1];
      if (day !== undefined && (month < thisMonth || day <= today)) sessionsHeld += value ?? 0;
    }
    const votesClosed = counters.votesClosed ?? 0;
    const eligible = counters.eligible ?? 0;
    const sessionsCounted = counters.sessionsCounted ?? 0;
    const attendees = shownCount(Math.max(0, counters.attendees ?? 0));
    return {
      month,
      // Counters can dip below zero while events arrive out of order; they settle at >= 0.
      sessionsHeld: Math.max(0, sessionsHeld),
      attendance:
        sessionsCounted === 0 ? null : isHidden(attendees) ? attendees : attendees / sessionsCounted,
      voteTurnout: votesClosed > 0 && eligible > 0 ? Math.max(0, counters.ballots ?? 0) / eligible : null,
      vacancies: Math.max(0, counters.vacancies ?? 0),
      expectedVsAttended: shownExpectedVsAttended(totalOf(expected, month, month)),
    };
  });
}
