import { describe, expect, it } from "vitest";
import { attendeesProblem, namesKept, sameAttendees } from "#domain/named-attendance.ts";
import { namedAttendanceFadesAt } from "#domain/rsvp-privacy.ts";
import { maxHeadcount } from "#domain/session.ts";

const members = new Set(["ann", "ben", "cat"]);

describe("who may be named as having come", () => {
  it("is any of the group's members, once each, in any order", () => {
    expect(attendeesProblem(["cat", "ann"], members)).toBeUndefined();
    expect(attendeesProblem([], members)).toBeUndefined();
  });

  it("names the first position that is not a member, or is named again", () => {
    expect(attendeesProblem(["ann", "dan", "eve"], members)).toEqual({
      field: "memberIds.1",
      message: "is not a member of this group",
    });
    expect(attendeesProblem(["ann", "ben", "ann"], members)).toEqual({
      field: "memberIds.2",
      message: "is named twice",
    });
  });

  it("is never more than a headcount may be", () => {
    const many = Array.from({ length: maxHeadcount + 1 }, (_, i) => `m${i}`);
    expect(attendeesProblem(many, new Set(many))?.field).toBe("memberIds");
    expect(attendeesProblem(many.slice(1), new Set(many))).toBeUndefined();
  });
});

describe("when named attendance is still kept", () => {
  const fadesAt = namedAttendanceFadesAt("2026-03-14T18:30:00.000Z", 12);

  it("is until the fade, and not from the fade's very second on (TTL deletes only later)", () => {
    expect(namesKept(fadesAt, new Date("2027-03-14T18:29:59.999Z"))).toBe(true);
    expect(namesKept(fadesAt, new Date("2027-03-14T18:30:00.000Z"))).toBe(false);
    expect(namesKept(fadesAt, new Date("2027-09-01T00:00:00.000Z"))).toBe(false);
  });
});

describe("the same people", () => {
  it("are the same whatever the order, and differ by anyone added, left out or swapped", () => {
    expect(sameAttendees(["ann", "ben"], ["ben", "ann"])).toBe(true);
    expect(sameAttendees([], [])).toBe(true);
    expect(sameAttendees(["ann", "ben"], ["ann"])).toBe(false);
    expect(sameAttendees(["ann"], ["ann", "ben"])).toBe(false);
    expect(sameAttendees(["ann", "ben"], ["ann", "cat"])).toBe(false);
    expect(sameAttendees(["ann", "ben"], ["ann", "ann"])).toBe(false);
  });
});
