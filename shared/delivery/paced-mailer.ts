import type { Mailer } from "#ports/mailer.ts";

/**
 * How long one email may wait out SES's "Maximum sending rate exceeded" within an invocation,
 * its claim held meanwhile (deliverOnce releases a claim only when the send finally fails):
 * waits of about 1, 2 and 4 s (each 50–100 % of that, so instances do not retry in step).
 * Short enough that two waves of a fan-out fit a 30 s function; SES advises waiting up to 10
 * minutes, which the event's own retry gives (the queue's visibility timeout, or Lambda's
 * retry waits) when an email is still throttled after these.
 */
export const throttleRetry = { budgetMs: 10_000, firstDelayMs: 1_000, maxDelayMs: 4_000 } as const;

export interface MailerPace {
  /** Emails a second this mailer sends at most (its share of SES's rate); undefined: unpaced. */
  ratePerSecond?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds on a monotonic clock. */
  now?: () => number;
  random?: () => number;
}

const names = new Set(["ThrottlingException", "TooManyRequestsException", "Throttling"]);

/** SES's answer to a send over the account's rate (any throttle but the daily quota). */
export const isSendingRateThrottle = (error: unknown): boolean => {
  if (!(error instanceof Error) || isDailyQuotaExceeded(error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return names.has(error.name) || status === 429;
};

/**
 * SES's answer once the 24-hour quota is spent: waiting seconds does not help, so the send
 * fails at once and the event's retries (and then its dead-letter queue) keep it.
 */
export const isDailyQuotaExceeded = (error: unknown): boolean =>
  error instanceof Error && /daily message quota exceeded/i.test(error.message);

/**
 * The mailer every function sends through: emails leave at most `ratePerSecond` a second
 * (evenly spaced, so a fan-out never bursts past its share of SES's rate), and a send that SES
 * refuses for the rate is tried again after a backoff, within `throttleRetry.budgetMs`, before
 * its failure reaches deliverOnce. Other failures pass through at once.
 */
export const pacedMailer = (mailer: Mailer, pace: MailerPace = {}): Mailer => {
  const { ratePerSecond } = pace;
  const sleep = pace.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = pace.now ?? (() => performance.now());
  const random = pace.random ?? Math.random;
  const spacingMs = ratePerSecond && ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
  let nextSlot = 0;
  /** Waits for this send's turn: slots are handed out in order, `spacingMs` apart. */
  const turn = async () => {
    if (spacingMs === 0) return;
    const at = Math.max(now(), nextSlot);
    nextSlot = at + spacingMs;
    const wait = at - now();
    if (wait > 0) await sleep(wait);
  };
  return {
    async send(email) {
      let waited = 0;
      for (let retry = 0; ; retry++) {
        await turn();
        try {
          return await mailer.send(email);
        } catch (error) {
          if (!isSendingRateThrottle(error)) throw error;
          const backoff = Math.min(throttleRetry.maxDelayMs, throttleRetry.firstDelayMs * 2 ** retry);
          const delay = backoff * (0.5 + random() / 2);
          if (waited + delay > throttleRetry.budgetMs) throw error;
          waited += delay;
          await sleep(delay);
        }
      }
    },
  };
};
