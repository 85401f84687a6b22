import { describe, expect, it } from "vitest";
import type { Series } from "#domain/series.ts";
import {
  addMonthsUtc,
  awaitsConfirmation,
  confirmationDueAt,
  isConfirmationDue,
  lastConfirmed,
  needsConfirmation,
  staleAfterMonthsOf,
} from "#domain/series-staleness.ts";
import { healthFactsAt, seriesHealth } from "#read-models/group-health.ts";

const at = (iso: string) => new Date(iso);
const series = (fields: {
  status?: "active" | "ended";
  createdAt?: string;
  updatedAt?: string;
  confirmedAt?: string;
  confirmationAskedAt?: string;
}) => ({
  status: fields.status ?? ("active" as const),
  createdAt: fields.createdAt ?? "2026-01-10T12:00:00.000Z",
  updatedAt: fields.updatedAt ?? fields.createdAt ?? "2026-01-10T12:00:00.000Z",
  ...(fields.confirmedAt ? { confirmedAt: fields.confirmedAt } : {}),
  ...(fields.confirmationAskedAt ? { confirmationAskedAt: fields.confirmationAskedAt } : {}),
});

describe("calendar months in UTC", () => {
  it("adds months, keeping the day, and clamps the 31st to the month's last day", () => {
    expect(addMonthsUtc(at("2026-01-10T12:00:00Z"), 6).toISOString()).toBe("2026-07-10T12:00:00.000Z");
    expect(addMonthsUtc(at("2026-08-31T08:00:00Z"), 6).toISOString()).toBe("2027-02-28T08:00:00.000Z");
    expect(addMonthsUtc(at("2027-08-31T08:00:00Z"), 6).toISOString()).toBe("2028-02-29T08:00:00.000Z");
    expect(addMonthsUtc(at("2026-10-15T00:00:00Z"), 3).toISOString()).toBe("2027-01-15T00:00:00.000Z");
  });
});

describe("the staleness rule", () => {
  it("counts from creation when nothing else confirmed the series", () => {
    const s = series({});
    expect(lastConfirmed(s).toISOString()).toBe("2026-01-10T12:00:00.000Z");
    expect(isConfirmationDue(s, 6, at("2026-07-10T11:59:59Z"))).toBe(false);
    expect(isConfirmationDue(s, 6, at("2026-07-10T12:00:00Z"))).toBe(true);
  });

  it("counts from the latest of a 'yes' and a coordinator's edit", () => {
    const yes = series({ confirmedAt: "2026-05-01T09:00:00.000Z" });
    expect(confirmationDueAt(yes, 6)?.toISOString()).toBe("2026-11-01T09:00:00.000Z");
    const edited = series({ confirmedAt: "2026-05-01T09:00:00.000Z", updatedAt: "2026-06-02T09:00:00.000Z" });
    expect(confirmationDueAt(edited, 6)?.toISOString()).toBe("2026-12-02T09:00:00.000Z");
  });

  it("asks once per staleness period: asked and unanswered, it is due again a period after the ask", () => {
    const asked = series({ confirmationAskedAt: "2026-07-11T09:00:00.000Z" });
    expect(awaitsConfirmation(asked)).toBe(true);
    expect(isConfirmationDue(asked, 6, at("2026-12-31T00:00:00Z"))).toBe(false);
    expect(confirmationDueAt(asked, 6)?.toISOString()).toBe("2027-01-11T09:00:00.000Z");
  });

  it("treats an ask made before the latest confirmation as answered", () => {
    const answered = series({
      confirmationAskedAt: "2026-07-11T09:00:00.000Z",
      confirmedAt: "2026-07-12T18:00:00.000Z",
    });
    expect(awaitsConfirmation(answered)).toBe(false);
    expect(confirmationDueAt(answered, 6)?.toISOString()).toBe("2027-01-12T18:00:00.000Z");
  });

  it("follows the configured period", () => {
    expect(isConfirmationDue(series({}), 3, at("2026-04-10T12:00:00Z"))).toBe(true);
    expect(isConfirmationDue(series({}), 12, at("2026-12-31T00:00:00Z"))).toBe(false);
  });

  it("never asks about an ended series, nor shows it as needing attention", () => {
    const ended = series({ status: "ended", confirmationAskedAt: "2026-07-11T09:00:00.000Z" });
    expect(confirmationDueAt(ended, 6)).toBeUndefined();
    expect(isConfirmationDue(ended, 6, at("2030-01-01T00:00:00Z"))).toBe(false);
    expect(needsConfirmation(ended, 6, at("2030-01-01T00:00:00Z"))).toBe(false);
  });

  it("shows a series as needing attention when it is stale, or asked and not answered", () => {
    expect(needsConfirmation(series({}), 6, at("2026-07-09T00:00:00Z"))).toBe(false);
    expect(needsConfirmation(series({}), 6, at("2026-07-10T12:00:00Z"))).toBe(true);
    const asked = series({ confirmationAskedAt: "2026-07-11T09:00:00.000Z" });
    expect(needsConfirmation(asked, 6, at("2026-07-12T00:00:00Z"))).toBe(true);
    const answered = series({
      confirmationAskedAt: "2026-07-11T09:00:00.000Z",
      confirmedAt: "2026-07-12T00:00:00Z",
    });
    expect(needsConfirmation(answered, 6, at("2026-07-13T00:00:00Z"))).toBe(false);
  });
});

