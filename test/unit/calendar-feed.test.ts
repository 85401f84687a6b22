import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { feedEvents, type FeedNaming } from "#calendar/feed-events.ts";
import { writeFeed } from "#calendar/write-feed.ts";
import { localDateTimeAt } from "#domain/local-time.ts";
import { nextOccurrences, readRecurrenceLines } from "#domain/recurrence-set.ts";
import { occurrenceSessionId, type Series } from "#domain/series.ts";
import type { Session } from "#domain/session.ts";
import { renderSessionIcs } from "#messages/sessions/session-invite-ics.ts";
import { readFeed } from "./calendar-feed-reader.ts";

// The feed is written with ical-generator and read back with ical.js: what a subscribed
// calendar would understand, checked against the series' own expansion (recurrence-set.ts).

const series = (overrides: Partial<Series> = {}): Series => ({
  organisationId: "org-1",
  groupId: "group-1",
  id: "series-london",
  version: 1,
  title: "Weekly meeting",
  // Before both of London's 2026 clock changes (29 March, 25 October).
  startLocal: "2026-03-03T19:00",
  timeZone: "Europe/London",
  durationMinutes: 90,
  venue: { name: "St Mary's Hall", address: "1 Church Street, Leeds" },
  facilitatorMemberId: "member-facilitator",
  duties: [{ kind: "refreshments", holderMemberId: "member-tea" }],
  recurrence: ["RRULE:FREQ=WEEKLY;BYDAY=TU", "EXDATE;TZID=Europe/London:20260407T190000"],
  status: "active",
  createdAt: "2026-02-01T09:00:00.000Z",
  updatedAt: "2026-02-01T09:00:00.000Z",
  ...overrides,
});

const occurrence = (of: Series, originalStartLocal: string, overrides: Partial<Session> = {}): Session => ({
  organisationId: of.organisationId,
  groupId: of.groupId,
  id: occurrenceSessionId(of.id, originalStartLocal),
  version: 1,
  title: of.title,
  startLocal: originalStartLocal,
  timeZone: of.timeZone,
  durationMinutes: of.durationMinutes,
  ...(of.venue ? { venue: of.venue } : {}),
  duties: of.duties,
  status: "scheduled",
  series: { seriesId: of.id, originalStartLocal },
  createdAt: "2026-02-01T09:00:00.000Z",
  updatedAt: "2026-02-01T09:00:00.000Z",
  ...overrides,
});

const names: FeedNaming = { groupName: "Bipolar Support Leeds" };
const feed = (all: Series[], sessions: Session[], naming: FeedNaming = names) =>
  writeFeed(naming.neutralTitle ?? naming.groupName, feedEvents(all, sessions, naming));

const byUid = (read: ReturnType<typeof readFeed>, uid: string) =>
  read.vevents.filter((e) => e.getFirstPropertyValue("uid") === uid);
