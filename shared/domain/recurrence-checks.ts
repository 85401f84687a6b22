import { invalid } from "./errors.ts";
import { clockGaps, existsInZone, localDateTimeAt, wallTimeInstant } from "./local-time.ts";
import { parseRecurrenceRule } from "./recurrence-rule.ts";
import { nextOccurrences, ruleStarts, type RecurrenceSet } from "./recurrence-set.ts";

/** A series' recurrence as a coordinator gives it: the RRULE text and local dates added and skipped. */
export interface RecurrenceDraft {
  startLocal: string;
  timeZone: string;
  rrule: string;
  rdates: readonly string[];
  exdates: readonly string[];
}

/** How far ahead a new series' starts are checked against the zone's clock changes. */
const checkedYears = 3;
/** Dates added or skipped lie within this many years. */
const datedYears = 5;
const yearMs = 366 * 86_400_000;

const gapMessage = (local: string, timeZone: string) =>
  `${local.slice(11)} does not exist on ${local.slice(0, 10)} in ${timeZone}: the clocks go forward then; choose a time outside the change`;

/**
 * Checks a new series' recurrence and answers it as a set, or throws an invalid-input error
 * naming the field at fault:
 * 1. startLocal exists in the zone (not inside a spring-forward gap) and is in the future;
 * 2. the RRULE is one a series may have (recurrence-rule.ts), and startLocal is its first date;
 * 3. none of the rule's starts in the next three years falls in a gap (so the time of day
 *    holds on every one of them);
 * 4. each date skipped (exdates.<i>) is one of the rule's starts, given once;
 * 5. each date added (rdates.<i>) is in the future, exists in the zone, and falls on a day
 *    the series does not meet already (a series meets at most once a day; a day whose start
 *    is skipped is free, so a session moves by skipping its start and adding another);
 * 6. something is left to meet.
 */
export function checkRecurrence(draft: RecurrenceDraft, now: Date): RecurrenceSet {
  const { startLocal, timeZone } = draft;
  if (!existsInZone(startLocal, timeZone)) throw invalid("startLocal", gapMessage(startLocal, timeZone));
  if (wallTimeInstant(startLocal, timeZone) <= now)
    throw invalid("startLocal", "the series must start in the future");
  const rule = parseRecurrenceRule(draft.rrule, startLocal, timeZone);

  const latest = new Date(now.getTime() + datedYears * yearMs);
  const dated = (field: "rdates" | "exdates", local: string, i: number) => {
    const at = wallTimeInstant(local, timeZone);
    if (at <= now) throw invalid(`${field}.${i}`, "must be in the future");
    if (at > latest) throw invalid(`${field}.${i}`, `must be within ${datedYears} years`);
    if (!existsInZone(local, timeZone)) throw invalid(`${field}.${i}`, gapMessage(local, timeZone));
  };
  draft.rdates.forEach((local, i) => dated("rdates", local, i));
  draft.exdates.forEach((local, i) => dated("exdates", local, i));

  const checkedTo = new Date(now.getTime() + checkedYears * yearMs);
  // The rule's starts as far as the check reaches, or the latest date added or skipped.
  const reach = [...draft.rdates, ...draft.exdates].map((local) =>
    wallTimeInstant(local, timeZone).getTime(),
  );
  const lastDate = localDateTimeAt(new Date(Math.max(checkedTo.getTime(), ...reach)), timeZone).slice(0, 10);
  const starts = [...ruleStarts({ startLocal, timeZone, rule }, lastDate)];
  if (starts[0] === undefined) throw invalid("rrule", "UNTIL is before the first session");
  if (starts[0] !== startLocal)
    throw invalid(
      "startLocal",
      `${startLocal.slice(0, 10)} is not one of the rule's dates: the first session must be on the rule`,
    );
  const gaps = clockGaps(timeZone, now, checkedTo);
  const inGap = starts.find((local) => {
    const wall = Date.parse(`${local}Z`);
    return gaps.some((gap) => wall >= gap.from && wall < gap.to);
  });
  if (inGap) throw invalid("startLocal", gapMessage(inGap, timeZone));

  const ruleStartSet = new Set(starts);
  const skipped = new Set<string>();
  draft.exdates.forEach((local, i) => {
    if (!ruleStartSet.has(local)) throw invalid(`exdates.${i}`, `${local} is not one of the rule's dates`);
    if (skipped.has(local)) throw invalid(`exdates.${i}`, "is given twice");
    skipped.add(local);
  });
  // A day whose start is skipped is free: skipping it and adding another time moves a session.
  const meetingDays = new Set(
    starts.filter((local) => !skipped.has(local)).map((local) => local.slice(0, 10)),
  );
  draft.rdates.forEach((local, i) => {
    if (skipped.has(local)) throw invalid(`rdates.${i}`, "is skipped too (in exdates)");
    if (meetingDays.has(local.slice(0, 10)))
      throw invalid(
        `rdates.${i}`,
        `the series meets on ${local.slice(0, 10)} already; it meets at most once a day`,
      );
    meetingDays.add(local.slice(0, 10));
  });

  const byTime = (a: string, b: string) => a.localeCompare(b);
  const set: RecurrenceSet = {
    startLocal,
    timeZone,
    rule,
    rdates: [...draft.rdates].sort(byTime),
    exdates: [...skipped].sort(byTime),
  };
  if (nextOccurrences(set, now, 1).length === 0) throw invalid("exdates", "skips every date of the series");
  return set;
}
