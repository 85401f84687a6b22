import { describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import {
  checkThreshold,
  describeThreshold,
  meetsThreshold,
  thresholdFromPercent,
  thresholdFromShare,
  thresholdRuleOf,
  thresholdShare,
  type ThresholdRule,
} from "#domain/vote-threshold.ts";

const atLeast = (numerator: number, denominator: number): ThresholdRule => ({
  kind: "at-least",
  numerator,
  denominator,
});

describe("meetsThreshold", () => {
  it("is more than half for a simple majority: a tie at half fails", () => {
    expect(meetsThreshold({ kind: "majority" }, 5, 10)).toBe(false);
    expect(meetsThreshold({ kind: "majority" }, 6, 10)).toBe(true);
    expect(meetsThreshold({ kind: "majority" }, 1, 1)).toBe(true);
  });

  it("is at least the fraction, exactly: 6 of 9 is two-thirds, 5 of 10 is half", () => {
    expect(meetsThreshold(atLeast(2, 3), 6, 9)).toBe(true);
    expect(meetsThreshold(atLeast(2, 3), 5, 8)).toBe(false);
    expect(meetsThreshold(atLeast(1, 2), 5, 10)).toBe(true);
    expect(meetsThreshold(atLeast(1, 1), 9, 9)).toBe(true);
    expect(meetsThreshold(atLeast(1, 1), 9, 10)).toBe(false);
  });

  it("never carries on no votes for, whatever the threshold", () => {
    expect(meetsThreshold(atLeast(0, 1), 0, 5)).toBe(false);
    expect(meetsThreshold(atLeast(0, 1), 1, 5)).toBe(true);
    expect(meetsThreshold({ kind: "majority" }, 0, 0)).toBe(false);
  });

  it("stays exact where doubles would not (a billion-denominator fraction, a large electorate)", () => {
    // 333333333 / 999999999 is 1/3 in disguise; 1/3 of 3 000 000 ballots is 1 000 000.
    const third = atLeast(333_333_333, 999_999_999);
    expect(meetsThreshold(third, 1_000_000, 3_000_000)).toBe(true);
    expect(meetsThreshold(third, 999_999, 3_000_000)).toBe(false);
    expect(meetsThreshold(atLeast(999_999_999, 1_000_000_000), 999_999_999, 1_000_000_000)).toBe(true);
    expect(meetsThreshold(atLeast(999_999_999, 1_000_000_000), 999_999_998, 1_000_000_000)).toBe(false);
  });
});

describe("thresholdFromShare (a share, as the API took it before rules)", () => {
  it.each<[number, ThresholdRule]>([
    [0.5, { kind: "majority" }], // what 0.5 always meant: more than half
    [0.6, atLeast(3, 5)],
    [0.29, atLeast(29, 100)],
    [0.55, atLeast(11, 20)],
    [0.67, atLeast(67, 100)], // a whole percentage is exact
    [0.6667, atLeast(2, 3)], // 66.67 %
    [0.667, atLeast(2, 3)],
    [0.66667, atLeast(2, 3)],
    [2 / 3, atLeast(2, 3)], // computed: the double nearest two-thirds
    [0.3333, atLeast(1, 3)],
    [0.833, atLeast(5, 6)],
    [0.571, atLeast(4, 7)],
    [0.6666, atLeast(3333, 5000)], // truncated, not rounded: as written (two-thirds meets it)
    [0.555, atLeast(111, 200)], // not 5/9 (0.5556)
    [0.125, atLeast(1, 8)],
    [0, atLeast(0, 1)],
    [1, atLeast(1, 1)],
    [1e-7, atLeast(1, 10_000_000)],
    [0.1234567891234, atLeast(123_456_789, 1_000_000_000)], // to nine places
  ])("reads %d as %j", (share, rule) => {
    expect(thresholdFromShare(share)).toEqual(rule);
  });

  it.each([-0.1, 1.01, 50, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses %d, naming the threshold",
    (share) => {
      expect(() => thresholdFromShare(share)).toThrow(DomainError);
      try {
        thresholdFromShare(share);
      } catch (error) {
        expect((error as DomainError).field).toBe("threshold");
      }
    },
  );
});

describe("thresholdFromPercent (what a person types in the form)", () => {
  it.each<[string, ThresholdRule | undefined]>([
    ["66.67", atLeast(2, 3)],
    ["66,67", atLeast(2, 3)],
    ["66.7", atLeast(2, 3)],
    ["33.33 %", atLeast(1, 3)],
    ["67", atLeast(67, 100)],
    ["60", atLeast(3, 5)],
    ["50", atLeast(1, 2)], // at least half: a tie carries; the form offers "more than half" on its own
    ["12.5", atLeast(1, 8)],
    ["100", atLeast(1, 1)],
    ["0", atLeast(0, 1)],
    ["100.5", undefined],
    ["101", undefined],
    ["-5", undefined],
    ["", undefined],
    ["two-thirds", undefined],
  ])("reads %j as %j", (typed, rule) => {
    expect(thresholdFromPercent(typed)).toEqual(rule);
  });
});

describe("checkThreshold", () => {
  it("reduces a fraction to its lowest terms", () => {
    expect(checkThreshold(atLeast(6, 9))).toEqual(atLeast(2, 3));
    expect(checkThreshold(atLeast(0, 7))).toEqual(atLeast(0, 1));
  });

  it.each<[string, ThresholdRule]>([
    ["a numerator above the denominator", atLeast(4, 3)],
    ["a zero denominator", atLeast(0, 0)],
    ["a negative numerator", atLeast(-1, 3)],
    ["a fractional numerator", atLeast(1.5, 3)],
    ["a denominator above a billion", atLeast(1, 1_000_000_001)],
  ])("refuses %s, naming the threshold", (_case, rule) => {
    try {
      checkThreshold(rule);
      expect.unreachable("the rule must be refused");
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).field).toBe("threshold");
    }
  });

  it("takes a rule or a share (thresholdRuleOf)", () => {
    expect(thresholdRuleOf(0.5)).toEqual({ kind: "majority" });
    expect(thresholdRuleOf(atLeast(2, 4))).toEqual(atLeast(1, 2));
  });
});

describe("describeThreshold and thresholdShare", () => {
  it.each<[ThresholdRule, string, number]>([
    [{ kind: "majority" }, "more than half", 0.5],
    [atLeast(1, 2), "at least half", 0.5],
    [atLeast(2, 3), "at least two-thirds", 2 / 3],
    [atLeast(3, 4), "at least three-quarters", 0.75],
    [atLeast(3, 5), "at least 60%", 0.6],
    [atLeast(111, 200), "at least 55.5%", 0.555],
    [atLeast(5, 9), "at least 5/9", 5 / 9],
    [atLeast(1, 1), "all", 1],
    [atLeast(0, 1), "at least one", 0],
  ])("words %j as %j", (rule, words, share) => {
    expect(describeThreshold(rule)).toBe(words);
    expect(thresholdShare(rule)).toBe(share);
  });
});
