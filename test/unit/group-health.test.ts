import { describe, expect, it } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { defaultRoleCatalogue, type GroupRole } from "#domain/role.ts";
import type { Session } from "#domain/session.ts";
import type { TrainingRecord } from "#domain/training.ts";
import {
  healthFactsAt,
  holdersNeedingTraining,
  isUnreachable,
  rolesHealth,
  upcomingSessions,
  type GroupHealthSnapshot,
} from "#read-models/group-health.ts";
import { monthlyTrends, monthsUpTo, trendDeltas } from "#read-models/monthly-trends.ts";

const now = new Date("2030-03-10T12:00:00.000Z");
const days = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();
const place = { organisationId: "o", groupId: "g" };

describe("reachability", () => {
  const member = (phone: string | undefined, unsubscribed: Member["unsubscribed"]) => ({
    email: "a@example.org",
    ...(phone ? { phone } : {}),
    unsubscribed,
  });

  it("a member is unreachable once every channel they have is unsubscribed", () => {
    expect(isUnreachable(member(undefined, []))).toBe(false);
    expect(isUnreachable(member(undefined, ["email"]))).toBe(true);
    expect(isUnreachable(member("+447700900000", ["email"]))).toBe(false);
    expect(isUnreachable(member("+447700900000", ["email", "sms"]))).toBe(true);
    expect(isUnreachable({ email: "", unsubscribed: [] })).toBe(true);
  });

  it("an address that bounced or drew a complaint is no channel", () => {
    const bounced = { reason: "bounced" as const, since: days(-1) };
    expect(isUnreachable({ ...member(undefined, []), emailUndeliverable: bounced })).toBe(true);
    expect(
      isUnreachable({ ...member(undefined, []), emailUndeliverable: { ...bounced, reason: "complained" } }),
    ).toBe(true);
    expect(isUnreachable({ ...member("+447700900000", []), emailUndeliverable: bounced })).toBe(false);
    expect(isUnreachable({ ...member("+447700900000", ["sms"]), emailUndeliverable: bounced })).toBe(true);
  });
});

describe("upcoming sessions", () => {
  const session = (id: string, startLocal: string, more: Partial<Session> = {}): Session => ({
    ...place,
    id,
    version: 1,
    title: "Meeting",
    startLocal,
    timeZone: "Europe/London",
    durationMinutes: 90,
    duties: [],
    status: "scheduled",
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...more,
  });

  it("keeps scheduled sessions still to start, soonest first, at most five, as UTC instants", () => {
    const sessions = [
      session("past", "2030-03-09T19:00"),
      session("cancelled", "2030-03-11T19:00", { status: "cancelled" }),
      ...["2030-03-20", "2030-03-13", "2030-04-03", "2030-03-27", "2030-04-10", "2030-04-17"].map((day) =>
        session(day, `${day}T19:00`),
      ),
    ];
    const upcoming = upcomingSessions(sessions, now);
    expect(upcoming.map((s) => s.sessionId)).toEqual([
      "2030-03-13",
      "2030-03-20",
      "2030-03-27",
      "2030-04-03",
      "2030-04-10",
    ]);
    // London is on GMT until 31 March 2030, then BST.
    expect(upcoming[0]!.startsAt).toBe("2030-03-13T19:00:00.000Z");
    expect(upcoming[3]!.startsAt).toBe("2030-04-03T18:00:00.000Z");
  });

  it("a session has a facilitator when one is named or the facilitation duty is held", () => {
    const [named, duty, none] = upcomingSessions(
      [
        session("named", "2030-03-11T19:00", { facilitatorMemberId: "m1" }),
        session("duty", "2030-03-12T19:00", { duties: [{ kind: "facilitation", holderMemberId: "m2" }] }),
        session("none", "2030-03-13T19:00", {
          duties: [{ kind: "facilitation" }, { kind: "refreshments", holderMemberId: "m3" }],
        }),
      ],
      now,
    );
    expect([named!.hasFacilitator, duty!.hasFacilitator, none!.hasFacilitator]).toEqual([true, true, false]);
  });
});

