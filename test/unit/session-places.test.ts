import { describe, expect, it } from "vitest";
import {
  capacityProblem,
  decidePlaces,
  offerEndsAt,
  placeForYes,
  placesToGive,
  type PlaceHolder,
} from "#domain/session-places.ts";

const now = new Date("2027-01-10T09:00:00.000Z");
const start = new Date("2027-01-12T19:00:00.000Z");
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
const going = (memberId: string, minutes = 0): PlaceHolder => ({
  memberId,
  status: "going",
  since: at(minutes),
});
const waiting = (memberId: string, minutes: number): PlaceHolder => ({
  memberId,
  status: "waiting",
  since: at(minutes),
});
const offered = (memberId: string, endsInMinutes: number): PlaceHolder => ({
  memberId,
  status: "offered",
  since: at(-60),
  offerEndsAt: at(endsInMinutes),
});

describe("places at a session with a capacity", () => {
  it("gives every yes a place without a capacity, and the capacity less the reserved places with one", () => {
    expect(placesToGive({ reserved: 0 })).toBe(Number.POSITIVE_INFINITY);
    expect(placesToGive({ capacity: 12, reserved: 2 })).toBe(10);
    expect(placesToGive({ capacity: 2, reserved: 5 })).toBe(0);
    expect(placeForYes({ reserved: 0 }, [going("a"), going("b")], now)).toBe("going");
  });

  it("puts a yes beyond the places on the waiting list, and behind anyone already waiting", () => {
    const cap = { capacity: 3, reserved: 1 };
    expect(placeForYes(cap, [going("a")], now)).toBe("going");
    expect(placeForYes(cap, [going("a"), going("b")], now)).toBe("waiting");
    // A place is free (b's offer ended) but c waits: a newcomer does not jump the queue.
    expect(placeForYes(cap, [going("a"), offered("b", -1), waiting("c", 5)], now)).toBe("waiting");
  });

  it("counts an open offer as a place given, and an ended one as free", () => {
    const cap = { capacity: 2, reserved: 0 };
    expect(placeForYes(cap, [going("a"), offered("b", 30)], now)).toBe("waiting");
    expect(placeForYes(cap, [going("a"), offered("b", 0)], now)).toBe("going");
  });

  it("offers freed places to the first waiting, in strict arrival order, ids breaking a tie", () => {
    const cap = { capacity: 3, reserved: 0 };
    const holders = [going("a"), waiting("z", 10), waiting("m", 5), waiting("b", 10), waiting("c", 20)];
    expect(decidePlaces(cap, holders, now, start)).toEqual({ lapsed: [], offer: ["m", "b"] });
  });

  it("ends lapsed offers and passes the place on; offers nothing once the session started", () => {
    const cap = { capacity: 2, reserved: 0 };
    const holders = [going("a"), offered("b", -5), waiting("c", 1), waiting("d", 2)];
    expect(decidePlaces(cap, holders, now, start)).toEqual({ lapsed: ["b"], offer: ["c"] });
    expect(decidePlaces(cap, holders, start, start)).toEqual({ lapsed: ["b"], offer: [] });
    // Repeated with the offer made (redelivery): nothing more to do.
    const after = [going("a"), offered("c", 600), waiting("d", 2)];
    expect(decidePlaces(cap, after, now, start)).toEqual({ lapsed: [], offer: [] });
  });

  it("holds an offer 12 hours, or until 2 hours before the start, or to the start when later than that", () => {
    expect(offerEndsAt(now, start).toISOString()).toBe("2027-01-10T21:00:00.000Z");
    const soon = new Date(now.getTime() + 5 * 3_600_000);
    expect(offerEndsAt(now, soon).toISOString()).toBe("2027-01-10T12:00:00.000Z");
    const veryNear = new Date(now.getTime() + 90 * 60_000);
    expect(offerEndsAt(now, veryNear)).toEqual(veryNear);
  });

  it("refuses a capacity below the places already given", () => {
    const holders = [going("a"), going("b"), offered("c", 60), waiting("d", 1)];
    expect(capacityProblem({ capacity: 3, reserved: 0 }, holders, now)).toBeUndefined();
    expect(capacityProblem({ capacity: 3, reserved: 1 }, holders, now)).toMatch(/3 places are given already/);
    expect(
      capacityProblem({ capacity: 2, reserved: 0 }, [going("a"), offered("c", -1)], now),
    ).toBeUndefined();
  });
});
