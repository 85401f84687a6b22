import { describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import type { RoleHolder } from "#domain/role.ts";
import {
  addVolunteer,
  escalationDue,
  facilitatorAlerts,
  facilitatorAlertTimes,
  vacancyDecision,
  type VacancyFacts,
} from "#domain/vacancy.ts";

const now = new Date("2026-05-01T12:00:00.000Z");
const hourMs = 3_600_000;
const dayMs = 86_400_000;
const members = ["ana", "ben", "cai", "dee", "eli"];

function facts(overrides: Partial<VacancyFacts> = {}): VacancyFacts {
  return {
    model: "collective",
    critical: true,
    volunteers: [],
    windowClosed: true,
    objections: [],
    rotationOrder: members,
    eligible: (memberId) => members.includes(memberId),
    ...overrides,
  };
}

function failure(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError, but nothing was thrown");
}

describe("filling a vacancy in any group", () => {
  it.each(["designated", "collective"] as const)(
    "%s: waits while the volunteering window is open",
    (model) => {
      expect(vacancyDecision(facts({ model, volunteers: ["ana", "ben"], windowClosed: false }))).toEqual({
        kind: "wait",
      });
    },
  );

  it.each(["designated", "collective"] as const)(
    "%s: escalates a critical role when nobody eligible volunteered by the window's close",
    (model) => {
      expect(vacancyDecision(facts({ model }))).toEqual({ kind: "escalate" });
      expect(vacancyDecision(facts({ model, volunteers: ["stranger"] }))).toEqual({ kind: "escalate" });
    },
  );

  it.each(["designated", "collective", "rotating"] as const)(
    "%s: leaves a role that is not critical vacant when nobody volunteered",
    (model) => {
      const nobodyToOffer = { rotationOrder: [], critical: false };
      expect(vacancyDecision(facts({ model, ...nobodyToOffer }))).toEqual({ kind: "remain-vacant" });
    },
  );
});

describe("filling a vacancy in a designated group", () => {
  it("asks the leader to appoint among the eligible volunteers, in the order they volunteered", () => {
    const decision = vacancyDecision(
      facts({ model: "designated", volunteers: ["cai", "stranger", "ana", "cai"], objections: ["ben"] }),
    );
    expect(decision).toEqual({ kind: "ask-leader-to-appoint", volunteers: ["cai", "ana"] });
  });

  it("asks the leader even about a single volunteer", () => {
    expect(vacancyDecision(facts({ model: "designated", volunteers: ["ben"] }))).toEqual({
      kind: "ask-leader-to-appoint",
      volunteers: ["ben"],
    });
  });
});

describe("filling a vacancy in a collective group", () => {
  it("confirms a single volunteer at the window's close when nobody objects", () => {
    expect(vacancyDecision(facts({ volunteers: ["ben"] }))).toEqual({ kind: "confirm", memberId: "ben" });
  });

  it("puts a single volunteer to a yes/no vote when another member objects", () => {
    expect(vacancyDecision(facts({ volunteers: ["ben"], objections: ["dee"] }))).toEqual({
      kind: "put-to-vote",
      memberId: "ben",
    });
  });

  it("ignores a volunteer objecting to themselves", () => {
    expect(vacancyDecision(facts({ volunteers: ["ben"], objections: ["ben"] }))).toEqual({
      kind: "confirm",
      memberId: "ben",
    });
  });

  it("opens an election among two or more eligible volunteers", () => {
    expect(vacancyDecision(facts({ volunteers: ["dee", "ana", "ana", "stranger"] }))).toEqual({
      kind: "open-election",
      candidates: ["dee", "ana"],
    });
  });

  it("confirms the one eligible volunteer when the others are not eligible", () => {
    const trained = (memberId: string) => memberId === "ana";
    expect(vacancyDecision(facts({ volunteers: ["ben", "ana"], eligible: trained }))).toEqual({
      kind: "confirm",
      memberId: "ana",
    });
  });
});

describe("filling a vacancy in a rotating group", () => {
  const rotating = (overrides: Partial<VacancyFacts> = {}) =>
    facts({ model: "rotating", windowClosed: false, ...overrides });

  it("offers the role at once to the member after the previous holder in the rotation", () => {
    expect(vacancyDecision(rotating({ previousHolderId: "ben" }))).toEqual({
      kind: "offer",
      memberId: "cai",
    });
  });

  it("starts at the top of the rotation when there is no previous holder", () => {
    expect(vacancyDecision(rotating())).toEqual({ kind: "offer", memberId: "ana" });
  });

  it("skips members who declined and members who are not eligible, wrapping around", () => {
    const eligible = (memberId: string) => memberId !== "eli";
    expect(vacancyDecision(rotating({ previousHolderId: "cai", declined: ["dee"], eligible }))).toEqual({
      kind: "offer",
      memberId: "ana",
    });
  });

  it("never offers the role back to the previous holder", () => {
    const decision = vacancyDecision(
      rotating({ previousHolderId: "eli", declined: ["ana", "ben", "cai", "dee"], windowClosed: true }),
    );
    expect(decision).toEqual({ kind: "escalate" });
  });

  it("when the rotation is exhausted, lets the volunteers decide as a collective group would", () => {
    const exhausted = { rotationOrder: ["ana", "ben"], declined: ["ana", "ben"] };
    expect(vacancyDecision(rotating({ ...exhausted, volunteers: ["cai"] }))).toEqual({ kind: "wait" });
    expect(vacancyDecision(rotating({ ...exhausted, volunteers: ["cai"], windowClosed: true }))).toEqual({
      kind: "confirm",
      memberId: "cai",
    });
    expect(
      vacancyDecision(rotating({ ...exhausted, volunteers: ["cai", "dee"], windowClosed: true })),
    ).toEqual({
      kind: "open-election",
      candidates: ["cai", "dee"],
    });
  });
});

describe("volunteering", () => {
  const vacant = { holders: [] as RoleHolder[], maxHolders: 1 };
  const groupMembers = ["ana", "ben", "cai"];

  it("adds a member of the group to the volunteers, in order", () => {
    expect(addVolunteer(vacant, "ben", groupMembers, ["ana"])).toEqual(["ana", "ben"]);
  });

  it("counts a member who volunteers twice once", () => {
    expect(addVolunteer(vacant, "ana", groupMembers, ["ana", "ben"])).toEqual(["ana", "ben"]);
  });

  it("refuses someone who is not in the group, naming memberId", () => {
    expect(failure(() => addVolunteer(vacant, "stranger", groupMembers, []))).toMatchObject({
      kind: "invalid",
      field: "memberId",
    });
  });

  it("refuses volunteering for a role already filled, as a conflict", () => {
    const filled = { holders: [{ memberId: "cai", since: "2026-01-01T00:00:00Z" }], maxHolders: 1 };
    expect(failure(() => addVolunteer(filled, "ana", groupMembers, [])).kind).toBe("conflict");
  });

  it("accepts a volunteer for the open place of a shared role, but not from its holder", () => {
    const shared = { holders: [{ memberId: "cai", since: "2026-01-01T00:00:00Z" }], maxHolders: 2 };
    expect(addVolunteer(shared, "ana", groupMembers, [])).toEqual(["ana"]);
    expect(failure(() => addVolunteer(shared, "cai", groupMembers, [])).kind).toBe("conflict");
  });
});

describe("escalating a vacancy", () => {
  const vacantSince = new Date(now.getTime() - 14 * dayMs).toISOString();

  it("is due for a critical role vacant 14 days, not a moment before", () => {
    expect(escalationDue({ critical: true, vacantSince, now })).toBe(true);
    expect(escalationDue({ critical: true, vacantSince, now: new Date(now.getTime() - 1) })).toBe(false);
  });

  it("follows a configured number of days", () => {
    expect(escalationDue({ critical: true, vacantSince, now, afterDays: 15 })).toBe(false);
    expect(escalationDue({ critical: true, vacantSince, now, afterDays: 7 })).toBe(true);
  });

  it("is never due for a role that is not critical, a held role, or twice", () => {
    expect(escalationDue({ critical: false, vacantSince, now })).toBe(false);
    expect(escalationDue({ critical: true, now })).toBe(false);
    expect(escalationDue({ critical: true, vacantSince, now, alreadyEscalated: true })).toBe(false);
  });

  it("refuses a negative number of days, naming afterDays", () => {
    expect(failure(() => escalationDue({ critical: true, vacantSince, now, afterDays: -1 }))).toMatchObject({
      kind: "invalid",
      field: "afterDays",
    });
  });
});

describe("alerts for a session without a facilitator", () => {
  const at = (msBeforeStart: number) => ({
    sessionStart: now,
    now: new Date(now.getTime() - msBeforeStart),
    hasFacilitator: false,
    alreadyAlerted: {},
  });

  it("are not due more than 7 days ahead", () => {
    expect(facilitatorAlerts(at(7 * dayMs + 1))).toBeNull();
  });

  it("raise the early alert within 7 days, once", () => {
    expect(facilitatorAlerts(at(7 * dayMs))).toBe("early");
    expect(facilitatorAlerts(at(3 * dayMs))).toBe("early");
    expect(facilitatorAlerts({ ...at(3 * dayMs), alreadyAlerted: { early: true } })).toBeNull();
  });

  it("raise the final alert 48 hours before, once, even when the early one was never sent", () => {
    expect(facilitatorAlerts({ ...at(48 * hourMs), alreadyAlerted: { early: true } })).toBe("final");
    expect(facilitatorAlerts(at(47 * hourMs))).toBe("final");
    expect(facilitatorAlerts({ ...at(hourMs), alreadyAlerted: { early: true, final: true } })).toBeNull();
  });

  it("are not due once the session has a facilitator, or has started", () => {
    expect(facilitatorAlerts({ ...at(dayMs), hasFacilitator: true })).toBeNull();
    expect(facilitatorAlerts(at(0))).toBeNull();
    expect(facilitatorAlerts(at(-hourMs))).toBeNull();
  });

  it("follow configured horizons", () => {
    expect(facilitatorAlerts({ ...at(10 * dayMs), earlyDays: 14 })).toBe("early");
    expect(facilitatorAlerts({ ...at(60 * hourMs), finalHours: 72 })).toBe("final");
  });

  it("tell the scheduler when each alert starts to be due", () => {
    const sessionStart = new Date("2026-06-10T18:00:00.000Z");
    expect(facilitatorAlertTimes(sessionStart)).toEqual({
      early: new Date("2026-06-03T18:00:00.000Z"),
      final: new Date("2026-06-08T18:00:00.000Z"),
    });
    const times = facilitatorAlertTimes(sessionStart);
    const args = { sessionStart, hasFacilitator: false, alreadyAlerted: {} };
    expect(facilitatorAlerts({ ...args, now: times.early })).toBe("early");
    expect(facilitatorAlerts({ ...args, now: times.final })).toBe("final");
  });
});
