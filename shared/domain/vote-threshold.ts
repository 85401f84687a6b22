import { invalid } from "./errors.ts";

/**
 * How many of a vote's decisive ballots (for or against; abstentions aside) carry a proposal,
 * or choose an option. Pure, and exact: shares are compared as whole numbers, never as
 * floating-point ratios, so two-thirds is two-thirds.
 *
 * - "majority": more than half, so a tie at half fails. The default.
 * - "at-least": at least numerator / denominator, so 6 of 9 meets two-thirds, and 1 / 1 is
 *   unanimity. A threshold of 0 still needs one ballot for: nothing carries on no votes.
 *
 * Before the rules, a threshold was one number read as "more than"; 0.5 was the simple
 * majority. thresholdFromShare reads such a number (from the API, or a vote stored then).
 */
export type ThresholdRule =
  { kind: "majority" } | { kind: "at-least"; numerator: number; denominator: number };

export const simpleMajority: ThresholdRule = { kind: "majority" };

/** Finer than a millionth of a share means nothing for a group, and keeps denominators exact. */
const maxDecimals = 9;
const maxDenominator = 10 ** maxDecimals;

/**
 * Whether `votesFor` of `decisive` ballots meet the rule, in integer arithmetic (BigInt, so
 * no product can lose precision): yes × den ≥ num × decisive.
 */
export function meetsThreshold(rule: ThresholdRule, votesFor: number, decisive: number): boolean {
  if (votesFor <= 0 || decisive <= 0) return false;
  if (rule.kind === "majority") return 2 * votesFor > decisive;
  return BigInt(votesFor) * BigInt(rule.denominator) >= BigInt(rule.numerator) * BigInt(decisive);
}

/**
 * Reads a threshold given as a share in [0, 1], the form the API took before rules:
 * 1. 0.5 is the simple majority, "more than half", as it always meant.
 * 2. Any other share means "at least" that share, taken as the decimal it is written as
 *    (0.6 is 3/5, 0.29 is 29/100), to 9 decimal places.
 * 3. Written to three decimal places or more, a fraction whose decimal never ends
 *    (denominator 3, 6, 7, 9, 11 or 12) rounded to those places is read as that fraction:
 *    0.667 and 0.6667 (66.67 %) are two-thirds, 0.333 is one-third, 0.833 is five-sixths; so
 *    is the double nearest to one (2 / 3 computed). A whole percentage (0.67) is exact: to ask
 *    for two-thirds, write it to more places, or send a fraction. A truncated third (0.6666)
 *    stays as written, which two-thirds meets anyway.
 * Throws DomainError "invalid" on "threshold" for anything outside [0, 1].
 */
export function thresholdFromShare(share: number): ThresholdRule {
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw invalid("threshold", "must be between 0 and 1");
  if (share === 0.5) return simpleMajority;
  // A fraction computed in code (2 / 3) is the double nearest to it: read it as that fraction.
  for (const q of recurring) {
    const p = Math.round(share * q);
    if (p / q === share) return checkThreshold({ kind: "at-least", numerator: p, denominator: q });
  }
  return atLeast(decimalOf(share));
}

/**
 * The threshold a person typed as a percentage ("66.67", "60", "100"), for "at least"; the
 * same reading as thresholdFromShare, from the digits as typed. Undefined if it is not a
 * number from 0 to 100.
 */
export function thresholdFromPercent(typed: string): ThresholdRule | undefined {
  const match = /^\s*(\d{1,3})(?:[.,](\d+))?\s*%?\s*$/.exec(typed);
  if (!match) return undefined;
  const [, whole = "", fraction = ""] = match;
  // A percentage has two more decimal places than the share it stands for.
  const digits = BigInt(`${whole}${fraction}`);
  const places = fraction.length + 2;
  if (digits > 10n ** BigInt(places)) return undefined;
  return atLeast({ digits, places });
}

/** Throws DomainError "invalid" on "threshold" unless the rule is one a vote can use. */
export function checkThreshold(rule: ThresholdRule): ThresholdRule {
  if (rule.kind === "majority") return simpleMajority;
  const { numerator, denominator } = rule;
  if (!Number.isSafeInteger(denominator) || denominator < 1 || denominator > maxDenominator)
    throw invalid("threshold", `the denominator must be a whole number from 1 to ${maxDenominator}`);
  if (!Number.isSafeInteger(numerator) || numerator < 0 || numerator > denominator)
    throw invalid("threshold", "the numerator must be a whole number from 0 to the denominator");
  const common = gcd(numerator, denominator);
  return { kind: "at-least", numerator: numerator / common, denominator: denominator / common };
}

