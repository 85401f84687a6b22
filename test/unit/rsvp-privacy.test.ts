import { describe, expect, it } from "vitest";
import { mayShowAnyName, namedAttendanceFadesAt, namesShown } from "#domain/rsvp-privacy.ts";

const optedIn = new Set(["ann"]);
const shownOf = (...args: Parameters<typeof namesShown>) => ["ann", "ben"].filter(namesShown(...args));

describe("whose names are shown beside answers", () => {
  it("organisers see every member's by default, none under counts, the opted-in under opt-in", () => {
    expect(shownOf("organisers", true, optedIn)).toEqual(["ann", "ben"]);
    expect(shownOf("counts", true, optedIn)).toEqual([]);
    expect(shownOf("opt-in", true, optedIn)).toEqual(["ann"]);
  });

  it("someone who does not run the group sees none, whatever the setting", () => {
    for (const names of ["organisers", "counts", "opt-in"] as const) {
      expect(shownOf(names, false, optedIn)).toEqual([]);
      expect(mayShowAnyName(names, false)).toBe(false);
    }
    expect(mayShowAnyName("counts", true)).toBe(false);
    expect(mayShowAnyName("opt-in", true)).toBe(true);
  });
});

describe("when named attendance fades to counts", () => {
  const seconds = (iso: string) => Date.parse(iso) / 1000;

  it("is the retention's calendar months after the session", () => {
    expect(namedAttendanceFadesAt("2026-03-14T18:30:00.000Z", 12)).toBe(seconds("2027-03-14T18:30:00.000Z"));
    expect(namedAttendanceFadesAt("2026-11-02T09:00:00.000Z", 3)).toBe(seconds("2027-02-02T09:00:00.000Z"));
  });

  it("falls on a short month's last day, not in the month after", () => {
    expect(namedAttendanceFadesAt("2026-01-31T19:00:00.000Z", 1)).toBe(seconds("2026-02-28T19:00:00.000Z"));
    expect(namedAttendanceFadesAt("2027-08-31T19:00:00.000Z", 6)).toBe(seconds("2028-02-29T19:00:00.000Z"));
  });
});
