import { afterEach, describe, expect, it, vi } from "vitest";
import {
  formatLocal,
  isValidLocalDateTime,
  isValidTimeZone,
  localDateTimeAt,
  sessionEndInstant,
  sessionStartInstant,
  wallTimeInstant,
} from "#domain/local-time.ts";

// 2026 clock changes used throughout:
//   Europe/London     spring forward Sun 29 Mar 01:00 UTC (01:00 GMT → 02:00 BST)
//                     fall back      Sun 25 Oct 01:00 UTC (02:00 BST → 01:00 GMT)
//   America/New_York  spring forward Sun  8 Mar 07:00 UTC (02:00 EST → 03:00 EDT)
//                     fall back      Sun  1 Nov 06:00 UTC (02:00 EDT → 01:00 EST)

const iso = (instant: Date): string => instant.toISOString();

describe("isValidTimeZone", () => {
  it.each([
    "UTC",
    "Etc/UTC",
    "Europe/London",
    "America/New_York",
    "America/Argentina/Buenos_Aires",
    "America/Port-au-Prince",
  ])("accepts the IANA zone %s", (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  it.each([
    "",
    " ",
    "UTC+1",
    "GMT+1",
    "+01:00",
    "-05:00",
    "Mars/Olympus_Mons",
    " Europe/London",
    "europe/london",
    "BST",
    "IST",
    "GB",
  ])("rejects %j", (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

describe("isValidLocalDateTime", () => {
  it("accepts a real date and time written YYYY-MM-DDTHH:mm", () => {
    expect(isValidLocalDateTime("2026-03-31T19:00")).toBe(true);
  });

  it.each([
    "2026-02-30T19:00",
    "2026-03-31T24:00",
    "2026-03-31 19:00",
    "2026-03-31T19:00:00",
    "2026-03-31T19:00Z",
    "",
  ])("rejects %j", (local) => {
    expect(isValidLocalDateTime(local)).toBe(false);
  });
});

describe("sessionStartInstant", () => {
  it("reads the wall time with the offset in force on that date", () => {
    // 19:00 GMT (+00:00) in winter, 19:00 BST (+01:00) in summer.
    expect(iso(sessionStartInstant("2026-01-13T19:00", "Europe/London"))).toBe("2026-01-13T19:00:00.000Z");
    expect(iso(sessionStartInstant("2026-07-14T19:00", "Europe/London"))).toBe("2026-07-14T18:00:00.000Z");
    // 19:00 EDT (−04:00) = 23:00 UTC.
    expect(iso(sessionStartInstant("2026-03-31T19:00", "America/New_York"))).toBe("2026-03-31T23:00:00.000Z");
  });

  it("accepts UTC as a zone", () => {
    expect(iso(sessionStartInstant("2026-03-29T01:30", "UTC"))).toBe("2026-03-29T01:30:00.000Z");
  });

  describe("a wall time skipped by spring forward resolves forward by the gap", () => {
    it("Europe/London 01:30 on 29 Mar 2026 is 02:30 BST", () => {
      // 01:30 never shows on the clock; 01:30 read at the old offset (GMT) = 01:30 UTC = 02:30 BST.
      expect(iso(sessionStartInstant("2026-03-29T01:30", "Europe/London"))).toBe("2026-03-29T01:30:00.000Z");
      expect(localDateTimeAt(sessionStartInstant("2026-03-29T01:30", "Europe/London"), "Europe/London")).toBe(
        "2026-03-29T02:30",
      );
    });

    it("America/New_York 02:30 on 8 Mar 2026 is 03:30 EDT", () => {
      // 02:30 read at EST (−05:00) = 07:30 UTC = 03:30 EDT.
      expect(iso(sessionStartInstant("2026-03-08T02:30", "America/New_York"))).toBe(
        "2026-03-08T07:30:00.000Z",
      );
    });

    it("wallTimeInstant can resolve it backward instead, to before the jump", () => {
      // 01:30 read at the new offset (BST) = 00:30 UTC = 00:30 GMT.
      expect(iso(wallTimeInstant("2026-03-29T01:30", "Europe/London", "earlier"))).toBe(
        "2026-03-29T00:30:00.000Z",
      );
      // 02:30 read at EDT (−04:00) = 06:30 UTC = 01:30 EST.
      expect(iso(wallTimeInstant("2026-03-08T02:30", "America/New_York", "earlier"))).toBe(
        "2026-03-08T06:30:00.000Z",
      );
    });
  });

  describe("an ambiguous wall time after fall back resolves to its first occurrence", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("Europe/London 01:30 on 25 Oct 2026 is 01:30 BST, not 01:30 GMT", () => {
      // First 01:30 is BST (+01:00) = 00:30 UTC; the second, an hour later, is 01:30 UTC.
      expect(iso(sessionStartInstant("2026-10-25T01:30", "Europe/London"))).toBe("2026-10-25T00:30:00.000Z");
    });

    it("America/New_York 01:30 on 1 Nov 2026 is 01:30 EDT, not 01:30 EST", () => {
      // 01:30 EDT (−04:00) = 05:30 UTC; 01:30 EST (−05:00) would be 06:30 UTC.
      expect(iso(sessionStartInstant("2026-11-01T01:30", "America/New_York"))).toBe(
        "2026-11-01T05:30:00.000Z",
      );
    });

    it.each(["2026-01-15T12:00:00Z", "2026-07-15T12:00:00Z"])(
      "whatever today's date is (today %s)",
      (today) => {
        // A resolver that guesses from today's offset would answer differently in winter and summer.
        vi.useFakeTimers();
        vi.setSystemTime(new Date(today));
        expect(iso(sessionStartInstant("2026-10-25T01:30", "Europe/London"))).toBe(
          "2026-10-25T00:30:00.000Z",
        );
      },
    );
  });

  it("throws on a malformed local time or zone", () => {
    expect(() => sessionStartInstant("2026-02-30T19:00", "Europe/London")).toThrow(RangeError);
    expect(() => sessionStartInstant("2026-03-31T19:00", "UTC+1")).toThrow(RangeError);
  });
});

describe("sessionEndInstant", () => {
  it("adds the duration in real minutes, even across the clocks going back", () => {
    // Starts 00:30 BST = 23:30 UTC on the 24th; two real hours later is 01:30 UTC = 01:30 GMT.
    const end = sessionEndInstant("2026-10-25T00:30", "Europe/London", 120);
    expect(iso(end)).toBe("2026-10-25T01:30:00.000Z");
    expect(localDateTimeAt(end, "Europe/London")).toBe("2026-10-25T01:30");
  });

  it("adds the duration to an ordinary evening session", () => {
    expect(iso(sessionEndInstant("2026-03-31T19:00", "Europe/London", 90))).toBe("2026-03-31T19:30:00.000Z");
  });
});

describe("localDateTimeAt", () => {
  it("reads the clock in the zone at an instant", () => {
    expect(localDateTimeAt(new Date("2026-11-03T00:00:00Z"), "America/New_York")).toBe("2026-11-02T19:00");
    expect(localDateTimeAt(new Date("2026-03-29T00:59:00Z"), "Europe/London")).toBe("2026-03-29T00:59");
    expect(localDateTimeAt(new Date("2026-03-29T01:00:00Z"), "Europe/London")).toBe("2026-03-29T02:00");
  });
});

describe("formatLocal", () => {
  it("writes a date and time for people, with the zone's abbreviation", () => {
    expect(formatLocal(new Date("2026-03-31T18:00:00Z"), "Europe/London")).toBe(
      "Tuesday 31 March 2026, 19:00 (BST)",
    );
    expect(formatLocal(new Date("2026-10-26T19:00:00Z"), "Europe/London")).toBe(
      "Monday 26 October 2026, 19:00 (GMT)",
    );
  });

  it("names days, months and zone in the given locale", () => {
    expect(formatLocal(new Date("2026-03-31T23:00:00Z"), "America/New_York", "en-US")).toBe(
      "Tuesday 31 March 2026, 19:00 (EDT)",
    );
    expect(formatLocal(new Date("2026-03-31T17:00:00Z"), "Europe/Berlin", "de-DE")).toMatch(
      /^Dienstag 31 März 2026, 19:00 \(/,
    );
  });
});
