import { describe, expect, it } from "vitest";
import { isDailyQuotaExceeded, pacedMailer, throttleRetry } from "#delivery/paced-mailer.ts";
import type { Mailer, OutgoingEmail } from "#ports/mailer.ts";

// The pace and the throttle retries on a virtual clock: sleeping moves time forward, so the
// tests say exactly when each send reached the inner mailer, and take no real time.

const virtualTime = () => {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  let running = false;
  /** Wakes sleepers in time order once every send has had its turn to ask for one. */
  const run = async () => {
    if (running) return;
    running = true;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers.shift();
      if (!next) break;
      now = Math.max(now, next.at);
      next.wake();
    }
    running = false;
  };
  const slept: number[] = [];
  return {
    now: () => now,
    slept,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        slept.push(ms);
        sleepers.push({ at: now + ms, wake });
        void run();
      }),
  };
};

const email = (to: string): OutgoingEmail => ({
  from: "reminders@convene.example.org",
  to,
  subject: "Reminder",
  text: "See you on Tuesday",
  html: "<p>See you on Tuesday</p>",
});

/** SES's errors as the SDK raises them (name, message, HTTP status). */
const sesError = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const rateExceeded = () => sesError("TooManyRequestsException", "Maximum sending rate exceeded.", 429);
const quotaExceeded = () => sesError("ThrottlingException", "Daily message quota exceeded.", 400);

/** A mailer that records when each send reached it, and answers from a script per address. */
const recording = (time: { now: () => number }, answers: Record<string, (() => Error)[]> = {}) => {
  const calls: { to: string; at: number }[] = [];
  const inner: Mailer = {
    send(e) {
      calls.push({ to: e.to, at: time.now() });
      const next = answers[e.to]?.shift();
      return next ? Promise.reject(next()) : Promise.resolve({ messageId: `m-${calls.length}` });
    },
  };
  return { inner, calls };
};

describe("pacedMailer", () => {
  it("spaces sends evenly at its rate, however many are asked for at once", async () => {
    const time = virtualTime();
    const { inner, calls } = recording(time);
    const mailer = pacedMailer(inner, { ratePerSecond: 5, ...time });
    await Promise.all(Array.from({ length: 10 }, (_, i) => mailer.send(email(`m${i}@example.org`))));
    expect(calls.map((c) => c.at)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
  });

  it("sends at once when it has no rate", async () => {
    const time = virtualTime();
    const { inner, calls } = recording(time);
    const mailer = pacedMailer(inner, time);
    await Promise.all(Array.from({ length: 5 }, (_, i) => mailer.send(email(`m${i}@example.org`))));
    expect(calls.map((c) => c.at)).toEqual([0, 0, 0, 0, 0]);
    expect(time.slept).toEqual([]);
  });

  it("tries a send SES refused for the rate again after a backoff, and delivers it", async () => {
    const time = virtualTime();
    const { inner, calls } = recording(time, { "ann@example.org": [rateExceeded, rateExceeded] });
    const mailer = pacedMailer(inner, { ...time, random: () => 1 });
    await expect(mailer.send(email("ann@example.org"))).resolves.toEqual({ messageId: "m-3" });
    // Backoffs of 1 s and 2 s (the random share at its top).
    expect(calls.map((c) => c.at)).toEqual([0, 1000, 3000]);
  });

  it("gives a send up once its throttles have used the retry budget, with SES's error", async () => {
    const time = virtualTime();
    const always = Array.from({ length: 50 }, () => rateExceeded);
    const { inner, calls } = recording(time, { "ann@example.org": always });
    const mailer = pacedMailer(inner, { ...time, random: () => 1 });
    await expect(mailer.send(email("ann@example.org"))).rejects.toMatchObject({
      name: "TooManyRequestsException",
    });
    const waited = time.slept.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(throttleRetry.budgetMs);
    expect(waited).toBeGreaterThan(throttleRetry.budgetMs / 2);
    expect(calls.length).toBe(time.slept.length + 1);
  });

  it("does not wait out the daily quota: the send fails at once", async () => {
    const time = virtualTime();
    const { inner, calls } = recording(time, { "ann@example.org": [quotaExceeded] });
    const mailer = pacedMailer(inner, time);
    await expect(mailer.send(email("ann@example.org"))).rejects.toSatisfy(isDailyQuotaExceeded);
    expect(calls).toHaveLength(1);
    expect(time.slept).toEqual([]);
  });

  it("passes any other failure through at once", async () => {
    const time = virtualTime();
    const rejected = () => sesError("MessageRejected", "Email address is not verified.", 400);
    const { inner, calls } = recording(time, { "ann@example.org": [rejected] });
    const mailer = pacedMailer(inner, time);
    await expect(mailer.send(email("ann@example.org"))).rejects.toMatchObject({ name: "MessageRejected" });
    expect(calls).toHaveLength(1);
  });

  it("keeps its pace for the retries too: a retry waits for a turn like any send", async () => {
    const time = virtualTime();
    const { inner, calls } = recording(time, { "m0@example.org": [rateExceeded] });
    const mailer = pacedMailer(inner, { ratePerSecond: 2, ...time, random: () => 0 });
    await Promise.all(Array.from({ length: 4 }, (_, i) => mailer.send(email(`m${i}@example.org`))));
    const at = calls.map((c) => c.at).sort((a, b) => a - b);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(500);
    expect(calls.filter((c) => c.to === "m0@example.org")).toHaveLength(2);
  });
});
