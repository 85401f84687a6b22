import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { confirmRsvp } from "#use-cases/rsvp/confirm-rsvp.ts";

/** An answer recorded → the member is told what was understood, once per answer. */
export const createConfirmRsvp =
  (ports: Pick<Ports, "store" | "rsvps" | "mailer" | "clock" | "log" | "settings">): EventHandler =>
  async (event) => {
    if (event.type !== "RsvpRecorded") return;
    const outcome = await confirmRsvp(ports, event);
    ports.log.info("rsvp confirmed", { sessionId: event.data.sessionId, outcome });
  };
