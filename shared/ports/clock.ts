/** Time is injected everywhere so tests and the local runtime can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
