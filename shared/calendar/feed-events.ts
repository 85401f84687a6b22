import { sessionStartInstant } from "#domain/local-time.ts";
import {
  occurrencesBetween,
  readRecurrenceLines,
  recurrenceLines,
  ruleStarts,
  startInstant,
  type RecurrenceSet,
} from "#domain/recurrence-set.ts";
import type { Series } from "#domain/series.ts";
import type { Session, SessionLogistics } from "#domain/session.ts";
import { seriesUid, sessionUid } from "./uids.ts";

/** How a group's entries are named in a feed: its own names, or the neutral title for all. */
export interface FeedNaming {
  groupName: string;
  neutralTitle?: string;
}

/**
 * One VEVENT of a feed: a series (with its recurrence lines), an occurrence that differs from
 * its series (with RECURRENCE-ID, the start the series gave it), or a session of no series.
 * Holds nothing about people: no facilitator, duty holder or attendee.
 */
export interface FeedEvent {
  uid: string;
  /** SEQUENCE: the series' or session's version less one, as the emailed invites count. */
  sequence: number;
  /** DTSTAMP: when this version was written, so an unchanged feed keeps its bytes. */
  stamp: string;
  startLocal: string;
  timeZone: string;
  durationMinutes: number;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  /** RRULE, RDATE and EXDATE content lines, on a series' VEVENT. */
  recurrence?: string[];
  /** "YYYY-MM-DDTHH:mm" in the series' zone, on an occurrence's VEVENT. */
  recurrenceId?: string;
  cancelled: boolean;
}

const naming = (what: SessionLogistics, names: FeedNaming) =>
  names.neutralTitle !== undefined
    ? { summary: names.neutralTitle }
    : {
        summary: `${what.title} (${names.groupName})`,
        description: `${what.title}, a session of ${names.groupName}.`,
      };

const logistics = (what: SessionLogistics, names: FeedNaming) => ({
  startLocal: what.startLocal,
  timeZone: what.timeZone,
  durationMinutes: what.durationMinutes,
  ...naming(what, names),
  ...(what.venue
    ? { location: [what.venue.name, what.venue.address].filter(Boolean).join(", ") }
    : what.onlineUrl
      ? { location: what.onlineUrl }
      : {}),
  ...(what.onlineUrl ? { url: what.onlineUrl } : {}),
});

/** "20261231T235959Z", an UNTIL value, for an instant. */
const utcRfc = (instant: Date): string => `${instant.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;

/**
 * The recurrence an ended series still has: its rule up to its last start before it ended
 * (UNTIL, in place of any COUNT), and the dates added before then; undefined when it ended
 * before its first start. An active series' is its own.
 */
const recurrenceOf = (series: Series): RecurrenceSet | undefined => {
  const set = readRecurrenceLines(series.recurrence, series.startLocal, series.timeZone);
  if (series.status === "active") return set;
  const end = new Date(series.endedAt ?? series.updatedAt);
  const before = (local: string) =>
    (startInstant(local, set.timeZone)?.getTime() ?? Infinity) < end.getTime();
  let last: string | undefined;
  for (const local of ruleStarts(set, end.toISOString().slice(0, 10))) if (before(local)) last = local;
  if (last === undefined) return undefined;
  const { count: _count, until: _until, ...rule } = set.rule;
  return {
    ...set,
    rule: { ...rule, until: utcRfc(sessionStartInstant(last, set.timeZone)) },
    rdates: set.rdates.filter(before),
  };
};

const sameLogistics = (a: SessionLogistics, b: SessionLogistics): boolean =>
  a.title === b.title &&
  a.timeZone === b.timeZone &&
  a.durationMinutes === b.durationMinutes &&
  a.onlineUrl === b.onlineUrl &&
  a.venue?.name === b.venue?.name &&
  a.venue?.address === b.venue?.address;

/**
 * A group's feed entries: each series as one recurring VEVENT, each of its occurrences that
 * was moved, changed or cancelled as a VEVENT of its own with the series' UID and the start
 * it replaces (RECURRENCE-ID), and each session of no series as a plain VEVENT. An
 * occurrence the series' own recurrence no longer has (a skipped date) is left out: the
 * series' EXDATE already says so.
 */
export function feedEvents(
  series: readonly Series[],
  sessions: readonly Session[],
  names: FeedNaming,
): FeedEvent[] {
  const events: FeedEvent[] = [];
  const sets = new Map<string, { series: Series; set: RecurrenceSet }>();
  for (const s of series) {
    const set = recurrenceOf(s);
    if (!set) continue;
    sets.set(s.id, { series: s, set });
    events.push({
      uid: seriesUid(s.id),
      sequence: s.version - 1,
      stamp: s.updatedAt,
      ...logistics(s, names),
      recurrence: recurrenceLines(set),
      cancelled: false,
    });
  }
  const onRule = onRuleOf(sets, sessions);
  for (const session of sessions) {
    const link = session.series;
    const of = link && sets.get(link.seriesId);
    const base = {
      sequence: session.version - 1,
      stamp: session.updatedAt,
      ...logistics(session, names),
      cancelled: session.status === "cancelled",
    };
    if (!link) events.push({ uid: sessionUid(session.id), ...base });
    else if (of && onRule(link.seriesId, link.originalStartLocal)) {
      const unchanged =
        session.status === "scheduled" &&
        session.startLocal === link.originalStartLocal &&
        sameLogistics(session, of.series);
      if (!unchanged)
        events.push({ uid: seriesUid(link.seriesId), ...base, recurrenceId: link.originalStartLocal });
    }
  }
  return events;
}

/** Whether a series' recurrence has a start, for the starts its sessions name (one expansion a series). */
const onRuleOf = (
  sets: ReadonlyMap<string, { set: RecurrenceSet }>,
  sessions: readonly Session[],
): ((seriesId: string, startLocal: string) => boolean) => {
  const starts = new Map<string, Set<string>>();
  for (const [id, { set }] of sets) {
    const named = sessions.flatMap((s) => (s.series?.seriesId === id ? [s.series.originalStartLocal] : []));
    if (named.length === 0) continue;
    const instants = named.map((local) => sessionStartInstant(local, set.timeZone).getTime());
    const from = new Date(Math.min(...instants));
    const to = new Date(Math.max(...instants) + 1);
    starts.set(id, new Set(occurrencesBetween(set, from, to).map((o) => o.startLocal)));
  }
  return (seriesId, startLocal) => starts.get(seriesId)?.has(startLocal) ?? false;
};
