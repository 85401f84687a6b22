import type { ExpectedVsAttended } from "./organisation-overview.ts";
import { shownCount } from "./small-counts.ts";

/**
 * Expected against attended: for the sessions that asked for RSVPs and have their attendance
 * recorded, how many said yes and how many came. Pure. A session counts in the month of its
 * local start, as attendance does in the monthly trends. Answers close when a session starts,
 * so the yes count read once its attendance is recorded is final.
 */

/** A session that asked for RSVPs, with its yes answers and its recorded headcount. */
export interface ComparedSession {
  /** "YYYY-MM-DDTHH:mm", the group's local time. */
  startLocal: string;
  yes: number;
  headcount: number;
}

/** One month's compared sessions, summed. */
export interface ExpectedAttendanceMonth {
  /** "YYYY-MM". */
  month: string;
  sessions: number;
  expected: number;
  attended: number;
}

/** The months from `fromMonth` on, oldest first, each with its sessions summed. */
export const expectedAttendanceByMonth = (
  sessions: readonly ComparedSession[],
  fromMonth: string,
): ExpectedAttendanceMonth[] => {
  const byMonth = new Map<string, ExpectedAttendanceMonth>();
  for (const { startLocal, yes, headcount } of sessions) {
    const month = startLocal.slice(0, 7);
    if (month < fromMonth) continue;
    const sum = byMonth.get(month) ?? { month, sessions: 0, expected: 0, attended: 0 };
    byMonth.set(month, {
      month,
      sessions: sum.sessions + 1,
      expected: sum.expected + yes,
      attended: sum.attended + headcount,
    });
  }
  return [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
};

/** The months from `fromMonth` to `toMonth` (inclusive) added up; none when no session falls there. */
export const totalOf = (
  months: readonly ExpectedAttendanceMonth[],
  fromMonth: string,
  toMonth: string,
): Omit<ExpectedAttendanceMonth, "month"> | undefined => {
  const within = months.filter((m) => m.month >= fromMonth && m.month <= toMonth);
  if (within.length === 0) return undefined;
  return {
    sessions: within.reduce((n, m) => n + m.sessions, 0),
    expected: within.reduce((n, m) => n + m.expected, 0),
    attended: within.reduce((n, m) => n + m.attended, 0),
  };
};

/** As an organisation-level view shows it: counts under the threshold hidden; null without sessions. */
export const shownExpectedVsAttended = (
  total: Omit<ExpectedAttendanceMonth, "month"> | undefined,
): ExpectedVsAttended | null =>
  total && total.sessions > 0
    ? { sessions: total.sessions, expected: shownCount(total.expected), attended: shownCount(total.attended) }
    : null;
