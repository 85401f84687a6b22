import { describe, expect, it } from "vitest";
import { countsOf, noPlaces, type SessionPlaces } from "#domain/rsvp.ts";
import { answerPlaces, isRepeatedAnswer, settlePlaces } from "#domain/rsvp-places.ts";

const now = new Date("2026-12-01T09:00:00Z");
const startsAt = new Date("2026-12-03T19:00:00Z");
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

/** Places for `capacity` with members answering yes one after another (a, b, c, …). */
const placesAfterYes = (capacity: number, members: string[]): SessionPlaces => {
  let places: SessionPlaces = {
    ...noPlaces({ organisationId: "o", groupId: "g", sessionId: "s" }),
    settings: { asked: true, capacity, reserved: 0 },
  };
  members.forEach((m, i) => {
    places = answerPlaces(places, m, undefined, "yes", new Date(at(i)), startsAt).places;
  });
  return places;
};

describe("an answer's effect on the places", () => {
  it("a yes takes a place while there is one, then waits; the version rises with each change", () => {
    const places = placesAfterYes(2, ["a", "b", "c"]);
    expect(places.holders.map((h) => [h.memberId, h.status])).toEqual([
      ["a", "going"],
      ["b", "going"],
      ["c", "waiting"],
    ]);
    expect(places.version).toBe(3);
  });

  it("a no after a yes frees the place for the first waiting, offered until 12 hours on", () => {
    const after = answerPlaces(placesAfterYes(2, ["a", "b", "c", "d"]), "a", "yes", "no", now, startsAt);
    expect(after.offers).toEqual([{ memberId: "c", offerEndsAt: "2026-12-01T21:00:00.000Z" }]);
    expect(countsOf(after.places)).toEqual({ yes: 1, maybe: 0, no: 1, waiting: 2 });
  });

  it("the offered member's yes takes the place (promoted); a yes again keeps a member's arrival", () => {
    const offered = answerPlaces(
      placesAfterYes(1, ["a", "b", "c"]),
      "a",
      "yes",
      "maybe",
      now,
      startsAt,
    ).places;
    const accepted = answerPlaces(offered, "b", "yes", "yes", new Date(at(60)), startsAt);
    expect(accepted).toMatchObject({ place: "going", promoted: true, offers: [] });
    const again = answerPlaces(accepted.places, "c", "yes", "yes", new Date(at(90)), startsAt);
    expect(again.places.holders.find((h) => h.memberId === "c")?.since).toBe(at(2));
    expect(again.promoted).toBe(false);
  });

  it("a maybe replacing a maybe counts once; a no replacing a maybe moves the count", () => {
    const base = placesAfterYes(5, []);
    const maybe = answerPlaces(base, "a", undefined, "maybe", now, startsAt).places;
    expect(countsOf(answerPlaces(maybe, "a", "maybe", "maybe", now, startsAt).places)).toMatchObject({
      maybe: 1,
    });
    expect(countsOf(answerPlaces(maybe, "a", "maybe", "no", now, startsAt).places)).toMatchObject({
      maybe: 0,
      no: 1,
    });
  });

  it("an offer that ended unanswered lapses when the places settle, and the next waiting is offered", () => {
    const offered = answerPlaces(placesAfterYes(1, ["a", "b", "c"]), "a", "yes", "no", now, startsAt).places;
    const later = new Date(now.getTime() + 13 * 3_600_000);
    const settled = settlePlaces(offered, later, startsAt);
    expect(settled.places.holders.map((h) => [h.memberId, h.status])).toEqual([["c", "offered"]]);
    expect(settled.offers.map((o) => o.memberId)).toEqual(["c"]);
  });
});

describe("an answer given again", () => {
  it("changes nothing when it stands as given: a no, a maybe, a yes holding a place or waiting", () => {
    const places = placesAfterYes(1, ["a", "b"]);
    expect(isRepeatedAnswer(places, "a", "yes", "yes")).toBe(true); // going
    expect(isRepeatedAnswer(places, "b", "yes", "yes")).toBe(true); // waiting
    expect(isRepeatedAnswer(places, "c", "no", "no")).toBe(true);
    expect(isRepeatedAnswer(places, "c", "maybe", "maybe")).toBe(true);
  });

  it("acts when it differs, is the first, or is the yes that takes an offered place", () => {
    const places = placesAfterYes(1, ["a", "b"]);
    expect(isRepeatedAnswer(places, "a", "yes", "no")).toBe(false);
    expect(isRepeatedAnswer(places, "c", undefined, "yes")).toBe(false);
    expect(isRepeatedAnswer(places, "c", "maybe", "yes")).toBe(false);
    const offered = answerPlaces(places, "a", "yes", "no", now, startsAt).places;
    expect(offered.holders.find((h) => h.memberId === "b")?.status).toBe("offered");
    expect(isRepeatedAnswer(offered, "b", "yes", "yes")).toBe(false);
    // A yes on record without a place (its holder removed when they left): it takes one again.
    expect(isRepeatedAnswer(placesAfterYes(1, []), "d", "yes", "yes")).toBe(false);
  });
});