describe("roles and training", () => {
  const catalogue = defaultRoleCatalogue(); // facilitator: facilitation-basics + safeguarding
  const role = (roleId: string, holders: string[], vacantSince?: string): GroupRole => ({
    ...place,
    roleId,
    maxHolders: Math.max(1, holders.length),
    holders: holders.map((memberId) => ({ memberId, since: days(-100) })),
    ...(vacantSince ? { vacantSince } : {}),
  });
  const record = (memberId: string, trainingId: string, expiresAt?: string): TrainingRecord => ({
    memberId,
    trainingId,
    completedAt: days(-300),
    ...(expiresAt ? { expiresAt } : {}),
  });

  it("lists vacant roles longest first, with the catalogue's name and criticality", () => {
    const roles = [
      role("treasurer", [], days(-3)),
      role("facilitator", [], days(-20)),
      role("refreshments", ["m1"]),
    ];
    expect(rolesHealth(roles, catalogue, () => []).vacant).toEqual([
      { roleId: "facilitator", name: "Facilitator", critical: true, vacantSince: days(-20) },
      { roleId: "treasurer", name: "Treasurer", critical: false, vacantSince: days(-3) },
    ]);
  });

  it("gives each holder the earliest expiry of their roles' required trainings, a renewal replacing the record it renews", () => {
    const roles = [
      role("facilitator", ["ann", "bob", "cat"]),
      role("welfare-and-safety", ["dan"]),
      role("refreshments", ["eve"]),
    ];
    expect(holdersNeedingTraining(roles, catalogue)).toEqual(["ann", "bob", "cat", "dan"]);
    const training: Record<string, TrainingRecord[]> = {
      ann: [record("ann", "facilitation-basics", days(200)), record("ann", "safeguarding", days(10))],
      bob: [
        record("bob", "facilitation-basics", days(-5)),
        record("bob", "facilitation-basics", days(400)), // renewed
        record("bob", "safeguarding"), // never expires
      ],
      cat: [record("cat", "safeguarding", days(50))], // no facilitation-basics record: an override
      dan: [record("dan", "safeguarding", days(-2))],
    };
    const { trainingExpiries } = rolesHealth(roles, catalogue, (m) => training[m] ?? []);
    expect(trainingExpiries).toEqual([days(-2), days(10), days(50), days(400)].sort());
  });
});

describe("a group's facts at read time", () => {
  const group = { id: "g", name: "Riverside", timeZone: "Europe/London", createdAt: days(-400) };

  it("a group nothing has happened to yet: empty, ok, updated when it was created", () => {
    expect(healthFactsAt(group, undefined, now)).toEqual({
      groupId: "g",
      name: "Riverside",
      timeZone: "Europe/London",
      members: 0,
      unreachableMembers: 0,
      nextSession: null,
      vacantRoles: [],
      openVotes: [],
      trainingExpiring: 0,
      seriesNeedingConfirmation: [],
      expectedVsAttended: null,
      updatedAt: days(-400),
    });
  });

  it("the next session is the first still to start; training counts when it expires within 30 days", () => {
    const snapshot: GroupHealthSnapshot = {
      groupId: "g",
      members: { value: { count: 9, unreachable: 1 }, at: days(-9) },
      sessions: {
        value: [
          { sessionId: "gone", startsAt: days(-1), hasFacilitator: true },
          { sessionId: "next", startsAt: days(6), hasFacilitator: false },
        ],
        at: days(-8),
      },
      roles: { value: { vacant: [], trainingExpiries: [days(-3), days(29), days(31)] }, at: days(-2) },
    };
    const facts = healthFactsAt(group, snapshot, now);
    expect(facts.nextSession?.sessionId).toBe("next");
    expect(facts.trainingExpiring).toBe(2);
    expect(facts.members).toBe(9);
    expect(facts.unreachableMembers).toBe(1);
    expect(facts.updatedAt).toBe(days(-2));
    expect(healthFactsAt(group, snapshot, new Date(Date.parse(days(7)))).nextSession).toBeNull();
  });
});

