// Edits of a series worked out without I/O: where a "this and following" split cuts the rule,
// what carries on, how a made session follows an edit (an override keeps its own), and the
// note a member's next reminder shows.

import { describe, expect, it } from "vitest";
import { checkRecurrence } from "#domain/recurrence-checks.ts";
import { formatRecurrenceRule } from "#domain/recurrence-rule.ts";
import { occurrencesBetween, recurrenceLines, type RecurrenceSet } from "#domain/recurrence-set.ts";
import type { Series } from "#domain/series.ts";
import {
  alignedSession,
  changeNote,
  isOccurrence,
  noteForNextReminder,
  recurrenceBefore,
  recurrenceFrom,
} from "#domain/series-edit.ts";
import type { Session } from "#domain/session.ts";
import { toldAtOnce } from "#use-cases/sessions/notify-session-change.ts";

const now = new Date("2026-01-01T00:00:00Z");
const london = "Europe/London";

/** Every Tuesday at 19:00 in London from 6 January 2026, as a coordinator would make it. */
const weekly = (rrule = "FREQ=WEEKLY;BYDAY=TU", more: Partial<RecurrenceSet> = {}): RecurrenceSet =>
  checkRecurrence(
    {
      startLocal: "2026-01-06T19:00",
      timeZone: london,
      rrule,
      rdates: [...(more.rdates ?? [])],
      exdates: [...(more.exdates ?? [])],
    },
    now,
  );

const starts = (set: RecurrenceSet, from = "2026-01-01T00:00:00Z", to = "2026-12-31T00:00:00Z") =>
  occurrencesBetween(set, new Date(from), new Date(to)).map((o) => o.startLocal);

describe("a split ('this and following')", () => {
  it("ends the old rule a second before the occurrence, across the clock change, keeping its past", () => {
    const set = weekly("FREQ=WEEKLY;BYDAY=TU", { exdates: ["2026-01-13T19:00", "2026-04-14T19:00"] });
    const before = recurrenceBefore(set, "2026-04-07T19:00");
    // 7 April is in British Summer Time: 19:00 BST is 18:00 UTC.
    expect(before.rule.until).toBe("20260407T175959Z");
    expect(before.exdates).toEqual(["2026-01-13T19:00"]);
    expect(starts(before).at(-1)).toBe("2026-03-31T19:00");
    expect(starts(before)).not.toContain("2026-04-07T19:00");
    expect(starts(before)).toHaveLength(12); // 13 Tuesdays to 31 March, less 13 January
  });

  it("carries on from the occurrence with the COUNT left and the later dates skipped, at the new time", () => {
    const set = weekly("FREQ=WEEKLY;BYDAY=TU;COUNT=10", {
      exdates: ["2026-01-20T19:00", "2026-02-24T19:00"],
    });
    const before = recurrenceBefore(set, "2026-02-10T19:00");
    const after = recurrenceFrom(set, "2026-02-10T18:30", {});
    expect(after.rrule).toBe("FREQ=WEEKLY;BYDAY=TU;COUNT=5");
    expect(after.exdates).toEqual(["2026-02-24T18:30"]);
    const carried = checkRecurrence(after, now);
    // Ten dates in all, as before, less the two skipped: four before the split, four after.
    expect(starts(before)).toEqual([
      "2026-01-06T19:00",
      "2026-01-13T19:00",
      "2026-01-27T19:00",
      "2026-02-03T19:00",
    ]);
    expect(starts(carried)).toEqual([
      "2026-02-10T18:30",
      "2026-02-17T18:30",
      "2026-03-03T18:30",
      "2026-03-10T18:30",
    ]);
  });

  it("keeps a COUNT that ends the rule before the split, and takes the rule and dates given", () => {
    const set = weekly("FREQ=WEEKLY;BYDAY=TU;COUNT=3", { rdates: ["2026-03-05T19:00"] });
    expect(formatRecurrenceRule(recurrenceBefore(set, "2026-03-05T19:00").rule)).toBe(
      "FREQ=WEEKLY;BYDAY=TU;COUNT=3",
    );
    const given = recurrenceFrom(set, "2026-03-05T19:00", {
      rrule: "FREQ=WEEKLY;BYDAY=TH",
      rdates: [],
      exdates: [],
    });
    expect(given).toMatchObject({ rrule: "FREQ=WEEKLY;BYDAY=TH", rdates: [], exdates: [] });
  });

  it("drops a skipped date no longer on the new rule, and a date added on a day it now meets", () => {
    const set = weekly("FREQ=WEEKLY;BYDAY=TU", {
      exdates: ["2026-03-10T19:00"],
      rdates: ["2026-03-12T19:00"],
    });
    const after = recurrenceFrom(set, "2026-03-05T19:00", { rrule: "FREQ=WEEKLY;BYDAY=TH" });
    expect(after.exdates).toEqual([]);
    expect(after.rdates).toEqual([]);
  });
});

