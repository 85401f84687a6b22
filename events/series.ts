import * as z from "#validation/zod-mini.ts";
import { logisticsFields } from "#domain/series-edit.ts";
import { eventEnvelope, nonEmpty } from "./envelope.ts";
import { sessionSnapshot } from "./sessions.ts";

/**
 * What events say about a series: a session's ids and logistics, and its RFC 5545 recurrence
 * (the RRULE, RDATE and EXDATE lines, without DTSTART, which is `startLocal` in `timeZone`);
 * never a member's details.
 */
export const seriesSnapshot = z.extend(sessionSnapshot, {
  recurrence: z.array(z.string().check(z.regex(/^(RRULE|RDATE|EXDATE)[:;]/))).check(z.minLength(1)),
});

/** A series was made; its occurrences a window ahead are made sessions next. */
/** One side of a "this and following" split: the other series, and the occurrence split at. */
const seriesSplit = z.strictObject({
  seriesId: nonEmpty(),
  originalStartLocal: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)),
});

/**
 * A series was made; its occurrences a window ahead are made sessions next. `splitFrom` is
 * set on a series made by a "this and following" edit: the series it took over from.
 */
export const SeriesCreated = eventEnvelope(
  "SeriesCreated",
  z.strictObject({ series: seriesSnapshot, splitFrom: z.optional(seriesSplit) }),
);

/**
 * A series changed (its rule, dates or logistics): the series as it is now, the version it
 * replaced, and the edit: its `scope` ("this" occurrence, "following" ones, "all"), the
 * occurrence it was made at (its original start), and what it `changed`. A "following" edit
 * names the series that takes over (`splitInto`, made in the same write). Occurrences
 * already held never change.
 */
export const SeriesChanged = eventEnvelope(
  "SeriesChanged",
  z.strictObject({
    series: seriesSnapshot,
    previousVersion: z.int().check(z.minimum(1)),
    scope: z.enum(["this", "following", "all"]),
    occurrence: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/))),
    changed: z.array(z.enum([...logisticsFields, "recurrence", "cancelled"])),
    splitInto: z.optional(seriesSplit),
  }),
);

/**
 * A series ended: it makes no more sessions, and its sessions still to come (those starting
 * after `endedAt`) are cancelled next.
 */
export const SeriesEnded = eventEnvelope(
  "SeriesEnded",
  z.strictObject({
    seriesId: nonEmpty(),
    version: z.int().check(z.minimum(1)),
    endedAt: z.iso.datetime(),
    reason: z.optional(z.string().check(z.maxLength(500))),
  }),
);

/**
 * A series nobody had confirmed for its staleness period: its coordinators are asked "still
 * meeting?" next. `dueAt` names the ask (the instant it fell due), `askedAt` when it was made.
 */
export const SeriesConfirmationAsked = eventEnvelope(
  "SeriesConfirmationAsked",
  z.strictObject({ seriesId: nonEmpty(), dueAt: z.iso.datetime(), askedAt: z.iso.datetime() }),
);

/**
 * A coordinator answered "still meeting?": "yes" confirmed the series (written with its
 * confirmedAt), "no" ended it (after its SeriesEnded). The coordinator is told next, by email.
 */
export const SeriesConfirmationAnswered = eventEnvelope(
  "SeriesConfirmationAnswered",
  z.strictObject({
    seriesId: nonEmpty(),
    memberId: nonEmpty(),
    dueAt: z.iso.datetime(),
    answer: z.enum(["yes", "no"]),
    answeredAt: z.iso.datetime(),
  }),
);

export type SeriesConfirmationAsked = z.infer<typeof SeriesConfirmationAsked>;
export type SeriesConfirmationAnswered = z.infer<typeof SeriesConfirmationAnswered>;
export type SeriesCreated = z.infer<typeof SeriesCreated>;
export type SeriesChanged = z.infer<typeof SeriesChanged>;
export type SeriesEnded = z.infer<typeof SeriesEnded>;
