import type { EventOf } from "#events/catalogue.ts";
import { answerPlaces } from "#domain/rsvp-places.ts";
import type { Session } from "#domain/session.ts";
import { changePlaces, offerEvents, type PlacesPorts } from "./change-places.ts";

/** Every session to come that a group can hold (series are materialised 13 weeks ahead). */
const sessionsRead = 1000;

export interface FreedPlaces {
  /** Sessions where the member held a place, an offer or a waiting place, now answered "no". */
  freed: number;
  /** Places offered to the first waiting as a result. */
  offered: number;
}

/**
 * A member left the group (MemberLeftGroup): their choice to show their name goes, and each
 * session to come where they hold a place, an offer or a waiting place is answered "no" for
 * them, as their own "no" would be (answerPlaces), so a freed place is offered to the first
 * waiting (PlaceOffered). No RsvpRecorded: they are not written to about a group they left.
 * Each session is one write under its places' version, and a session done no longer holds
 * them, so a redelivery offers nothing twice and finishes whatever a crash left undone.
 */
export const freeLeaversPlaces = async (
  deps: PlacesPorts,
  event: EventOf<"MemberLeftGroup">,
): Promise<FreedPlaces> => {
  const { organisationId: o, groupId: g } = event;
  const { memberId } = event.data;
  await deps.rsvps.setNameOptIn(o, g, memberId, undefined);
  const upcoming = await deps.store.listUpcomingSessions(o, g, deps.clock.now(), sessionsRead);
  // Only sessions with places of their own can hold anyone: one read each, side by side.
  const holding = (
    await Promise.all(
      upcoming.map(async (session) => {
        const places = await deps.rsvps.getPlaces(o, session.id);
        return places?.holders.some((h) => h.memberId === memberId) ? session : undefined;
      }),
    )
  ).filter((session): session is Session => session !== undefined);
  const result: FreedPlaces = { freed: 0, offered: 0 };
  for (const session of holding) {
    const offered = await answerNoFor(deps, session, event);
    if (offered === undefined) continue;
    result.freed++;
    result.offered += offered;
  }
  return result;
};

/** The member's "no" for one session: the places offered, or undefined when nothing changed. */
const answerNoFor = async (deps: PlacesPorts, session: Session, event: EventOf<"MemberLeftGroup">) => {
  const { organisationId: o, groupId: g, correlationId } = event;
  const { memberId } = event.data;
  const outcome = await changePlaces<number | undefined>(deps, session, async (now, { startsAt, places }) => {
    if (now >= startsAt || !places.holders.some((h) => h.memberId === memberId)) return { done: undefined };
    const previous = await deps.rsvps.getRsvp(o, session.id, memberId);
    // Never older than the answer it replaces, or the store would keep that one.
    const answeredAt = [now.toISOString(), previous?.answeredAt ?? ""].sort().at(-1)!;
    const after = answerPlaces(places, memberId, previous?.answer, "no", now, startsAt);
    return {
      write: {
        places: after.places,
        rsvp: {
          organisationId: o,
          groupId: g,
          sessionId: session.id,
          memberId,
          answer: "no",
          answeredAt,
          source: "left-group",
        },
        now,
        events: offerEvents({ organisationId: o, groupId: g, correlationId }, session.id, after.offers, now),
      },
      then: after.offers.length,
    };
  });
  return typeof outcome === "number" ? outcome : undefined;
};
