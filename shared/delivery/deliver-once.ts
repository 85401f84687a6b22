import pMap from "p-map";
import type { Store } from "#ports/store.ts";
import { sendSlots } from "./send-slots.ts";

/** Claims outlive every redelivery window (EventBridge retries for 24 h; Scheduler for 24 h). */
const claimLifetimeMs = 35 * 24 * 3600 * 1000;

/** Sends run side by side, within what SES and SMS accept from one function. */
export const sendConcurrency = 16;

export type DeliveryOutcome = "sent" | "already-sent";

/**
 * Another delivery of the same message holds an unexpired "sending" lease: it may still be
 * sending, or it died. Retry after `heldUntil`; by then the lease has lapsed and the retry
 * sends (the holder, if it was only slow, has marked the claim "sent" by then).
 */
export class DeliveryInFlightError extends Error {
  override name = "DeliveryInFlightError";
  constructor(readonly heldUntil: Date) {
    super(`a delivery of this message is under way until ${heldUntil.toISOString()}`);
  }
}

/** Some messages of a fan-out were not sent; the ones that were are claimed "sent" and stay so. */
export class DeliveriesIncompleteError extends Error {
  override name = "DeliveriesIncompleteError";
  constructor(
    readonly failed: number,
    readonly total: number,
    cause: unknown,
  ) {
    // The cause's name says why (MessageRejected, a throttle): never its message, which may
    // carry an address.
    super(
      `${failed} of ${total} messages were not sent (${cause instanceof Error ? cause.name : "unknown"})`,
      {
        cause,
      },
    );
  }
}

/**
 * Sends one message at least once and, outside one short window, at most once:
 * 1. a conditional write claims its key as "sending" with a lease (the store knows its length:
 *    longer than the process that sends may live, e.g. the Lambda function's timeout);
 * 2. the message is sent; 3. the claim is marked "sent".
 * A redelivery that finds "sent" sends nothing; one that finds a lapsed "sending" lease (the
 * sender died between 1 and 3) sends again; one that finds a live lease throws
 * DeliveryInFlightError so the event is retried later. A failed send gives the claim back and
 * rethrows, so the retry can send. The one window for a duplicate: the provider accepted the
 * message and the sender died before step 3.
 *
 * The claim and the send take one of the process's send slots (send-slots.ts) and give it back
 * before the mark, which may wait a moment to share its write with other marks. Time spent
 * waiting for a slot is added to `now`, so the lease still ends no later than its length after
 * the claim.
 */
export const deliverOnce = async (
  store: Store,
  organisationId: string,
  deliveryKey: string,
  now: Date,
  send: () => Promise<unknown>,
): Promise<DeliveryOutcome> => {
  const asked = performance.now();
  const claimed = await sendSlots.run(async () => {
    const at = new Date(now.getTime() + performance.now() - asked);
    const expiresAt = new Date(at.getTime() + claimLifetimeMs);
    const claim = await store.claimDelivery(organisationId, deliveryKey, at, expiresAt);
    if (claim === "sent") return undefined;
    if (claim !== "claimed") throw new DeliveryInFlightError(claim.heldUntil);
    try {
      await send();
    } catch (error) {
      await store.releaseDelivery(organisationId, deliveryKey);
      throw error;
    }
    return { expiresAt };
  });
  if (!claimed) return "already-sent";
  await markDelivered(store, organisationId, deliveryKey, claimed.expiresAt);
  return "sent";
};

/**
 * The message went out: a failure to say so now would turn into a duplicate once the lease
 * lapses, so the mark is tried a few more times (it is idempotent) before giving up.
 */
const markDelivered = async (store: Store, organisationId: string, deliveryKey: string, expiresAt: Date) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.markDelivered(organisationId, deliveryKey, expiresAt);
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
};

/**
 * Runs one delivery per item, every one of them even when some fail, then throws if any did:
 * a DeliveryInFlightError when all that failed are in flight elsewhere (retry after the
 * latest lease), else DeliveriesIncompleteError. So one bad address never stops the others,
 * and a retry sends only what is still unsent.
 */
export const deliverEach = async <T, R>(
  items: Iterable<T>,
  deliver: (item: T) => Promise<R>,
): Promise<R[]> => {
  const list = [...items];
  const settled = await pMap(
    list,
    async (item) => {
      try {
        return { ok: true as const, value: await deliver(item) };
      } catch (error) {
        return { ok: false as const, error };
      }
    },
    { concurrency: sendConcurrency },
  );
  const errors = settled.flatMap((s) => (s.ok ? [] : [s.error]));
  if (errors.length === 0) return settled.map((s) => (s as { value: R }).value);
  if (errors.every((e): e is DeliveryInFlightError => e instanceof DeliveryInFlightError)) {
    const latest = Math.max(...errors.map((e) => e.heldUntil.getTime()));
    throw new DeliveryInFlightError(new Date(latest));
  }
  throw new DeliveriesIncompleteError(
    errors.length,
    list.length,
    errors.find((e) => !(e instanceof DeliveryInFlightError)),
  );
};
