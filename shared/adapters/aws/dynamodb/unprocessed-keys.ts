/**
 * BatchGetItem answers the keys it could not read in time (a throttled partition, a response
 * over 16 MB) as UnprocessedKeys; AWS advises asking for them again after a backoff. A chunk
 * of keys is asked for at most this many times in all: a partition still refusing then is a
 * failure for the caller's retry (Lambda's, EventBridge's), not a loop.
 */
export const batchGetAttempts = 9;

/**
 * The wait before asking again for unprocessed keys, `retry` counting from 1: a ceiling that
 * doubles from 50 ms up to 1 s, of which half is waited always and half at random ("equal
 * jitter"), so a throttled partition gets time and readers that met it together do not come
 * back together. The eight waits of a chunk add up to between 2.3 s and 4.6 s.
 */
export const unprocessedKeysDelayMs = (retry: number, random: () => number = Math.random): number => {
  const ceiling = Math.min(1_000, 50 * 2 ** (retry - 1));
  return ceiling / 2 + random() * (ceiling / 2);
};

/** Some keys stayed unprocessed through every attempt. */
export class UnprocessedKeysError extends Error {
  override name = "UnprocessedKeysError";
  constructor(
    readonly unprocessed: number,
    attempts: number,
  ) {
    super(`${unprocessed} keys were still unprocessed after ${attempts} BatchGetItem requests`);
  }
}
