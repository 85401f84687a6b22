import * as z from "#validation/zod-mini.ts";
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
export const SeriesCreated = eventEnvelope("SeriesCreated", z.strictObject({ series: seriesSnapshot }));

/**
 * A series changed (its rule, dates or logistics): the series as it is now, and the version it
 * replaced. Occurrences already held never change.
 */
export const SeriesChanged = eventEnvelope(
  "SeriesChanged",
  z.strictObject({ series: seriesSnapshot, previousVersion: z.int().check(z.minimum(1)) }),
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

export type SeriesCreated = z.infer<typeof SeriesCreated>;
export type SeriesChanged = z.infer<typeof SeriesChanged>;
export type SeriesEnded = z.infer<typeof SeriesEnded>;
