import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { freeLeaversPlaces } from "#use-cases/rsvp/free-leavers-places.ts";
import { offerPlace } from "#use-cases/rsvp/offer-place.ts";
import { passOnLapsedOffer } from "#use-cases/rsvp/pass-on-lapsed-offer.ts";

/**
 * A place offered → the member is emailed and the offer's end scheduled; an offer's end come
 * → if still unanswered, it lapses and the place goes to the next waiting; a member left the
 * group → their places to come are given up as their "no" would. All safe to run twice.
 */
export const createOfferPlace =
  (
    ports: Pick<Ports, "store" | "rsvps" | "scheduler" | "mailer" | "clock" | "log" | "settings">,
  ): EventHandler =>
  async (event) => {
    if (event.type === "PlaceOffered") {
      const outcome = await offerPlace(ports, event);
      ports.log.info("place offered", { sessionId: event.data.sessionId, outcome });
      return;
    }
    if (event.type === "MemberLeftGroup") {
      const outcome = await freeLeaversPlaces(ports, event);
      ports.log.info("leaver's places freed", { groupId: event.groupId, ...outcome });
      return;
    }
    if (event.type !== "OfferLapsed") return;
    const outcome = await passOnLapsedOffer(ports, event);
    ports.log.info("offer lapsed", { sessionId: event.data.sessionId, outcome: outcome.kind });
  };
