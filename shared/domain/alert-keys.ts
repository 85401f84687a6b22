import { createHash } from "node:crypto";
import type { FacilitatorAlert } from "./vacancy.ts";

/**
 * Delivery keys of the role alerts (deliverOnce claims one per message), so a redelivered or
 * repeated trigger never sends twice. An address is keyed by a digest of its lower-case form:
 * the same person listed twice gets one email, and no address is written into a key.
 */

const addressDigest = (address: string): string =>
  createHash("sha256").update(address.trim().toLowerCase()).digest("hex").slice(0, 32);

/** The same address, however written, once: the first spelling is kept. */
export function distinctAddresses(addresses: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const address of addresses) {
    const key = address.trim().toLowerCase();
    if (key !== "" && !seen.has(key)) seen.set(key, address.trim());
  }
  return [...seen.values()];
}

/** Once per vacancy (group, role, vacantSince) and address. */
export const escalationDeliveryKey = (
  vacancy: { groupId: string; roleId: string; vacantSince: string },
  address: string,
): string =>
  ["escalation", vacancy.groupId, vacancy.roleId, vacancy.vacantSince, addressDigest(address)].join("#");

/**
 * Once per session version, alert kind and address: a session moved (a new version) is alerted
 * again with its new time; the triggers of one version (its scheduling, its due checks, a
 * member leaving, the role falling vacant, and their redeliveries) share one alert.
 */
export const facilitatorAlertDeliveryKey = (
  session: { id: string; version: number },
  alert: FacilitatorAlert,
  address: string,
): string => ["no-facilitator", session.id, `v${session.version}`, alert, addressDigest(address)].join("#");

/** Once per training record: the member is reminded of one record once. */
export const trainingExpiryDeliveryKey = (record: {
  memberId: string;
  trainingId: string;
  completedAt: string;
}): string =>
  ["training-expiry", record.memberId, record.trainingId, new Date(record.completedAt).toISOString()].join(
    "#",
  );
