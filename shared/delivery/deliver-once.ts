import type { Store } from "../ports/store.ts";

/** Claims outlive every redelivery window (EventBridge retries for 24 h; Scheduler for 24 h). */
const claimLifetimeMs = 35 * 24 * 3600 * 1000;

/** Sends run side by side, within what SES and SMS accept from one function. */
export const sendConcurrency = 16;

export type DeliveryOutcome = "sent" | "already-sent";

/**
 * Sends one message at most once: a conditional write claims its key first, so a redelivered
 * event finds the claim and sends nothing. A failed send gives the claim back and rethrows,
 * so the retry can send. (A process that dies between claim and send loses that one message
 * rather than risk sending it twice.)
 */
export const deliverOnce = async (
  store: Store,
  organisationId: string,
  deliveryKey: string,
  now: Date,
  send: () => Promise<unknown>,
): Promise<DeliveryOutcome> => {
  const claimed = await store.claimDelivery(
    organisationId,
    deliveryKey,
    new Date(now.getTime() + claimLifetimeMs),
  );
  if (!claimed) return "already-sent";
  try {
    await send();
    return "sent";
  } catch (error) {
    await store.releaseDelivery(organisationId, deliveryKey);
    throw error;
  }
};
