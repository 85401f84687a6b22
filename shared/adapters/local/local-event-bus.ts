import { MalformedEventError, parseEvent } from "#events/parse-event.ts";
import { compileEventPattern } from "#bus/event-pattern.ts";
import type { BusEvent, EventHandler } from "#bus/bus-event.ts";
import { newId } from "#domain/ids.ts";
import { DeliveryInFlightError } from "#delivery/deliver-once.ts";
import { Slots } from "#delivery/send-slots.ts";
import type { Log } from "#ports/logger.ts";
import type { Metrics } from "#ports/metrics.ts";
import type { BusJournal, PendingDelivery } from "./bus-journal.ts";
import type { DeadLetterStore } from "./dead-letters.ts";

export interface LocalRoute {
  target: string;
  pattern: Record<string, unknown>;
}

export interface RetryPolicy {
  /** Attempts in all, the first included (Lambda's asynchronous invocation: 1 + 2 retries). */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. */
  baseDelayMs: number;
}

export interface LocalEventBusOptions {
  routes: readonly LocalRoute[];
  handlers: Readonly<Record<string, EventHandler>>;
  journal: BusJournal;
  deadLetters: DeadLetterStore;
  log: Log;
  /** Counts DeadLetters by target, as an operator watches a DLQ's depth on AWS. */
  metrics: Metrics;
  /** The platform's clock: archive times and delivery leases are in its time. */
  now: () => Date;
  retry?: RetryPolicy;
  /** Handlers running at once (see handlerSlots); more deliveries wait their turn, held in the journal. */
  concurrency?: number;
}

/**
 * Handlers that run at once, as Lambda's concurrency would allow: on one machine they share one
 * process and one SDK socket pool (50), whose sockets their reads and the send slots
 * (shared/delivery/send-slots.ts) take, so more at once would only queue for sockets.
 */
export const handlerSlots = 16;

/** A replayed event carries the replay's name, as EventBridge's replays do. */
export type ReplayedEvent = BusEvent & { "replay-name"?: string };

/**
 * EventBridge's part on one machine. Every published event is matched against the routing
 * table's patterns (compiled once, so an unsupported operator fails at start-up); `publish`
 * resolves only once each matching delivery, and the event's archive entry, are durable in
 * the bus journal, so whoever handed the event on (the stream poller, the scheduler) may then
 * forget it. Each delivery is removed from the journal only when its handler has returned, or
 * when it is dead-lettered (after the retry policy's attempts, with the reason); `resume`
 * picks up whatever a process that died left pending. A malformed event is not retried: it
 * goes straight to the dead-letter store and no handler sees it.
 */
export class LocalEventBus {
  private readonly compiled: { target: string; matches: (e: unknown) => boolean }[];
  private readonly handlers: Readonly<Record<string, EventHandler>>;
  private readonly journal: BusJournal;
  private readonly deadLetters: DeadLetterStore;
  private readonly log: Log;
  private readonly metrics: Metrics;
  private readonly now: () => Date;
  private readonly retry: RetryPolicy;
  /** A handler holds a slot while it runs, never while it waits to retry. */
  private readonly slots: Slots;
  /** Deliveries under way in this process, by id: a duplicate of one is not started twice. */
  private readonly running = new Map<string, Promise<void>>();
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private published = 0;

  constructor(options: LocalEventBusOptions) {
    this.handlers = options.handlers;
    this.journal = options.journal;
    this.deadLetters = options.deadLetters;
    this.log = options.log;
    this.metrics = options.metrics;
    this.now = options.now;
    this.retry = options.retry ?? { maxAttempts: 3, baseDelayMs: 100 };
    this.slots = new Slots(options.concurrency ?? handlerSlots);
    this.compiled = options.routes.map((r) => {
      if (!options.handlers[r.target])
        throw new Error(`route target ${r.target} has no handler in this runtime`);
      return { target: r.target, matches: compileEventPattern(r.pattern) };
    });
  }

  /** How many events have been published since start; lets callers see whether anything happened. */
  get publishedCount(): number {
    return this.published;
  }

  /**
   * Accepts events like PutEvents: resolves once they are durably queued for every matching
   * target (and archived); the handlers run afterwards, and the caller does not wait for them.
   */
  async publish(events: BusEvent | readonly BusEvent[]): Promise<void> {
    const list: readonly BusEvent[] = "id" in events ? [events] : events;
    const at = this.now();
    const pending = list.flatMap((event) =>
      this.targetsOf(event).map((target) => ({ id: `${event.id}#${target}`, target, event, attempts: 0 })),
    );
    await this.journal.accept(
      pending,
      list.map((event) => ({ at, event })),
    );
    this.published += list.length;
    for (const delivery of pending) this.start(delivery);
  }

  /** Delivers one event again to one target only (redrive from the dead-letter store). */
  async redrive(target: string, event: BusEvent): Promise<void> {
    const delivery = { id: `${event.id}#${target}#redrive#${newId()}`, target, event, attempts: 0 };
    await this.journal.accept([delivery], []);
    this.published++;
    this.start(delivery);
  }

