import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { trackGroupHealth } from "#use-cases/overview/track-group-health.ts";

/**
 * The organisation overview's projection: an event that changes a group's health → the
 * group's health sections are recomputed from the store and its monthly trend counted once.
 * Safe under redelivery and in any order (see trackGroupHealth).
 */
export const createTrackGroupHealth =
  (
    ports: Pick<Ports, "store" | "votes" | "roles" | "series" | "rsvps" | "overview" | "clock" | "log">,
  ): EventHandler =>
  async (event) => {
    const tracked = await trackGroupHealth(ports, event);
    if (tracked) ports.log.info("group health tracked", { ...tracked });
  };
