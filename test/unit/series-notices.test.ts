import { describe, expect, it } from "vitest";
import { toldAtOnce } from "#use-cases/sessions/notify-session-change.ts";

// Members are told of a cancellation at once, except of the far-off sessions of a series that
// ended: each would send its own notice at the same moment.

const session = { startLocal: "2026-03-31T19:00", timeZone: "Europe/London" }; // 18:00 UTC (BST)
const at = (iso: string) => new Date(iso);

describe("a cancellation told at once", () => {
  it("is every cancellation a coordinator made, however far off", () => {
    expect(toldAtOnce({ session }, at("2026-01-01T00:00:00Z"))).toBe(true);
  });

  it("is one because the series ended only within 48 hours of the session (real hours, across the clock change)", () => {
    const ended = { session, cause: "series-ended" as const };
    expect(toldAtOnce(ended, at("2026-03-29T18:00:00Z"))).toBe(true); // exactly 48 hours before
    expect(toldAtOnce(ended, at("2026-03-29T17:59:00Z"))).toBe(false);
    expect(toldAtOnce(ended, at("2026-03-31T17:00:00Z"))).toBe(true);
  });
});
