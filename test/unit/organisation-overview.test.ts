import { describe, expect, it } from "vitest";
import { attentionOf, sortByNeed, type HealthFacts } from "#read-models/organisation-overview.ts";

const now = new Date("2030-03-10T12:00:00.000Z");
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000).toISOString();
const days = (n: number) => hours(n * 24);

/** A group with nothing wrong; each test adds what it is about. */
const healthy = (overrides: Partial<HealthFacts> = {}): HealthFacts => ({
  groupId: "g-healthy",
  name: "Healthy group",
  timeZone: "Europe/London",
  members: 12,
  unreachableMembers: 0,
  nextSession: { sessionId: "s1", startsAt: days(3), hasFacilitator: true },
  vacantRoles: [],
  openVotes: [],
  trainingExpiring: 0,
  seriesNeedingConfirmation: [],
  expectedVsAttended: null,
  updatedAt: days(-1),
  ...overrides,
});

const facilitator = (vacantDays: number) => ({
  roleId: "facilitator",
  name: "Facilitator",
  critical: true,
  vacantSince: days(-vacantDays),
});
const treasurer = (vacantDays: number) => ({
  roleId: "treasurer",
  name: "Treasurer",
  critical: false,
  vacantSince: days(-vacantDays),
});
const vote = (closesInHours: number, ballots: number, eligible = 10, quorum = 0.5) => ({
  voteId: `v-${closesInHours}`,
  question: "Should Sam Example become our treasurer?",
  closesAt: hours(closesInHours),
  ballots,
  eligible,
  quorum,
});

describe("attention", () => {
  it("is ok, with no reasons, when nothing needs help", () => {
    expect(attentionOf(healthy(), now)).toEqual({ level: "ok", reasons: [] });
  });

  describe("urgent: the next session within 7 days has no facilitator", () => {
    it.each([
      [days(3), "The next session starts in 3 days and has no facilitator"],
      [days(7), "The next session starts in 7 days and has no facilitator"],
      [hours(5), "The next session starts within 24 hours and has no facilitator"],
    ])("starting at %s", (startsAt, reason) => {
      const facts = healthy({ nextSession: { sessionId: "s1", startsAt, hasFacilitator: false } });
      expect(attentionOf(facts, now)).toEqual({ level: "urgent", reasons: [reason] });
    });

    it("not when it is further away than 7 days, or has a facilitator", () => {
      const later = healthy({
        nextSession: { sessionId: "s1", startsAt: hours(7 * 24 + 1), hasFacilitator: false },
      });
      expect(attentionOf(later, now).level).toBe("ok");
      expect(attentionOf(healthy(), now).level).toBe("ok");
    });
  });

  describe("vacancies", () => {
    it("a critical role vacant 14 days or more is urgent", () => {
      expect(attentionOf(healthy({ vacantRoles: [facilitator(14)] }), now)).toEqual({
        level: "urgent",
        reasons: ["Facilitator (critical) has been vacant for 14 days"],
      });
    });

    it("a critical role vacant under 14 days, and any other vacancy, is a warning", () => {
      expect(attentionOf(healthy({ vacantRoles: [facilitator(13)] }), now)).toEqual({
        level: "warning",
        reasons: ["Facilitator (critical) has been vacant for 13 days"],
      });
      expect(attentionOf(healthy({ vacantRoles: [treasurer(200)] }), now)).toEqual({
        level: "warning",
        reasons: ["Treasurer has been vacant for 200 days"],
      });
      expect(attentionOf(healthy({ vacantRoles: [treasurer(0)] }), now).reasons).toEqual([
        "Treasurer became vacant today",
      ]);
    });
  });

  describe("warning: an open vote under its quorum near its close", () => {
    it("closing within 48 hours, or past its close and not closed yet", () => {
      expect(attentionOf(healthy({ openVotes: [vote(20, 2)] }), now)).toEqual({
        level: "warning",
        reasons: ["A vote closing in 20 hours has 2 of 10 ballots; its quorum needs 5"],
      });
      expect(attentionOf(healthy({ openVotes: [vote(-1, 2)] }), now).reasons).toEqual([
        "A vote past its closing time has 2 of 10 ballots; its quorum needs 5",
      ]);
    });

    it("not when its turnout reaches the quorum, nor when the close is further off", () => {
      expect(attentionOf(healthy({ openVotes: [vote(20, 5)] }), now).level).toBe("ok");
      expect(attentionOf(healthy({ openVotes: [vote(49, 0)] }), now).level).toBe("ok");
    });
  });

  it("warns of unreachable members and expiring training, by count", () => {
    expect(attentionOf(healthy({ unreachableMembers: 1, trainingExpiring: 1 }), now).reasons).toEqual([
      "1 role holder's required training expires within 30 days or has expired",
      "1 member cannot be reached on any channel",
    ]);
    expect(attentionOf(healthy({ unreachableMembers: 3, trainingExpiring: 2 }), now).reasons).toEqual([
      "2 role holders' required training expires within 30 days or has expired",
      "3 members cannot be reached on any channel",
    ]);
  });

  it("warns of series nobody has confirmed, after every other warning", () => {
    const unconfirmed = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        seriesId: `s${i}`,
        lastConfirmedAt: days(-200),
        askedAt: null,
      }));
    const one = attentionOf(
      healthy({ seriesNeedingConfirmation: unconfirmed(1), unreachableMembers: 1 }),
      now,
    );
    expect(one).toEqual({
      level: "warning",
      reasons: [
        "1 member cannot be reached on any channel",
        "1 series of sessions needs a coordinator to confirm the group still meets",
      ],
    });
    expect(attentionOf(healthy({ seriesNeedingConfirmation: unconfirmed(2) }), now).reasons).toEqual([
      "2 series of sessions need a coordinator to confirm the group still meets",
    ]);
  });

  it("lists every reason, urgent first, and takes the level of the most pressing", () => {
    const facts = healthy({
      nextSession: { sessionId: "s1", startsAt: days(2), hasFacilitator: false },
      vacantRoles: [treasurer(30), facilitator(20)],
      openVotes: [vote(10, 1)],
      unreachableMembers: 2,
    });
    expect(attentionOf(facts, now)).toEqual({
      level: "urgent",
      reasons: [
        "The next session starts in 2 days and has no facilitator",
        "Facilitator (critical) has been vacant for 20 days",
        "A vote closing in 10 hours has 1 of 10 ballots; its quorum needs 5",
        "Treasurer has been vacant for 30 days",
        "2 members cannot be reached on any channel",
      ],
    });
  });

  it("never puts a vote's question or a group's name in a reason", () => {
    const facts = healthy({ name: "Sam's group", openVotes: [vote(1, 0)], vacantRoles: [facilitator(30)] });
    for (const reason of attentionOf(facts, now).reasons) {
      expect(reason).not.toContain("Sam");
      expect(reason).not.toContain("treasurer?");
    }
  });
});

