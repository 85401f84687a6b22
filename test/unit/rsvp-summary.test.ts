import { describe, expect, it } from "vitest";
import { rsvpSummaryAt } from "#domain/rsvp-summary.ts";
import { renderRsvpSummary, type RsvpSummaryInput } from "#messages/rsvp/rsvp-summary-email.ts";

const start = new Date("2026-12-10T19:00:00Z");

describe("when the facilitator's summary is due", () => {
  it("is 24 hours before the start, and not at all once that has passed", () => {
    expect(rsvpSummaryAt(start, new Date("2026-12-01T09:00:00Z"))).toEqual(new Date("2026-12-09T19:00:00Z"));
    expect(rsvpSummaryAt(start, new Date("2026-12-09T19:00:00Z"))).toBeUndefined();
    expect(rsvpSummaryAt(start, new Date("2026-12-10T08:00:00Z"))).toBeUndefined();
  });
});

describe("the facilitator's summary email", () => {
  const input: RsvpSummaryInput = {
    groupName: "Riverside Carers' Circle",
    firstName: "Fay",
    sessionTitle: "Monthly meeting",
    startsAtLocal: "Thu 10 Dec, 19:00",
    counts: { yes: 3, maybe: 1, no: 2, waiting: 1 },
    capacity: 3,
  };

  it("gives the numbers, the places and the waiting list, and no name when none may be shown", () => {
    const { subject, text } = renderRsvpSummary(input);
    expect(subject).toBe("Who's coming: Monthly meeting, Thu 10 Dec, 19:00");
    for (const line of [
      "3 people coming",
      "1 person maybe",
      "2 people not coming",
      "1 person waiting",
      "3 places",
    ])
      expect(text).toContain(line);
    expect(text).not.toContain("Coming:");
    expect(text).not.toContain("keep these names to yourself");
  });

  it("names those the group's privacy allows, and counts the rest", () => {
    const { text, html } = renderRsvpSummary({
      ...input,
      named: { coming: ["Ann Coming", "Ben Coming"], maybe: [], more: 1 },
    });
    expect(text).toMatch(/Coming:\n- Ann Coming\n- Ben Coming/);
    expect(text).toContain("1 person coming chose not to show their name");
    expect(text).toContain("keep these names to yourself");
    expect(html).toContain("<li>Ann Coming</li>");
  });
});
