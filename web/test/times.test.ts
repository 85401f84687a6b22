import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closingInstant } from "../src/group/vote-close.ts";
import { formatDate, formatInstant, formatLocal, zoneName } from "../src/ui/format.ts";

// Every time the dashboard shows says whose clock it is, in words ("New York time"), the same
// way on every page; and a vote's close is read on the group's clock, as a session's start is.
// The viewer here is in Tokyo, so nothing can pass by reading the times in the viewer's zone.

let viewerZone: string | undefined;
beforeAll(() => {
  viewerZone = process.env.TZ;
  process.env.TZ = "Asia/Tokyo";
});
afterAll(() => {
  if (viewerZone === undefined) delete process.env.TZ;
  else process.env.TZ = viewerZone;
});

describe("a time zone's name", () => {
  it.each([
    ["America/New_York", "New York time"],
    ["Europe/London", "London time"],
    ["America/Argentina/Buenos_Aires", "Buenos Aires time"],
    ["America/Port-au-Prince", "Port-au-Prince time"],
    ["UTC", "UTC"],
    ["Etc/UTC", "UTC"],
  ])("calls %s “%s”", (zone, name) => {
    expect(zoneName(zone)).toBe(name);
  });
});

describe("an instant on a group's clock", () => {
  it("names the zone, so a New York and a London group at 19:00 read differently", () => {
    expect(formatInstant("2026-12-15T00:00:00Z", "America/New_York")).toBe(
      "Mon, 14 Dec 2026, 19:00 New York time",
    );
    expect(formatInstant("2026-12-14T19:00:00Z", "Europe/London")).toBe(
      "Mon, 14 Dec 2026, 19:00 London time",
    );
  });

  it.each([
    // London springs forward at 01:00 GMT on 29 March 2026 and falls back at 01:00 GMT on 25 October.
    ["2026-03-29T00:30:00Z", "Europe/London", "Sun, 29 Mar 2026, 00:30 London time"],
    ["2026-03-29T01:30:00Z", "Europe/London", "Sun, 29 Mar 2026, 02:30 London time"],
    ["2026-10-25T00:30:00Z", "Europe/London", "Sun, 25 Oct 2026, 01:30 London time"],
    ["2026-10-25T01:30:00Z", "Europe/London", "Sun, 25 Oct 2026, 01:30 London time"],
    // New York springs forward at 02:00 EST on 8 March 2026 and falls back at 02:00 EDT on 1 November.
    ["2026-03-08T06:30:00Z", "America/New_York", "Sun, 8 Mar 2026, 01:30 New York time"],
    ["2026-03-08T07:30:00Z", "America/New_York", "Sun, 8 Mar 2026, 03:30 New York time"],
    ["2026-11-01T05:30:00Z", "America/New_York", "Sun, 1 Nov 2026, 01:30 New York time"],
    ["2026-11-01T06:30:00Z", "America/New_York", "Sun, 1 Nov 2026, 01:30 New York time"],
    // Midnight is 00:00 of the new day, never 24:00 of the old one.
    ["2026-07-01T04:00:00Z", "America/New_York", "Wed, 1 Jul 2026, 00:00 New York time"],
  ])("shows %s in %s as “%s”, across daylight saving", (iso, zone, text) => {
    expect(formatInstant(iso, zone)).toBe(text);
  });

  it("writes a stored wall time (a session's start) exactly as the instant it stands for", () => {
    expect(formatLocal("2026-06-09T19:00", "Europe/London")).toBe("Tue, 9 Jun 2026, 19:00 London time");
    expect(formatLocal("2026-06-09T19:00", "America/New_York")).toBe(
      formatInstant("2026-06-09T23:00:00Z", "America/New_York"),
    );
    expect(formatLocal("2026-12-14T19:00", "America/New_York")).toBe(
      formatInstant("2026-12-15T00:00:00Z", "America/New_York"),
    );
  });

  it("gives the date on the group's clock, which is not the date in UTC late in a New York evening", () => {
    expect(formatDate("2026-12-15T03:00:00Z", "America/New_York")).toBe("Mon, 14 Dec 2026");
    expect(formatDate("2026-12-15T03:00:00Z", "Europe/London")).toBe("Tue, 15 Dec 2026");
  });
});

describe("a vote's close, typed on the group's clock", () => {
  it.each([
    ["2026-12-14T19:00", "America/New_York", "2026-12-15T00:00:00.000Z"],
    ["2026-07-14T19:00", "America/New_York", "2026-07-14T23:00:00.000Z"],
    ["2026-12-14T19:00", "Europe/London", "2026-12-14T19:00:00.000Z"],
    ["2026-07-14T19:00", "Europe/London", "2026-07-14T18:00:00.000Z"],
    // A time the clocks skip is read an hour on (02:30 does not exist on 8 March in New York) …
    ["2026-03-08T02:30", "America/New_York", "2026-03-08T07:30:00.000Z"],
    ["2026-03-29T01:30", "Europe/London", "2026-03-29T01:30:00.000Z"],
    // … and a time that happens twice is its first occurrence, as for a session's start.
    ["2026-11-01T01:30", "America/New_York", "2026-11-01T05:30:00.000Z"],
    ["2026-10-25T01:30", "Europe/London", "2026-10-25T00:30:00.000Z"],
  ])("reads %s in %s as the instant %s, whatever the viewer's zone", (local, zone, instant) => {
    expect(closingInstant(local, zone)).toBe(instant);
  });

  it("is shown back as it was typed, with the group's zone", () => {
    expect(formatInstant(closingInstant("2026-12-14T19:00", "America/New_York"), "America/New_York")).toBe(
      "Mon, 14 Dec 2026, 19:00 New York time",
    );
  });

  it("passes on what is not a time unchanged, so the API names the field", () => {
    expect(closingInstant("", "Europe/London")).toBe("");
    expect(closingInstant("2026-02-30T19:00", "Europe/London")).toBe("2026-02-30T19:00");
    expect(closingInstant("next Tuesday", "Europe/London")).toBe("next Tuesday");
  });
});
