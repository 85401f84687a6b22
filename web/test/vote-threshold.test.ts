import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Vote } from "../src/api/resources.ts";
import { ThresholdField, thresholdOf } from "../src/group/threshold-field.tsx";
import { describeOutcome } from "../src/group/vote-outcome.ts";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

describe("the vote form's threshold", () => {
  it("offers a simple majority as its own rule, first, and says abstentions are left out", () => {
    const html = renderToStaticMarkup(createElement(ThresholdField, {}));
    expect(html).toContain("Votes needed to carry");
    expect(html).toMatch(/<option value="majority"[^>]*>More than half \(a simple majority\)<\/option>/);
    expect(html).toContain("At least two-thirds");
    expect(html).toContain("abstentions count towards turnout only");
    expect(html).not.toContain("% of votes to carry");
  });

  it.each<[Record<string, string>, unknown]>([
    [{ thresholdRule: "majority" }, { kind: "majority" }],
    [{ thresholdRule: "two-thirds" }, { kind: "at-least", numerator: 2, denominator: 3 }],
    [{ thresholdRule: "all" }, { kind: "at-least", numerator: 1, denominator: 1 }],
    // 66.67 typed is two-thirds, so 6 yes and 3 no carry it.
    [
      { thresholdRule: "share", thresholdPercent: "66.67" },
      { kind: "at-least", numerator: 2, denominator: 3 },
    ],
    [
      { thresholdRule: "share", thresholdPercent: "60" },
      { kind: "at-least", numerator: 3, denominator: 5 },
    ],
    [{ thresholdRule: "share", thresholdPercent: "150" }, null], // the API reports it beside the field
    [{ thresholdRule: "share", thresholdPercent: "" }, null],
  ])("sends %j as %j", (fields, threshold) => {
    expect(thresholdOf(form(fields))).toEqual(threshold);
  });
});

describe("describeOutcome", () => {
  const closed = (over: Partial<Vote> & { thresholdRule?: unknown }, kind: string, optionId?: string) =>
    ({
      id: "v1",
      question: "Q?",
      kind: "proposal",
      options: [
        { id: "1", label: "Library" },
        { id: "2", label: "Online" },
      ],
      closesAt: "2026-03-01T18:00:00Z",
      quorum: 0.5,
      threshold: 0.5,
      secrecy: "secret",
      status: "closed",
      openedAt: "2026-02-20T18:00:00Z",
      eligible: 9,
      turnout: { ballots: 9, share: 1 },
      result: {
        counts: {},
        ballots: 9,
        eligible: 9,
        turnout: 1,
        quorumMet: true,
        outcome: { kind, ...(optionId ? { optionId } : {}) },
      },
      ...over,
    }) as Vote;

  it("says which rule decided it", () => {
    const twoThirds = { kind: "at-least", numerator: 2, denominator: 3 };
    expect(describeOutcome(closed({ thresholdRule: twoThirds }, "passed"))).toBe(
      "Passed (it needed at least two-thirds of the votes)",
    );
    expect(describeOutcome(closed({ thresholdRule: { kind: "majority" } }, "rejected"))).toBe(
      "Rejected (it needed more than half of the votes)",
    );
    expect(describeOutcome(closed({ kind: "choice", thresholdRule: twoThirds }, "chosen", "1"))).toBe(
      "Library chosen (it needed at least two-thirds of the votes)",
    );
    expect(describeOutcome(closed({ kind: "election", thresholdRule: twoThirds }, "no-majority"))).toBe(
      "No candidate won at least two-thirds of the votes",
    );
  });

  it("words a vote without a rule (an older API) as before, and no quorum without one", () => {
    expect(describeOutcome(closed({}, "passed"))).toBe("Passed");
    expect(describeOutcome(closed({ thresholdRule: { kind: "majority" } }, "no-quorum"))).toBe("No quorum");
  });
});
