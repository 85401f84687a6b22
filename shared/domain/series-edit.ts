import { sessionStartInstant, wallTimeInstant } from "./local-time.ts";
import type { RecurrenceDraft } from "./recurrence-checks.ts";
import { formatRecurrenceRule, parseRecurrenceRule } from "./recurrence-rule.ts";
import { occurrencesBetween, ruleStarts, type RecurrenceSet } from "./recurrence-set.ts";
import type { Series } from "./series.ts";
import type { Session, SessionLogistics } from "./session.ts";

/**
 * Edits of a series as calendar users know them (Google, Outlook), worked out without a
 * clock or I/O:
 * - "this": one occurrence changes or is cancelled (an override; it keeps its RECURRENCE-ID,
 *   the original start); a cancelled occurrence is also skipped by the series (EXDATE).
 * - "following": the series splits at an occurrence. The old series ends just before it
 *   (UNTIL), keeping its past; a new series starts there with the changes.
 * - "all": the whole series changes, from its next occurrence on: its first start (DTSTART)
 *   moves to the first occurrence not yet begun, so the past stays as it was.
 * Held sessions never change. Sessions already made keep their ids (an id is only ever used
 * to find an occurrence before it is made); see alignedSession for how they follow an edit.
 */
export type EditScope = "this" | "following" | "all";

/** A session's logistics an edit may change, named as a series' input names them. */
export const logisticsFields = [
  "title",
  "startLocal",
  "durationMinutes",
  "venue",
  "onlineUrl",
  "facilitatorMemberId",
  "duties",
] as const;
export type LogisticsField = (typeof logisticsFields)[number];
/** What an edit changed, as SeriesChanged lists it: logistics, "recurrence", or "cancelled" (one occurrence). */
export type ChangedField = LogisticsField | "recurrence" | "cancelled";

export type LogisticsChanges = Partial<Pick<SessionLogistics, LogisticsField>>;

export interface RecurrenceChanges {
  rrule?: string;
  rdates?: string[];
  exdates?: string[];
}

/** Whether `local` is one of the set's occurrences (the rule's, or added, and not skipped). */
export const isOccurrence = (set: RecurrenceSet, local: string, timeZone = set.timeZone): boolean => {
  const at = wallTimeInstant(local, timeZone);
  return occurrencesBetween(set, at, new Date(at.getTime() + 60_000)).some((o) => o.startLocal === local);
};