const master = (read: ReturnType<typeof readFeed>, uid: string) => {
  const found = byUid(read, uid).filter((e) => !e.hasProperty("recurrence-id"));
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** The series' own next starts, as instants. */
const ownStarts = (s: Series, from: Date, count: number) =>
  nextOccurrences(readRecurrenceLines(s.recurrence, s.startLocal, s.timeZone), from, count).map((o) =>
    o.start.toISOString(),
  );

describe("a series in a feed", () => {
  it("is one VEVENT whose RRULE and EXDATE expand to the series' own dates across London's clock changes", () => {
    const s = series();
    const read = readFeed(feed([s], []));
    expect(read.vevents).toHaveLength(1);
    const event = master(read, "series-london@convene");
    expect(event.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/London");
    const from = new Date("2026-03-01T00:00:00Z");
    const expanded = read.expand(event, from, 45).map((d) => d.toISOString());
    expect(expanded).toEqual(ownStarts(s, from, 45));
    expect(expanded).not.toContain("2026-04-07T18:00:00.000Z");
    // 19:00 in London every week: 19:00Z in winter, 18:00Z in summer.
    expect(expanded).toContain("2026-03-24T19:00:00.000Z");
    expect(expanded).toContain("2026-03-31T18:00:00.000Z");
    expect(expanded).toContain("2026-10-27T19:00:00.000Z");
    for (const at of expanded) expect(localDateTimeAt(new Date(at), "Europe/London").slice(11)).toBe("19:00");
  });

  it("expands New York's every-other-Thursday and last-Sunday rules to the series' dates across its clock changes", () => {
    const fortnightly = series({
      id: "series-ny-thursday",
      startLocal: "2026-02-26T18:30",
      timeZone: "America/New_York",
      recurrence: ["RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"],
    });
    const monthly = series({
      id: "series-ny-sunday",
      startLocal: "2026-01-25T10:00",
      timeZone: "America/New_York",
      recurrence: ["RRULE:FREQ=MONTHLY;BYDAY=-1SU;COUNT=12", "RDATE;TZID=America/New_York:20260705T100000"],
    });
    const read = readFeed(feed([fortnightly, monthly], []));
    const from = new Date("2026-01-01T00:00:00Z");
    for (const s of [fortnightly, monthly]) {
      const expanded = read.expand(master(read, `${s.id}@convene`), from, 30).map((d) => d.toISOString());
      expect(expanded).toEqual(ownStarts(s, from, 30));
      const local = s.startLocal.slice(11);
      for (const at of expanded)
        expect(localDateTimeAt(new Date(at), "America/New_York").slice(11)).toBe(local);
    }
    // 8 March and 1 November 2026 are New York's changes: 18:30 EST is 23:30Z, EDT 22:30Z.
    const thursdays = read
      .expand(master(read, "series-ny-thursday@convene"), from, 30)
      .map((d) => d.toISOString());
    expect(thursdays.slice(0, 2)).toEqual(["2026-02-26T23:30:00.000Z", "2026-03-12T22:30:00.000Z"]);
    expect(thursdays).toContain("2026-10-22T22:30:00.000Z");
    expect(thursdays).toContain("2026-11-05T23:30:00.000Z");
    const sundays = read.expand(master(read, "series-ny-sunday@convene"), from, 30);
    expect(sundays).toHaveLength(13);
    expect(
      read.calendar.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid")),
    ).toEqual(["America/New_York"]);
  });

  it("carries a VTIMEZONE for each zone, a refresh interval, and SEQUENCE from the series' version", () => {
    const read = readFeed(
      feed([series({ version: 4 }), series({ id: "series-ny", timeZone: "America/New_York" })], []),
    );
    expect(
      read.calendar
        .getAllSubcomponents("vtimezone")
        .map((z) => z.getFirstPropertyValue("tzid"))
        .sort(),
    ).toEqual(["America/New_York", "Europe/London"]);
    expect(read.calendarProperty("refresh-interval")).toBe("PT4H");
    expect(read.calendarProperty("x-published-ttl")).toBe("PT4H");
    expect(master(read, "series-london@convene").getFirstPropertyValue("sequence")).toBe(3);
    expect(read.calendarProperty("method")).toBeUndefined();
  });

  it("shows a moved occurrence and a cancelled one as VEVENTs with the series' UID and RECURRENCE-ID, and leaves unchanged ones to the rule", () => {
    const s = series();
    const moved = occurrence(s, "2026-03-17T19:00", {
      startLocal: "2026-03-18T18:00",
      version: 2,
      updatedAt: "2026-03-10T12:00:00.000Z",
    });
    const cancelled = occurrence(s, "2026-03-24T19:00", {
      status: "cancelled",
      version: 3,
      updatedAt: "2026-03-11T12:00:00.000Z",
    });
    const unchanged = occurrence(s, "2026-03-10T19:00");
    const read = readFeed(feed([s], [moved, cancelled, unchanged]));
    const overrides = byUid(read, "series-london@convene").filter((e) => e.hasProperty("recurrence-id"));
    expect(overrides).toHaveLength(2);
    const [m, c] = overrides.sort(
      (a, b) => read.instantOf(a, "recurrence-id").getTime() - read.instantOf(b, "recurrence-id").getTime(),
    );
    expect(read.instantOf(m!, "recurrence-id").toISOString()).toBe("2026-03-17T19:00:00.000Z");
    expect(read.instantOf(m!, "dtstart").toISOString()).toBe("2026-03-18T18:00:00.000Z");
    expect(m!.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(m!.getFirstPropertyValue("sequence")).toBe(1);
    expect(read.instantOf(c!, "recurrence-id").toISOString()).toBe("2026-03-24T19:00:00.000Z");
    expect(c!.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(c!.getFirstPropertyValue("sequence")).toBe(2);

    // ical.js applies the overrides to the series as a calendar does.
    const event = new ICAL.Event(master(read, "series-london@convene"));
    for (const o of overrides) event.relateException(new ICAL.Event(o));
    const iterator = event.iterator();
    const starts: string[] = [];
    for (let next = iterator.next(); next && starts.length < 4; next = iterator.next()) {
      const details = event.getOccurrenceDetails(next) as { startDate: ICAL.Time; item: ICAL.Event };
      starts.push(
        `${details.startDate.toString()} ${String(details.item.component.getFirstPropertyValue("status"))}`,
      );
    }
    expect(starts).toEqual([
      "2026-03-03T19:00:00 CONFIRMED",
      "2026-03-10T19:00:00 CONFIRMED",
      "2026-03-18T18:00:00 CONFIRMED",
      "2026-03-24T19:00:00 CANCELLED",
    ]);
  });

  it("gives an occurrence the UID and RECURRENCE-ID of its emailed invite, so a calendar merges them", () => {
    const s = series();
    const moved = occurrence(s, "2026-03-17T19:00", { startLocal: "2026-03-17T20:00", version: 2 });
    const read = readFeed(feed([s], [moved]));
    const override = byUid(read, "series-london@convene").find((e) => e.hasProperty("recurrence-id"))!;
    const invite = readFeed(
      renderSessionIcs({
        session: moved,
        groupName: names.groupName,
        organiserEmail: "group@groups.convene.example",
        attendeeEmail: "member@example.org",
        method: "REQUEST",
      }),
    );
    const emailed = invite.vevents[0]!;
    expect(emailed.getFirstPropertyValue("uid")).toBe(override.getFirstPropertyValue("uid"));
    expect(invite.instantOf(emailed, "recurrence-id")).toEqual(read.instantOf(override, "recurrence-id"));
    expect(emailed.getFirstPropertyValue("sequence")).toBe(override.getFirstPropertyValue("sequence"));
  });

  it("leaves out an occurrence the series skips (its EXDATE says so already)", () => {
    const s = series();
    const skipped = occurrence(s, "2026-04-07T19:00", { status: "cancelled", version: 2 });
    const read = readFeed(feed([s], [skipped]));
    expect(read.vevents).toHaveLength(1);
  });

  it("ends an ended series' rule at its last start before the end, instead of its COUNT", () => {
    const s = series({
      recurrence: ["RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=50"],
      status: "ended",
      endedAt: "2026-04-01T12:00:00.000Z",
      version: 3,
    });
    const read = readFeed(feed([s], []));
    const event = master(read, "series-london@convene");
    const rule = String(event.getFirstPropertyValue("rrule"));
    expect(rule).not.toContain("COUNT");
    const starts = read.expand(event, new Date("2026-01-01T00:00:00Z"), 60).map((d) => d.toISOString());
    expect(starts).toEqual([
      "2026-03-03T19:00:00.000Z",
      "2026-03-10T19:00:00.000Z",
      "2026-03-17T19:00:00.000Z",
      "2026-03-24T19:00:00.000Z",
      "2026-03-31T18:00:00.000Z",
    ]);
  });

  it("shows a session of no series as a plain VEVENT with its invite's UID", () => {
    const oneOff: Session = {
      ...occurrence(series(), "2026-05-02T11:00"),
      id: "0b6f3f5e-9a51-4a8e-9d0c-1f2e3d4c5b6a",
      title: "Summer picnic",
    };
    delete oneOff.series;
    const read = readFeed(feed([], [oneOff]));
    expect(read.vevents).toHaveLength(1);
    const event = read.vevents[0]!;
    expect(event.getFirstPropertyValue("uid")).toBe("0b6f3f5e-9a51-4a8e-9d0c-1f2e3d4c5b6a@convene");
    expect(event.hasProperty("rrule")).toBe(false);
    expect(event.hasProperty("recurrence-id")).toBe(false);
    expect(read.instantOf(event, "dtstart").toISOString()).toBe("2026-05-02T10:00:00.000Z");
  });
});

describe("what a feed says about people and the group", () => {
  it("names nobody: no organiser, attendee, facilitator or duty holder", () => {
    const text = feed(
      [series()],
      [occurrence(series(), "2026-03-17T19:00", { startLocal: "2026-03-17T20:00" })],
    );
    for (const word of ["ORGANIZER", "ATTENDEE", "member-facilitator", "member-tea", "MAILTO"])
      expect(text.toUpperCase()).not.toContain(word.toUpperCase());
  });

  it("shows the neutral title in place of the group's and the sessions' names", () => {
    const s = series({ title: "Bipolar peer support" });
    const moved = occurrence(s, "2026-03-17T19:00", { startLocal: "2026-03-17T20:00" });
    const text = feed([s], [moved], { groupName: "Bipolar Support Leeds", neutralTitle: "Group meeting" });
    expect(text).not.toMatch(/bipolar/i);
    const read = readFeed(text);
    expect(read.vevents.map((e) => e.getFirstPropertyValue("summary"))).toEqual([
      "Group meeting",
      "Group meeting",
    ]);
    expect(read.calendarProperty("x-wr-calname")).toBe("Group meeting");
  });

  it("writes the same bytes for the same entries, so its digest can be its ETag", () => {
    const s = series();
    const sessions = [occurrence(s, "2026-03-17T19:00", { status: "cancelled", version: 2 })];
    expect(feed([s], sessions)).toBe(feed([s], [...sessions]));
  });
});