describe("sorting groups by need", () => {
  const names = (facts: HealthFacts[]) => sortByNeed(facts, now).map((g) => g.name);

  it("puts urgent first, then warning, then ok, whatever the input order", () => {
    const ok = healthy({ name: "ok" });
    const warning = healthy({ name: "warning", unreachableMembers: 1 });
    const urgent = healthy({ name: "urgent", vacantRoles: [facilitator(15)] });
    expect(names([ok, warning, urgent])).toEqual(["urgent", "warning", "ok"]);
    expect(names([urgent, ok, warning])).toEqual(["urgent", "warning", "ok"]);
  });

  it("within urgent: a session without a facilitator first, the sooner the first; then the longest critical vacancy", () => {
    const session = (name: string, inDays: number) =>
      healthy({ name, nextSession: { sessionId: name, startsAt: days(inDays), hasFacilitator: false } });
    const vacancy = (name: string, vacantDays: number) =>
      healthy({ name, vacantRoles: [facilitator(vacantDays)] });
    expect(
      names([
        vacancy("vacant 20 days", 20),
        session("in 5 days", 5),
        vacancy("vacant 40 days", 40),
        session("in 1 day", 1),
      ]),
    ).toEqual(["in 1 day", "in 5 days", "vacant 40 days", "vacant 20 days"]);
  });

  it("within warning: a vote near its close first (soonest first), then vacancies (critical, then longest), then training, then unreachable members", () => {
    const groups = [
      healthy({ name: "unreachable", unreachableMembers: 5 }),
      healthy({ name: "training", trainingExpiring: 1 }),
      healthy({ name: "treasurer vacant 90 days", vacantRoles: [treasurer(90)] }),
      healthy({ name: "treasurer vacant 10 days", vacantRoles: [treasurer(10)] }),
      healthy({ name: "facilitator vacant 3 days", vacantRoles: [facilitator(3)] }),
      healthy({ name: "vote in 30 hours", openVotes: [vote(30, 0)] }),
      healthy({ name: "vote in 2 hours", openVotes: [vote(2, 0)] }),
    ];
    expect(names(groups)).toEqual([
      "vote in 2 hours",
      "vote in 30 hours",
      "facilitator vacant 3 days",
      "treasurer vacant 90 days",
      "treasurer vacant 10 days",
      "training",
      "unreachable",
    ]);
  });

  it("on an equal most pressing concern, more concerns first, then by name", () => {
    const groups = ["Cedar", "Alder", "Beech"].map((name) => healthy({ name, unreachableMembers: 2 }));
    expect(names(groups)).toEqual(["Alder", "Beech", "Cedar"]);
    const more = healthy({ name: "Zelkova", trainingExpiring: 1, unreachableMembers: 1 });
    const fewer = healthy({ name: "Alder", trainingExpiring: 1 });
    expect(names([fewer, more])).toEqual(["Zelkova", "Alder"]);
  });

  it("answers in the response's shape: attention added, each vote's quorum left out", () => {
    const [group] = sortByNeed([healthy({ openVotes: [vote(10, 1)] })], now);
    expect(group!.attention.level).toBe("warning");
    expect(group!.openVotes).toEqual([
      {
        voteId: "v-10",
        question: "Should Sam Example become our treasurer?",
        closesAt: hours(10),
        ballots: 1,
        eligible: 10,
      },
    ]);
    expect(Object.keys(group!).sort()).toEqual(
      [
        "groupId",
        "name",
        "timeZone",
        "members",
        "unreachableMembers",
        "nextSession",
        "vacantRoles",
        "openVotes",
        "trainingExpiring",
        "seriesNeedingConfirmation",
        "expectedVsAttended",
        "attention",
        "updatedAt",
      ].sort(),
    );
  });
});
