import { MalformedEventError, parseEvent } from "../../../events/parse-event.ts";
import { compileEventPattern } from "../../bus/event-pattern.ts";
import type { BusEvent, EventHandler } from "../../bus/bus-event.ts";
import type { Log } from "../../ports/logger.ts";
import type { DeadLetterStore } from "./dead-letters.ts";

export interface LocalRoute {
  target: string;
  pattern: Record<string, unknown>;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. */
  baseDelayMs: number;
}

/**
 * EventBridge's part on one machine: every published event is matched against the routing
 * table's patterns (compiled once, so an unsupported operator fails at start-up) and handed
 * to each matching handler. A handler that throws is retried with exponential backoff, then
 * its event lands in the dead-letter store with the reason. A malformed event is not
 * retried: it goes straight to the dead-letter store and no handler sees it.
 */
export class LocalEventBus {
  private readonly compiled: { target: string; matches: (e: unknown) => boolean }[];
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private published = 0;

  constructor(
    routes: readonly LocalRoute[],
    private readonly handlers: Readonly<Record<string, EventHandler>>,
    private readonly deadLetters: DeadLetterStore,
    private readonly log: Log,
    private readonly retry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100 },
  ) {
    this.compiled = routes.map((r) => {
      if (!handlers[r.target]) throw new Error(`route target ${r.target} has no handler in this runtime`);
      return { target: r.target, matches: compileEventPattern(r.pattern) };
    });
  }

  /** How many events have been published since start; lets callers see whether anything happened. */
  get publishedCount(): number {
    return this.published;
  }

  /** Delivers asynchronously, like PutEvents: the caller does not wait for handlers. */
  publish(event: BusEvent): void {
    this.published++;
    for (const route of this.compiled) {
      if (route.matches(event)) this.track(this.deliver(route.target, event));
    }
  }

  /** Delivers to one target only (redrive from the dead-letter store). */
  redrive(target: string, event: BusEvent): void {
    this.published++;
    this.track(this.deliver(target, event));
  }

  /**
   * An event that never reached the bus because it is malformed: it goes straight to the
   * dead-letter store, and `idle()` waits for that write like any delivery.
   */
  reject(event: unknown, error: Error): void {
    this.track(
      this.deadLetters
        .add({
          target: "bus",
          reason: `${error.name}: ${error.message}`,
          attempts: 0,
          failedAt: new Date().toISOString(),
          event,
        })
        .then(() => this.log.error("malformed event dead-lettered", { target: "bus" })),
    );
  }

  /** Resolves once no delivery (or retry) is under way. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private track(delivery: Promise<void>): void {
    this.inFlight++;
    // Only the dead-letter write itself can fail here; there is nowhere further to put it.
    void delivery
      .catch((error: unknown) => this.log.error("could not store a dead letter", { error: errorName(error) }))
      .finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) for (const w of this.waiters.splice(0)) w();
      });
  }

  private async deliver(target: string, busEvent: BusEvent): Promise<void> {
    const handler = this.handlers[target]!;
    let event;
    try {
      event = parseEvent(busEvent.detail);
    } catch (error) {
      await this.deadLetter(target, busEvent, error, 0);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(event);
        return;
      } catch (error) {
        if (attempt >= this.retry.maxAttempts || error instanceof MalformedEventError) {
          await this.deadLetter(target, busEvent, error, attempt);
          return;
        }
        this.log.warn("handler failed, will retry", {
          target,
          eventId: busEvent.id,
          attempt,
          error: errorName(error),
        });
        await sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async deadLetter(target: string, event: BusEvent, error: unknown, attempts: number): Promise<void> {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.log.error("event dead-lettered", { target, eventId: event.id, attempts, error: errorName(error) });
    await this.deadLetters.add({ target, reason, attempts, failedAt: new Date().toISOString(), event });
  }
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