describe("the staleness setting", () => {
  it("defaults to six months and takes a whole number of months from 1 to 120", () => {
    expect(staleAfterMonthsOf(undefined)).toBe(6);
    expect(staleAfterMonthsOf(1)).toBe(1);
    expect(staleAfterMonthsOf(120)).toBe(120);
  });

  it.each([0, -3, 2.5, 121, Number.NaN])("refuses %s clearly", (months) => {
    expect(() => staleAfterMonthsOf(months)).toThrow(/whole number of months from 1 to 120/);
  });
});

describe("a group's series on the overview", () => {
  const active = (id: string, fields: Parameters<typeof series>[0]) =>
    ({ ...series(fields), id, organisationId: "o", groupId: "g" }) as unknown as Series;

  it("keeps each active series' last confirmation and unanswered ask, and shows those that need confirming", () => {
    const stored = seriesHealth([
      active("fresh", { createdAt: "2026-06-01T00:00:00.000Z" }),
      active("stale", { createdAt: "2026-01-01T00:00:00.000Z" }),
      active("asked", {
        createdAt: "2026-05-01T00:00:00.000Z",
        confirmationAskedAt: "2026-06-20T00:00:00.000Z",
      }),
      active("ended", { status: "ended", createdAt: "2025-01-01T00:00:00.000Z" }),
    ]);
    expect(stored.map((s) => s.seriesId)).toEqual(["stale", "asked", "fresh"]);
    const facts = healthFactsAt(
      { id: "g", name: "Group", timeZone: "Europe/London", createdAt: "2025-01-01T00:00:00.000Z" },
      { groupId: "g", series: { value: stored, at: "2026-07-01T00:00:00.000Z" } },
      at("2026-07-02T00:00:00Z"),
    );
    expect(facts.seriesNeedingConfirmation).toEqual([
      { seriesId: "stale", lastConfirmedAt: "2026-01-01T00:00:00.000Z", askedAt: null },
      { seriesId: "asked", lastConfirmedAt: "2026-05-01T00:00:00.000Z", askedAt: "2026-06-20T00:00:00.000Z" },
    ]);
    const yearly = healthFactsAt(
      { id: "g", name: "Group", timeZone: "Europe/London", createdAt: "2025-01-01T00:00:00.000Z" },
      { groupId: "g", series: { value: stored, at: "2026-07-01T00:00:00.000Z" } },
      at("2026-07-02T00:00:00Z"),
      12,
    );
    expect(yearly.seriesNeedingConfirmation.map((s) => s.seriesId)).toEqual(["asked"]);
  });
});