describe("monthly trends", () => {
  const session = (startLocal: string) => ({
    id: "s",
    version: 2,
    title: "Meeting",
    startLocal,
    timeZone: "Europe/London",
    durationMinutes: 60,
    duties: [],
  });
  const at = new Date("2030-03-01T00:00:00Z");

  it("sessions count on their local start day: scheduled +1, moved -1 and +1, cancelled -1", () => {
    expect(
      trendDeltas(newEvent("SessionScheduled", place, { session: session("2030-03-31T23:30") }, at)),
    ).toEqual([{ month: "2030-03", counter: "sessions31", by: 1 }]);
    const moved = newEvent(
      "SessionRescheduled",
      place,
      { session: session("2030-04-02T19:00"), previousStartLocal: "2030-03-31T19:00" },
      at,
    );
    expect(trendDeltas(moved)).toEqual([
      { month: "2030-03", counter: "sessions31", by: -1 },
      { month: "2030-04", counter: "sessions02", by: 1 },
    ]);
    const sameDay = newEvent(
      "SessionRescheduled",
      place,
      { session: session("2030-04-02T20:00"), previousStartLocal: "2030-04-02T19:00" },
      at,
    );
    expect(trendDeltas(sameDay)).toEqual([]);
    expect(
      trendDeltas(newEvent("SessionCancelled", place, { session: session("2030-04-02T19:00") }, at)),
    ).toEqual([{ month: "2030-04", counter: "sessions02", by: -1 }]);
  });

  it("a malformed previous start is refused before anything is counted", () => {
    const bad = newEvent(
      "SessionRescheduled",
      place,
      { session: session("2030-04-02T19:00"), previousStartLocal: "next Tuesday" },
      at,
    );
    expect(() => trendDeltas(bad)).toThrow(RangeError);
  });

  it("a closed vote counts its ballots and electorate in the month it closed; a vacated place counts once", () => {
    const closed = newEvent(
      "VoteClosed",
      place,
      {
        voteId: "v",
        kind: "proposal",
        closedEarly: false,
        result: {
          counts: { yes: 3 },
          ballots: 3,
          eligible: 8,
          turnout: 0.375,
          quorumMet: false,
          outcome: { kind: "no-quorum" },
        },
      },
      new Date("2030-02-28T23:59:00Z"),
    );
    expect(trendDeltas(closed)).toEqual([
      { month: "2030-02", counter: "votesClosed", by: 1 },
      { month: "2030-02", counter: "ballots", by: 3 },
      { month: "2030-02", counter: "eligible", by: 8 },
    ]);
    const vacated = newEvent(
      "RoleVacated",
      place,
      { roleId: "treasurer", memberId: "m", reason: "left-group", vacatedAt: "2030-01-31T10:00:00.000Z" },
      at,
    );
    expect(trendDeltas(vacated)).toEqual([{ month: "2030-01", counter: "vacancies", by: 1 }]);
    const other: ConveneEvent = newEvent("MemberJoinedGroup", place, { memberId: "m" }, at);
    expect(trendDeltas(other)).toEqual([]);
  });

  it("attendance counts in the session's local month: a first headcount adds a session, a correction only the difference", () => {
    const recorded = (headcount: number, previousHeadcount?: number) =>
      newEvent(
        "SessionAttendanceRecorded",
        place,
        { sessionId: "s", sessionVersion: 2, startLocal: "2030-03-31T23:30", headcount, previousHeadcount },
        new Date("2030-04-01T01:00:00Z"),
      );
    expect(trendDeltas(recorded(8))).toEqual([
      { month: "2030-03", counter: "attendees", by: 8 },
      { month: "2030-03", counter: "sessionsCounted", by: 1 },
    ]);
    expect(trendDeltas(recorded(6, 8))).toEqual([{ month: "2030-03", counter: "attendees", by: -2 }]);
    // A first count of nobody still counts the session, so the month's mean includes it.
    expect(trendDeltas(recorded(0))).toEqual([{ month: "2030-03", counter: "sessionsCounted", by: 1 }]);
  });

  it("the last 12 months, oldest first, across a new year", () => {
    expect(monthsUpTo(new Date("2030-02-15T00:00:00Z"))).toEqual([
      "2029-03",
      "2029-04",
      "2029-05",
      "2029-06",
      "2029-07",
      "2029-08",
      "2029-09",
      "2029-10",
      "2029-11",
      "2029-12",
      "2030-01",
      "2030-02",
    ]);
  });

  it("this month's sessions are held up to today; attendance is the mean headcount; turnout is ballots over electorate; none, null", () => {
    const trends = monthlyTrends(
      [
        {
          month: "2030-03",
          counters: {
            sessions02: 2,
            sessions10: 1,
            sessions11: 4,
            vacancies: 1,
            attendees: 19,
            sessionsCounted: 2,
          },
        },
        { month: "2030-02", counters: { sessions28: 3, votesClosed: 2, ballots: 9, eligible: 12 } },
        { month: "2029-12", counters: { sessions05: -1, vacancies: -1 } },
        { month: "2028-01", counters: { sessions05: 50 } },
      ],
      now,
    );
    expect(trends).toHaveLength(12);
    expect(trends.at(-1)).toEqual({
      month: "2030-03",
      sessionsHeld: 3,
      attendance: 9.5,
      voteTurnout: null,
      vacancies: 1,
      expectedVsAttended: null,
    });
    expect(trends.at(-2)).toEqual({
      month: "2030-02",
      sessionsHeld: 3,
      attendance: null,
      voteTurnout: 0.75,
      vacancies: 0,
      expectedVsAttended: null,
    });
    expect(trends.find((t) => t.month === "2029-12")).toMatchObject({ sessionsHeld: 0, vacancies: 0 });
    expect(trends[0]).toEqual({
      month: "2029-04",
      sessionsHeld: 0,
      attendance: null,
      voteTurnout: null,
      vacancies: 0,
      expectedVsAttended: null,
    });
  });
});