describe("an occurrence", () => {
  it("is one of the rule's dates or one added, and not one skipped", () => {
    const set = weekly("FREQ=WEEKLY;BYDAY=TU", {
      rdates: ["2026-02-05T10:00"],
      exdates: ["2026-02-10T19:00"],
    });
    expect(isOccurrence(set, "2026-02-03T19:00")).toBe(true);
    expect(isOccurrence(set, "2026-02-05T10:00")).toBe(true);
    expect(isOccurrence(set, "2026-02-10T19:00")).toBe(false);
    expect(isOccurrence(set, "2026-02-03T18:00")).toBe(false);
    expect(isOccurrence(set, "2026-02-04T19:00")).toBe(false);
  });
});

const set = weekly();
const series: Series = {
  organisationId: "o",
  groupId: "g",
  id: "s2",
  version: 2,
  title: "Tuesday circle",
  startLocal: "2026-01-06T18:30",
  timeZone: london,
  durationMinutes: 120,
  venue: { name: "Library" },
  duties: [],
  recurrence: recurrenceLines(set),
  status: "active",
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
};
const session: Session = {
  organisationId: "o",
  groupId: "g",
  id: "s1_20260210T1900",
  version: 3,
  title: "Tuesday circle",
  startLocal: "2026-02-10T19:00",
  timeZone: london,
  durationMinutes: 90,
  venue: { name: "Church hall" },
  facilitatorMemberId: "m1",
  duties: [{ kind: "refreshments", holderMemberId: "m2" }],
  status: "scheduled",
  series: { seriesId: "s1", originalStartLocal: "2026-02-10T19:00" },
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
};
const roles = { facilitatorMemberId: "m9", duties: [] };

describe("a made session after an edit", () => {
  it("takes the fields the edit changed, the new start, and a link to the series, keeping its id", () => {
    const next = alignedSession(
      session,
      series,
      "2026-02-10T18:30",
      ["startLocal", "durationMinutes"],
      roles,
    );
    expect(next).toEqual({
      ...session,
      startLocal: "2026-02-10T18:30",
      durationMinutes: 120,
      series: { seriesId: "s2", originalStartLocal: "2026-02-10T18:30" },
    });
  });

  it("keeps what the edit did not change: its venue, its holders", () => {
    const next = alignedSession(session, series, "2026-02-10T19:00", ["title"], roles)!;
    expect(next.venue).toEqual({ name: "Church hall" });
    expect(next.duties).toEqual(session.duties);
    expect(alignedSession(session, series, "2026-02-10T19:00", ["facilitatorMemberId"], roles)).toMatchObject(
      {
        facilitatorMemberId: "m9",
        duties: [],
      },
    );
  });

  it("keeps an override as it is, only its link moving to the series that took over", () => {
    const override = { ...session, series: { ...session.series!, overridden: true } };
    expect(alignedSession(override, series, "2026-02-10T18:30", ["startLocal", "venue"], roles)).toEqual({
      ...override,
      series: { seriesId: "s2", originalStartLocal: "2026-02-10T19:00", overridden: true },
    });
  });

  it("is left alone when nothing would change", () => {
    const own = { ...session, series: { seriesId: "s2", originalStartLocal: "2026-02-10T19:00" } };
    expect(alignedSession(own, series, "2026-02-10T19:00", ["recurrence"], roles)).toBeUndefined();
  });
});

describe("the note for the next reminder", () => {
  it("says what changed, without names", () => {
    expect(
      changeNote(session, { ...session, startLocal: "2026-02-10T18:30", venue: { name: "Library" } }),
    ).toBe("Now at 18:30 (was 19:00); now at Library");
    expect(changeNote(session, { ...session, startLocal: "2026-02-11T19:00" })).toBe(
      "Moved from 2026-02-10 19:00",
    );
    expect(changeNote(session, { ...session, facilitatorMemberId: "m3" })).toBe(
      "The facilitator has changed",
    );
    expect(changeNote(session, { ...session })).toBeUndefined();
  });
});

describe("members told of a change an edit made", () => {
  const moved = { ...session, startLocal: "2026-02-10T18:00" };
  // 18:00 GMT on 10 February is 18:00 UTC.
  it("at once within 48 hours of the session (before or after the move), with no note", () => {
    const within = new Date("2026-02-08T18:00:00Z");
    expect(toldAtOnce({ session: moved, cause: "series-edited" }, within)).toBe(true);
    expect(noteForNextReminder(session, moved, within)).toBeUndefined();
  });

  it("otherwise in the next reminder, by its note", () => {
    const earlier = new Date("2026-02-08T17:59:00Z");
    expect(toldAtOnce({ session: moved, cause: "series-edited" }, earlier)).toBe(false);
    expect(noteForNextReminder(session, moved, earlier)).toBe("Now at 18:00 (was 19:00)");
    // A coordinator's own change to one session is told at once, however far ahead.
    expect(toldAtOnce({ session: moved }, earlier)).toBe(true);
  });
});
