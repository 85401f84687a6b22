import type { EventOf } from "#events/catalogue.ts";
import { settlePlaces } from "#domain/rsvp-places.ts";
import { changePlaces, offerEvents, type PlacesPorts } from "./change-places.ts";

export type LapseOutcome =
  /** The offer ended unanswered: the member left the list, the place went to the next waiting (if any). */
  | { kind: "passed-on"; offeredTo: number }
  /** The offer was answered, or passed on already (a redelivered OfferLapsed): nothing changes. */
  | { kind: "settled" }
  | { kind: "not-yet" }
  | { kind: "no-session" | "session-not-scheduled" };

/**
 * An offer's schedule fired (OfferLapsed). If the member still holds that very offer, it ends
 * and the freed place is offered to the first waiting, under the places' version: a redelivered
 * OfferLapsed finds the offer gone and changes nothing, so nobody is promoted twice.
 */
export const passOnLapsedOffer = async (
  deps: PlacesPorts,
  event: EventOf<"OfferLapsed">,
): Promise<LapseOutcome> => {
  const { organisationId, groupId, correlationId } = event;
  const { sessionId, memberId, offerEndsAt } = event.data;
  const session = await deps.store.getSession(organisationId, groupId, sessionId);
  if (!session) return { kind: "no-session" };
  if (session.status === "cancelled") return { kind: "session-not-scheduled" };
  const outcome = await changePlaces<LapseOutcome>(deps, session, (now, { startsAt, places }) => {
    const offer = places.holders.find(
      (h) => h.memberId === memberId && h.status === "offered" && h.offerEndsAt === offerEndsAt,
    );
    if (!offer) return { done: { kind: "settled" } };
    if (Date.parse(offerEndsAt) > now.getTime()) return { done: { kind: "not-yet" } };
    const after = settlePlaces(places, now, startsAt);
    return {
      write: {
        places: after.places,
        now,
        events: offerEvents({ organisationId, groupId, correlationId }, sessionId, after.offers, now),
      },
      then: { kind: "passed-on", offeredTo: after.offers.length },
    };
  });
  return typeof outcome === "string"
    ? { kind: outcome === "session-not-scheduled" ? outcome : "settled" }
    : outcome;
};
