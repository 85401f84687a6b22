import type { RsvpAnswer, SessionPlaces } from "./rsvp.ts";
import { decidePlaces, offerEndsAt, placeForYes, type PlaceHolder } from "./session-places.ts";

/**
 * How an answer or a freed place changes a session's places. Pure: the store writes the result
 * under the version it was decided on, so two answers for the last place never both get it.
 */

export interface Offer {
  memberId: string;
  offerEndsAt: string;
}

export interface PlacesAfter {
  /** The places to write, one version up. */
  places: SessionPlaces;
  /** Waiting members now offered a freed place. */
  offers: Offer[];
}

/**
 * Ends lapsed offers and offers the free places to the first waiting members (session-places.ts
 * decides who). Used after every answer, a lapsed offer and a change of capacity.
 */
export const settlePlaces = (places: SessionPlaces, now: Date, startsAt: Date): PlacesAfter => {
  const { lapsed, offer } = decidePlaces(places.settings, places.holders, now, startsAt);
  const endsAt = offerEndsAt(now, startsAt).toISOString();
  const holders = places.holders
    .filter((h) => !lapsed.includes(h.memberId))
    .map((h): PlaceHolder =>
      offer.includes(h.memberId) ? { ...h, status: "offered", offerEndsAt: endsAt } : h,
    );
  return {
    places: { ...places, holders, version: places.version + 1 },
    offers: offer.map((memberId) => ({ memberId, offerEndsAt: endsAt })),
  };
};

export interface AnswerResult extends PlacesAfter {
  /** Where a "yes" left the member. */
  place?: "going" | "waiting";
  /** The member held an open offer and took it. */
  promoted: boolean;
}

const counted = (answer: RsvpAnswer | undefined, which: "maybe" | "no") => (answer === which ? 1 : 0);

/**
 * A member's answer, replacing `previous`: a "yes" keeps a place or a waiting place already
 * held (its arrival stays), takes an open offer, or else joins as placeForYes says; a "no" or
 * "maybe" gives up whatever the member held, which may free a place for the first waiting.
 */
/**
 * The member gave this answer already and it still stands as given: a "no" or "maybe" again,
 * or a "yes" again from someone holding a place or waiting (not one answering an offer, whose
 * "yes" takes it). Nothing changes and nothing is confirmed twice: a second click, a reply
 * sent again, a retry after a lost response.
 */
export const isRepeatedAnswer = (
  places: SessionPlaces,
  memberId: string,
  previous: RsvpAnswer | undefined,
  answer: RsvpAnswer,
): boolean => {
  if (previous !== answer) return false;
  if (answer !== "yes") return true;
  const mine = places.holders.find((h) => h.memberId === memberId);
  return mine !== undefined && mine.status !== "offered";
};

export const answerPlaces = (
  places: SessionPlaces,
  memberId: string,
  previous: RsvpAnswer | undefined,
  answer: RsvpAnswer,
  now: Date,
  startsAt: Date,
): AnswerResult => {
  const mine = places.holders.find((h) => h.memberId === memberId);
  const others = places.holders.filter((h) => h.memberId !== memberId);
  const offerOpen = mine?.status === "offered" && Date.parse(mine.offerEndsAt ?? "") > now.getTime();
  let held: PlaceHolder | undefined;
  if (answer === "yes") {
    if (offerOpen) held = { memberId, status: "going", since: mine.since };
    else if (mine && mine.status !== "offered") held = mine;
    else held = { memberId, status: placeForYes(places.settings, others, now), since: now.toISOString() };
  }
  const answered: SessionPlaces = {
    ...places,
    holders: held ? [...others, held] : others,
    maybe: places.maybe - counted(previous, "maybe") + counted(answer, "maybe"),
    no: places.no - counted(previous, "no") + counted(answer, "no"),
  };
  const settled = settlePlaces(answered, now, startsAt);
  const place = settled.places.holders.find((h) => h.memberId === memberId)?.status;
  return {
    ...settled,
    place: place === "offered" ? "waiting" : place,
    promoted: offerOpen && answer === "yes",
  };
};