/** An instant as RFC 5545 UTC DATE-TIME, "20260317T185959Z". */
const rfcUtc = (at: Date): string => `${at.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;

/** How many of the rule's own starts (skipped ones too, as COUNT counts) come before `local`. */
const ruleStartsBefore = (set: RecurrenceSet, local: string): number => {
  let n = 0;
  for (const start of ruleStarts(set, local.slice(0, 10))) if (start < local) n++;
  return n;
};

/**
 * The set cut just before the occurrence at `at`: the rule ends (UNTIL) a second before it,
 * or keeps its COUNT when that ends it sooner; dates added or skipped from `at` on go.
 */
export function recurrenceBefore(set: RecurrenceSet, at: string): RecurrenceSet {
  const { count: _count, until: _until, ...open } = set.rule;
  const before = ruleStartsBefore(set, at);
  const rule =
    set.rule.count !== undefined && set.rule.count <= before
      ? set.rule
      : { ...open, until: rfcUtc(new Date(wallTimeInstant(at, set.timeZone).getTime() - 1000)) };
  return {
    ...set,
    rule,
    rdates: set.rdates.filter((d) => d < at),
    exdates: set.exdates.filter((d) => d < at),
  };
}

/**
 * The recurrence of what carries on from `from` (a start, "YYYY-MM-DDTHH:mm", at the new time
 * of day): the rule as given, or the old one with the COUNT it has left; the dates added and
 * skipped as given, or the old ones from `from` on, a skipped date moved to the new time of
 * day and kept only while it is one of the rule's dates (a date added on a day the rule
 * meets goes too). Checked afterwards by checkRecurrence like a new series'.
 */
export function recurrenceFrom(
  set: RecurrenceSet,
  from: string,
  changes: RecurrenceChanges,
): RecurrenceDraft {
  let rrule = changes.rrule;
  if (rrule === undefined) {
    const { count, ...rest } = set.rule;
    const left = count === undefined ? undefined : count - ruleStartsBefore(set, from);
    rrule = formatRecurrenceRule(left === undefined ? rest : { ...rest, count: Math.max(left, 1) });
  }
  const time = from.slice(11);
  const after = (d: string) => d >= from.slice(0, 10);
  let exdates = changes.exdates;
  let rdates = changes.rdates;
  if (exdates === undefined || rdates === undefined) {
    const rule = parseRecurrenceRule(rrule, from, set.timeZone);
    const moved = set.exdates.filter(after).map((d) => `${d.slice(0, 10)}T${time}`);
    const last = [...moved, ...set.rdates].sort().at(-1) ?? from;
    const starts = new Set(ruleStarts({ startLocal: from, timeZone: set.timeZone, rule }, last.slice(0, 10)));
    exdates ??= moved.filter((d) => d >= from && starts.has(d));
    const skipped = new Set(exdates);
    const meetingDays = new Set([...starts].filter((d) => !skipped.has(d)).map((d) => d.slice(0, 10)));
    rdates ??= set.rdates.filter((d) => d > from && !meetingDays.has(d.slice(0, 10)));
  }
  return { startLocal: from, timeZone: set.timeZone, rrule, rdates, exdates };
}

/** `startLocal`'s date at `time` ("HH:mm"). */
export const atTime = (startLocal: string, time: string): string => `${startLocal.slice(0, 10)}T${time}`;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The logistics fields whose values differ between the two. */
export const changedLogistics = (
  before: Pick<SessionLogistics, LogisticsField>,
  after: Pick<SessionLogistics, LogisticsField>,
): LogisticsField[] => logisticsFields.filter((f) => !sameJson(before[f], after[f]));

/** `changes` applied to logistics; an explicit undefined venue or link removes it. */
export const withLogistics = <T extends SessionLogistics>(base: T, changes: LogisticsChanges): T => {
  const next = { ...base };
  for (const field of logisticsFields)
    if (field in changes) {
      const value = changes[field];
      if (value === undefined) delete next[field];
      else Object.assign(next, { [field]: value });
    }
  return next;
};

/**
 * What a made session of the series becomes after an edit that changed `changed`, when the
 * series now puts it at `occurrence` (matched by date: a series meets at most once a day).
 * - An override ("this" edit) keeps everything it has: only its link moves to this series.
 * - Otherwise the fields changed take the series' values, the start becomes the occurrence's,
 *   and the link names the occurrence (RECURRENCE-ID); duties, when changed, are `duties`
 *   (the series' holders while still members, else the roles', as when made).
 * Its id never changes. Answers undefined when nothing would change.
 */
export function alignedSession(
  session: Session,
  series: Series,
  occurrenceStart: string,
  changed: readonly ChangedField[],
  duties: Pick<Session, "facilitatorMemberId" | "duties">,
): Session | undefined {
  const link = session.series?.overridden
    ? { ...session.series, seriesId: series.id }
    : { seriesId: series.id, originalStartLocal: occurrenceStart };
  let next: Session = { ...session, series: link };
  if (!session.series?.overridden) {
    const fromSeries: LogisticsChanges = {};
    for (const field of changed)
      if (field === "cancelled") continue;
      else if (field === "startLocal" || field === "recurrence") fromSeries.startLocal = occurrenceStart;
      else if (field === "facilitatorMemberId" || field === "duties") {
        fromSeries.facilitatorMemberId = duties.facilitatorMemberId;
        fromSeries.duties = duties.duties;
      } else Object.assign(fromSeries, { [field]: series[field] });
    next = withLogistics(next, fromSeries);
  }
  return sameJson(next, session) ? undefined : next;
}

const changeWords: Record<LogisticsField, (s: SessionLogistics, before: SessionLogistics) => string> = {
  title: (s) => `Now called "${s.title}"`,
  startLocal: (s, b) =>
    s.startLocal.slice(0, 10) === b.startLocal.slice(0, 10)
      ? `Now at ${s.startLocal.slice(11)} (was ${b.startLocal.slice(11)})`
      : `Moved from ${b.startLocal.replace("T", " ")}`,
  durationMinutes: (s) => `Now ${s.durationMinutes} minutes long`,
  venue: (s) => (s.venue ? `Now at ${s.venue.name}` : "No longer at a venue"),
  onlineUrl: (s) => (s.onlineUrl ? "The online link has changed" : "No longer online"),
  facilitatorMemberId: () => "The facilitator has changed",
  duties: () => "Who does what has changed",
};

/**
 * A short note of what changed, for a member's next reminder: "Now at 18:30 (was 19:00);
 * the online link has changed". No names: it goes into every member's email.
 */
export function changeNote(before: SessionLogistics, after: SessionLogistics): string | undefined {
  const lines = changedLogistics(before, after)
    .filter((f) => f !== "duties" || !changedLogistics(before, after).includes("facilitatorMemberId"))
    .map((f) => changeWords[f](after, before));
  if (lines.length === 0) return undefined;
  return lines.map((line, i) => (i === 0 ? line : line[0]!.toLowerCase() + line.slice(1))).join("; ");
}

/** Within this long of a session, members are told of a change to it at once. */
export const toldAtOnceWithinMs = 48 * 3_600_000;

/**
 * The note a session changed by an edit of its series carries for its next reminder: none
 * when the session, before or after, is within 48 hours (members are told at once then).
 */
export const noteForNextReminder = (
  before: SessionLogistics,
  after: SessionLogistics,
  now: Date,
): string | undefined => {
  const soonest = Math.min(
    sessionStartInstant(before.startLocal, before.timeZone).getTime(),
    sessionStartInstant(after.startLocal, after.timeZone).getTime(),
  );
  return soonest - now.getTime() <= toldAtOnceWithinMs ? undefined : changeNote(before, after);
};
