/**
 * A group's privacy for who is coming: who may see names beside answers, and how attendance is
 * recorded. In peer support, attendance is sensitive: the default shows names to the people who
 * run the group only, and other members never see who said yes.
 */

/**
 * organisers: the group's facilitators and coordinators see names (the default); counts: nobody
 * sees names; opt-in: organisers see the names of members who chose to show theirs, counts for
 * the rest.
 */
export const nameVisibilities = ["organisers", "counts", "opt-in"] as const;
export type NameVisibility = (typeof nameVisibilities)[number];

/** headcount: a number, as always; named: the facilitator ticks who came. */
export const attendanceRecordings = ["headcount", "named"] as const;
export type AttendanceRecording = (typeof attendanceRecordings)[number];

export interface RsvpPrivacy {
  organisationId: string;
  groupId: string;
  names: NameVisibility;
  attendance: AttendanceRecording;
  /** Named attendance is kept this long, then only its count remains. */
  retentionMonths: number;
  updatedAt: string;
}

export const defaultRetentionMonths = 12;

/** A group that never chose: names for organisers, headcounts, a year's retention. */
export const defaultRsvpPrivacy = (organisationId: string, groupId: string): RsvpPrivacy => ({
  organisationId,
  groupId,
  names: "organisers",
  attendance: "headcount",
  retentionMonths: defaultRetentionMonths,
  updatedAt: new Date(0).toISOString(),
});

/**
 * Whose names an organiser may read beside their answers: every member's, none, or only those
 * who opted in. Someone who is not an organiser of the group sees none, whatever the setting.
 */
export const namesShown = (
  names: NameVisibility,
  isOrganiser: boolean,
  optedIn: ReadonlySet<string>,
): ((memberId: string) => boolean) => {
  if (!isOrganiser || names === "counts") return () => false;
  if (names === "opt-in") return (memberId) => optedIn.has(memberId);
  return () => true;
};

/** Whether any name at all may be shown, so that nothing about members is read when none may. */
export const mayShowAnyName = (names: NameVisibility, isOrganiser: boolean): boolean =>
  isOrganiser && names !== "counts";

/**
 * When a named attendance record fades to its count: `retentionMonths` calendar months after
 * the session, as epoch seconds (the table's TTL attribute, `expiresAt`, deletes the names
 * while the count stays on the session).
 */
export const namedAttendanceFadesAt = (sessionStartUtc: string, retentionMonths: number): number => {
  const at = new Date(sessionStartUtc);
  const day = at.getUTCDate();
  at.setUTCDate(1);
  at.setUTCMonth(at.getUTCMonth() + retentionMonths);
  // The 31st of a short month is its last day, not the 1st of the next.
  const lastDay = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
  at.setUTCDate(Math.min(day, lastDay));
  return Math.floor(at.getTime() / 1000);
};
