// The backoff before BatchGetItem is asked again for the keys it left unprocessed.

import { describe, expect, it } from "vitest";
import { batchGetAttempts, unprocessedKeysDelayMs } from "#adapters/aws/dynamodb/unprocessed-keys.ts";

const retries = Array.from({ length: batchGetAttempts - 1 }, (_, i) => i + 1);
const floors = retries.map((retry) => unprocessedKeysDelayMs(retry, () => 0));
const ceilings = retries.map((retry) => unprocessedKeysDelayMs(retry, () => 1));

describe("the wait before asking again for unprocessed keys", () => {
  it("doubles from 50 ms and stops growing at 1 s", () => {
    expect(ceilings).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("waits at least half its ceiling, the rest at random", () => {
    expect(floors).toEqual(ceilings.map((c) => c / 2));
    for (const [i, retry] of retries.entries()) {
      const delay = unprocessedKeysDelayMs(retry, () => 0.5);
      expect(delay).toBe(ceilings[i]! * 0.75);
    }
  });

  it("is bounded: a chunk's waits add up to at most a few seconds, within the shortest function timeout", () => {
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(floors)).toBeGreaterThanOrEqual(2_000);
    expect(sum(ceilings)).toBeLessThanOrEqual(5_000);
  });
});