/** A threshold as it comes: a rule, or a share read by thresholdFromShare. Checked either way. */
export function thresholdRuleOf(threshold: ThresholdRule | number): ThresholdRule {
  return typeof threshold === "number" ? thresholdFromShare(threshold) : checkThreshold(threshold);
}

/**
 * The rule as one share, for readers that know only a number (the API's `threshold`):
 * 0.5 for the simple majority, as before; otherwise the fraction, which a double may round.
 */
export function thresholdShare(rule: ThresholdRule): number {
  return rule.kind === "majority" ? 0.5 : rule.numerator / rule.denominator;
}

/**
 * The rule in words, to go before "of the votes": "more than half", "at least two-thirds",
 * "at least 60%", "all" (unanimity), "at least one" (a threshold of 0), "at least 5/9".
 */
export function describeThreshold(rule: ThresholdRule): string {
  if (rule.kind === "majority") return "more than half";
  const { numerator, denominator } = rule;
  if (numerator === denominator) return "all";
  if (numerator === 0) return "at least one";
  const named = fractionNames[`${numerator}/${denominator}`];
  if (named) return `at least ${named}`;
  // A percentage says it exactly when it has at most two decimals; otherwise the fraction does.
  const hundredthsOfPercent = numerator * 10_000;
  if (hundredthsOfPercent % denominator === 0) return `at least ${hundredthsOfPercent / denominator / 100}%`;
  return `at least ${numerator}/${denominator}`;
}

// ---------------------------------------------------------------------------------------

/** A decimal as written: digits / 10^places. */
interface Decimal {
  digits: bigint;
  places: number;
}

const fractionNames: Record<string, string> = {
  "1/2": "half",
  "1/3": "one-third",
  "2/3": "two-thirds",
  "1/4": "a quarter",
  "3/4": "three-quarters",
  "1/6": "one-sixth",
  "5/6": "five-sixths",
};

/** Denominators up to 12 whose fractions never end as decimals: what a typed decimal rounds. */
const recurring = [3, 6, 7, 9, 11, 12];

function atLeast({ digits, places }: Decimal): ThresholdRule {
  if (places >= 3) {
    const fraction = roundedFraction(digits, places);
    if (fraction) return checkThreshold({ kind: "at-least", ...fraction });
  }
  const scale = 10n ** BigInt(places);
  if (places > maxDecimals) {
    // Round half up to 9 places; recurring fractions were caught above.
    const cut = 10n ** BigInt(places - maxDecimals);
    return atLeast({ digits: (digits + cut / 2n) / cut, places: maxDecimals });
  }
  return checkThreshold({ kind: "at-least", numerator: Number(digits), denominator: Number(scale) });
}

/** The fraction with a recurring decimal that digits / 10^places rounds (within half a unit of the last place). */
function roundedFraction(
  digits: bigint,
  places: number,
): { numerator: number; denominator: number } | undefined {
  const scale = 10n ** BigInt(places);
  for (const q of recurring) {
    const denominator = BigInt(q);
    // The nearest p / q: p = round(digits × q / scale).
    const p = (digits * denominator * 2n + scale) / (scale * 2n);
    if (p < 0n || p > denominator) continue;
    // |digits / scale − p / q| ≤ 1 / (2 × scale)  ⇔  |digits × q − p × scale| × 2 ≤ q.
    const gap = digits * denominator - p * scale;
    if ((gap < 0n ? -gap : gap) * 2n <= denominator) return { numerator: Number(p), denominator: q };
  }
  return undefined;
}

/** The decimal a share is written as (its shortest round-trip form), e.g. 0.6667 → 6667 / 10^4. */
function decimalOf(share: number): Decimal {
  const written = String(share);
  const plain = /e/i.test(written) ? share.toFixed(20).replace(/0+$/, "") : written;
  const [whole = "0", fraction = ""] = plain.split(".");
  return { digits: BigInt(`${whole}${fraction}`), places: fraction.length };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
