import type { Store } from "#ports/store.ts";
import { DeliveryInFlightError } from "./deliver-once.ts";

const claimLifetimeMs = 35 * 24 * 3600 * 1000;

/**
 * Does `work` once per key, as deliverOnce sends once (claimed, done, marked done; a failure
 * gives the claim back), but without taking a send slot: the work sends messages of its own
 * through deliverOnce, and a slot held around them could wait on itself. undefined: done before.
 */
export const actOnce = async <T>(
  store: Store,
  organisationId: string,
  key: string,
  now: Date,
  work: () => Promise<T>,
): Promise<T | undefined> => {
  const expiresAt = new Date(now.getTime() + claimLifetimeMs);
  const claim = await store.claimDelivery(organisationId, key, now, expiresAt);
  if (claim === "sent") return undefined;
  if (claim !== "claimed") throw new DeliveryInFlightError(claim.heldUntil);
  let done: T;
  try {
    done = await work();
  } catch (error) {
    await store.releaseDelivery(organisationId, key);
    throw error;
  }
  await store.markDelivered(organisationId, key, expiresAt);
  return done;
};