  /**
   * Re-delivers the events the bus received from `from` up to `to` to every target whose
   * pattern matches them, as an EventBridge archive replay does; replayed events are not
   * archived again. Returns the replay's name and how many events it re-sent.
   */
  async replay(from: Date, to: Date): Promise<{ replayName: string; events: number }> {
    const replayName = `replay-${newId()}`;
    const events = await this.journal.archived(from, to);
    const pending = events.flatMap((archived) => {
      const event: ReplayedEvent = { ...archived, "replay-name": replayName };
      return this.targetsOf(event).map((target) => ({
        id: `${event.id}#${target}#${replayName}`,
        target,
        event,
        attempts: 0,
      }));
    });
    await this.journal.accept(pending, []);
    this.published += events.length;
    for (const delivery of pending) this.start(delivery);
    this.log.info("replay started", { replayName, events: events.length, deliveries: pending.length });
    return { replayName, events: events.length };
  }

  /** An event that never reached the bus because it is malformed: it goes straight to the dead-letter store. */
  async reject(event: unknown, error: Error): Promise<void> {
    await this.deadLetters.add({
      target: "bus",
      reason: `${error.name}: ${error.message}`,
      attempts: 0,
      failedAt: this.now().toISOString(),
      event,
    });
    this.log.error("malformed event dead-lettered", { target: "bus" });
    this.metrics.count("DeadLetters", { target: "bus" });
  }

  /** Starts every delivery the journal holds that is not under way here (after a restart: all). */
  async resume(): Promise<number> {
    const pending = (await this.journal.pending()).filter((d) => !this.running.has(d.id));
    for (const delivery of pending) this.start(delivery);
    if (pending.length > 0) this.log.info("pending deliveries resumed", { deliveries: pending.length });
    return pending.length;
  }

  /** Resolves once no delivery (or retry) is under way. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private targetsOf(event: BusEvent): string[] {
    return this.compiled.filter((route) => route.matches(event)).map((route) => route.target);
  }

  private start(delivery: PendingDelivery): void {
    if (this.running.has(delivery.id)) return;
    this.inFlight++;
    const run = this.deliver(delivery)
      // The journal write itself failed (DynamoDB Local unreachable): the delivery stays
      // pending in the journal, and the next resume takes it up again.
      .catch((error: unknown) =>
        this.log.error("delivery left pending", { target: delivery.target, error: errorName(error) }),
      )
      .finally(() => {
        this.running.delete(delivery.id);
        this.inFlight--;
        if (this.inFlight === 0) for (const w of this.waiters.splice(0)) w();
      });
    this.running.set(delivery.id, run);
  }

  private async deliver(delivery: PendingDelivery): Promise<void> {
    const { target, event: busEvent } = delivery;
    const handler = this.handlers[target]!;
    let event;
    try {
      event = parseEvent(busEvent.detail);
    } catch (error) {
      await this.deadLetter(delivery, error, 0);
      return;
    }
    let leaseWaits = 0;
    for (let attempt = delivery.attempts + 1; ; attempt++) {
      try {
        await this.slots.run(() => handler(event));
        await this.journal.completed(delivery.id);
        return;
      } catch (error) {
        if (error instanceof DeliveryInFlightError) {
          // Another delivery's send lease is live: most often a sibling delivery in this very
          // process (two triggers for one message due together), which marks it sent within
          // moments; else a process that died held it. So look again soon and then less often,
          // never later than the lease's end, without spending an attempt. On AWS the lease is
          // shorter than Lambda's retry spacing, so there the retry itself waits long enough.
          attempt--;
          this.log.info("delivery waits for a send lease", { target, eventId: busEvent.id });
          const leaseLeft = error.heldUntil.getTime() - this.now().getTime() + 10;
          await sleep(Math.max(10, Math.min(leaseLeft, 50 * 2 ** Math.min(leaseWaits++, 6))));
          continue;
        }
        if (attempt >= this.retry.maxAttempts || error instanceof MalformedEventError) {
          await this.deadLetter(delivery, error, attempt);
          return;
        }
        this.log.warn("handler failed, will retry", {
          target,
          eventId: busEvent.id,
          attempt,
          error: errorName(error),
        });
        await this.journal.attempted(delivery.id, attempt);
        await sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  private async deadLetter(delivery: PendingDelivery, error: unknown, attempts: number): Promise<void> {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.log.error("event dead-lettered", {
      target: delivery.target,
      eventId: delivery.event.id,
      attempts,
      error: errorName(error),
    });
    await this.journal.deadLettered(delivery.id, {
      id: newId(),
      target: delivery.target,
      reason,
      attempts,
      failedAt: this.now().toISOString(),
      event: delivery.event,
    });
    this.metrics.count("DeadLetters", { target: delivery.target });
  }
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
