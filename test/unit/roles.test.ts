import { describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import { dutyKinds } from "#domain/session.ts";
import {
  defaultRoleCatalogue,
  extendCatalogue,
  holdsRole,
  isVacant,
  newGroupRole,
  openPlaces,
  validateGroupRole,
  validateRoleDefinition,
  type GroupRole,
  type RoleDefinition,
  type RoleHolder,
} from "#domain/role.ts";
import {
  assignHolder,
  leaveGroup,
  stepDown,
  termEnded,
  type AssignHolderRequest,
  type AssignmentFacts,
} from "#domain/role-assignment.ts";
import {
  isCurrent,
  missingTraining,
  trainingExpiringWithin,
  validateTrainingRecord,
  type TrainingRecord,
} from "#domain/training.ts";

const now = new Date("2026-05-01T12:00:00.000Z");
const nowIso = now.toISOString();
const catalogue = defaultRoleCatalogue();

function definition(id: string): RoleDefinition {
  const found = catalogue.find((role) => role.id === id);
  if (found === undefined) throw new Error(`no ${id} in the default catalogue`);
  return found;
}

function groupRole(roleId: string, overrides: Partial<GroupRole> = {}): GroupRole {
  return { ...newGroupRole({ organisationId: "org-1", groupId: "group-1", roleId }, now), ...overrides };
}

function holder(memberId: string, overrides: Partial<RoleHolder> = {}): RoleHolder {
  return { memberId, since: "2026-01-01T00:00:00.000Z", ...overrides };
}

function record(trainingId: string, overrides: Partial<TrainingRecord> = {}): TrainingRecord {
  return { memberId: "member-1", trainingId, completedAt: "2026-01-10T00:00:00.000Z", ...overrides };
}

const fullyTrained = [
  record("facilitation-basics"),
  record("safeguarding", { expiresAt: "2027-01-10T00:00:00.000Z" }),
];

function facts(overrides: Partial<AssignmentFacts> = {}): AssignmentFacts {
  return {
    roles: [groupRole("facilitator"), groupRole("refreshments"), groupRole("welfare-and-safety")],
    catalogue,
    memberIds: ["member-1", "member-2", "member-3"],
    training: fullyTrained,
    ...overrides,
  };
}

function request(overrides: Partial<AssignHolderRequest> = {}): AssignHolderRequest {
  return { roleId: "facilitator", memberId: "member-1", ...overrides };
}

/** The DomainError a call throws, to check its kind and field. */
function failure(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError, but nothing was thrown");
}

describe("the default role catalogue", () => {
  it("holds the eight catalogue roles, each a valid entry", () => {
    expect(catalogue.map((role) => role.id)).toEqual([
      "facilitator",
      "co-facilitator",
      "venue-and-bookings",
      "reminders",
      "refreshments",
      "welfare-and-safety",
      "signposting",
      "treasurer",
    ]);
    for (const role of catalogue) expect(validateRoleDefinition(role)).toEqual(role);
  });

  it("makes the facilitator critical and needing facilitation training", () => {
    expect(definition("facilitator")).toMatchObject({ critical: true, duty: "facilitation" });
    expect(definition("facilitator").requiredTrainingIds).toContain("facilitation-basics");
  });

  it("requires safeguarding for welfare and safety", () => {
    expect(definition("welfare-and-safety").requiredTrainingIds).toContain("safeguarding");
  });

  it("maps roles to the session duties their holders default to", () => {
    expect(definition("venue-and-bookings").duty).toBe("venue-booking");
    expect(definition("refreshments").duty).toBe("refreshments");
    expect(definition("treasurer").duty).toBeUndefined();
    for (const role of catalogue) if (role.duty !== undefined) expect(dutyKinds).toContain(role.duty);
  });

  it("returns a fresh copy each time, so extending one organisation's catalogue leaves others alone", () => {
    const mine = defaultRoleCatalogue();
    mine[0]?.requiredTrainingIds.push("first-aid");
    expect(defaultRoleCatalogue()[0]?.requiredTrainingIds).not.toContain("first-aid");
  });
});

describe("role definitions", () => {
  const peerMentor: RoleDefinition = {
    id: "peer-mentor",
    name: " Peer mentor ",
    description: "Welcomes new members.",
    pay: "paid",
    critical: false,
    requiredTrainingIds: ["safeguarding"],
    termMonths: 6,
  };

  it("extends a catalogue with a new role, its name trimmed", () => {
    const extended = extendCatalogue(catalogue, peerMentor);
    expect(extended).toHaveLength(catalogue.length + 1);
    expect(extended.at(-1)).toMatchObject({ id: "peer-mentor", name: "Peer mentor", pay: "paid" });
  });

  it("refuses a role id the catalogue already has", () => {
    expect(failure(() => extendCatalogue(catalogue, { ...peerMentor, id: "treasurer" })).kind).toBe(
      "conflict",
    );
  });

  it.each([
    ["id", { id: "Peer Mentor" }],
    ["name", { name: "  " }],
    ["description", { description: "x".repeat(1_001) }],
    ["pay", { pay: "salaried" as RoleDefinition["pay"] }],
    ["requiredTrainingIds.1", { requiredTrainingIds: ["safeguarding", "safeguarding"] }],
    ["requiredTrainingIds.0", { requiredTrainingIds: [""] }],
    ["termMonths", { termMonths: 0 }],
    ["termMonths", { termMonths: 1.5 }],
    ["duty", { duty: "cleaning" as RoleDefinition["duty"] }],
  ])("names %s when it is wrong", (field, change) => {
    const error = failure(() => validateRoleDefinition({ ...peerMentor, ...change }));
    expect(error).toMatchObject({ kind: "invalid", field });
  });
});

describe("group roles", () => {
  it("start empty and vacant from when the group takes them up", () => {
    expect(groupRole("facilitator")).toEqual({
      organisationId: "org-1",
      groupId: "group-1",
      roleId: "facilitator",
      holders: [],
      maxHolders: 1,
      vacantSince: nowIso,
    });
  });

  it.each([0, 11, 1.5])("refuse %s holders", (maxHolders) => {
    const error = failure(() =>
      newGroupRole({ organisationId: "org-1", groupId: "group-1", roleId: "refreshments", maxHolders }, now),
    );
    expect(error).toMatchObject({ kind: "invalid", field: "maxHolders" });
  });

  it("count open places, and are vacant only with no holder at all", () => {
    const shared = groupRole("refreshments", { maxHolders: 2, holders: [holder("member-1")] });
    expect(openPlaces(shared)).toBe(1);
    expect(isVacant(shared)).toBe(false);
    expect(holdsRole(shared, "member-1")).toBe(true);
    expect(holdsRole(shared, "member-2")).toBe(false);
    expect(isVacant(groupRole("refreshments"))).toBe(true);
  });

  it.each([
    ["holders", { maxHolders: 1, holders: [holder("member-1"), holder("member-2")] }],
    ["holders.1.memberId", { maxHolders: 2, holders: [holder("member-1"), holder("member-1")] }],
    ["vacantSince", { holders: [holder("member-1")], vacantSince: nowIso }],
    ["vacantSince", { holders: [], vacantSince: undefined }],
  ])("are checked from outside, naming %s", (field, change) => {
    expect(failure(() => validateGroupRole(groupRole("refreshments", change)))).toMatchObject({
      kind: "invalid",
      field,
    });
  });
});

describe("training records", () => {
  it("are current from completion up to, not at, expiry", () => {
    const safeguarding = record("safeguarding", { expiresAt: "2026-06-01T00:00:00.000Z" });
    expect(isCurrent(safeguarding, now)).toBe(true);
    expect(isCurrent(safeguarding, new Date("2026-06-01T00:00:00.000Z"))).toBe(false);
    expect(isCurrent(safeguarding, new Date("2026-01-09T00:00:00.000Z"))).toBe(false);
    expect(isCurrent(record("facilitation-basics"), new Date("2040-01-01T00:00:00Z"))).toBe(true);
  });

  it("show which required trainings a member lacks, expired ones included", () => {
    const lapsed = record("safeguarding", { expiresAt: "2026-04-30T00:00:00.000Z" });
    expect(missingTraining(definition("facilitator"), [record("facilitation-basics"), lapsed], now)).toEqual([
      "safeguarding",
    ]);
    expect(missingTraining(definition("facilitator"), [], now)).toEqual([
      "facilitation-basics",
      "safeguarding",
    ]);
    expect(missingTraining(definition("facilitator"), fullyTrained, now)).toEqual([]);
    expect(missingTraining(definition("refreshments"), [], now)).toEqual([]);
  });

  it("list trainings expiring within the days given, soonest first", () => {
    const records = [
      record("safeguarding", { memberId: "member-1", expiresAt: "2026-05-20T00:00:00.000Z" }),
      record("first-aid", { memberId: "member-2", expiresAt: "2026-05-05T00:00:00.000Z" }),
      record("safeguarding", { memberId: "member-3", expiresAt: "2026-07-01T00:00:00.000Z" }),
      record("first-aid", { memberId: "member-3", expiresAt: "2026-04-01T00:00:00.000Z" }),
      record("facilitation-basics", { memberId: "member-3" }),
    ];
    expect(trainingExpiringWithin(records, now, 30).map((r) => [r.memberId, r.trainingId])).toEqual([
      ["member-2", "first-aid"],
      ["member-1", "safeguarding"],
    ]);
    expect(trainingExpiringWithin(records, now, 3)).toEqual([]);
  });

  it("do not report a training that has been renewed", () => {
    const records = [
      record("safeguarding", { expiresAt: "2026-05-20T00:00:00.000Z" }),
      record("safeguarding", {
        completedAt: "2026-04-20T00:00:00.000Z",
        expiresAt: "2027-04-20T00:00:00.000Z",
      }),
    ];
    expect(trainingExpiringWithin(records, now, 30)).toEqual([]);
  });

  it.each([
    ["memberId", { memberId: " " }],
    ["trainingId", { trainingId: "" }],
    ["completedAt", { completedAt: "2026-01-10" }],
    ["completedAt", { completedAt: "2026-06-01T00:00:00Z" }],
    ["expiresAt", { expiresAt: "2026-01-09T00:00:00Z" }],
  ])("are checked from outside, naming %s", (field, change) => {
    expect(failure(() => validateTrainingRecord(record("safeguarding", change), now))).toMatchObject({
      kind: "invalid",
      field,
    });
  });
});

describe("assigning a holder", () => {
  it("adds the member, ends the vacancy and starts the role's term", () => {
    const role = assignHolder(request(), facts(), now);
    expect(role.holders).toEqual([
      { memberId: "member-1", since: nowIso, termEndsAt: "2027-05-01T12:00:00.000Z" },
    ]);
    expect(role.vacantSince).toBeUndefined();
    expect(isVacant(role)).toBe(false);
  });

  it("gives no term to a role without one, and keeps a term asked for", () => {
    const refreshments = assignHolder(request({ roleId: "refreshments" }), facts(), now);
    expect(refreshments.holders[0]?.termEndsAt).toBeUndefined();
    const facilitator = assignHolder(request({ termEndsAt: "2026-11-01T00:00:00+01:00" }), facts(), now);
    expect(facilitator.holders[0]?.termEndsAt).toBe("2026-10-31T23:00:00.000Z");
  });

  it("refuses a non-member, naming memberId", () => {
    expect(failure(() => assignHolder(request({ memberId: "stranger" }), facts(), now))).toMatchObject({
      kind: "invalid",
      field: "memberId",
    });
  });

  it("refuses a member without current required training, naming memberId and the training", () => {
    const lapsed = [
      record("facilitation-basics"),
      record("safeguarding", { expiresAt: "2026-04-01T00:00:00Z" }),
    ];
    const error = failure(() => assignHolder(request(), facts({ training: lapsed }), now));
    expect(error).toMatchObject({ kind: "invalid", field: "memberId" });
    expect(error.message).toContain("safeguarding");
    expect(error.message).not.toContain("facilitation-basics");
  });

  it("lets an umbrella admin override missing training, recording who, why and what", () => {
    const role = assignHolder(
      request({ override: { by: "admin-1", reason: " Trained elsewhere; course booked " } }),
      facts({ training: [] }),
      now,
    );
    expect(role.holders[0]?.trainingOverride).toEqual({
      by: "admin-1",
      reason: "Trained elsewhere; course booked",
      at: nowIso,
      trainingIds: ["facilitation-basics", "safeguarding"],
    });
  });

  it("does not record an override where no training was missing", () => {
    const role = assignHolder(request({ override: { by: "admin-1", reason: "just in case" } }), facts(), now);
    expect(role.holders[0]?.trainingOverride).toBeUndefined();
  });

  it.each([
    ["override.reason", { by: "admin-1", reason: "  " }],
    ["override.by", { by: "", reason: "Trained elsewhere" }],
  ])("refuses an override without %s", (field, override) => {
    expect(failure(() => assignHolder(request({ override }), facts({ training: [] }), now))).toMatchObject({
      kind: "invalid",
      field,
    });
  });

  it("refuses a role the group does not have, as not found", () => {
    expect(failure(() => assignHolder(request({ roleId: "treasurer" }), facts(), now)).kind).toBe(
      "not-found",
    );
  });

  it("refuses a group role missing from the catalogue, as not found", () => {
    const roles = [groupRole("peer-mentor")];
    expect(failure(() => assignHolder(request({ roleId: "peer-mentor" }), facts({ roles }), now)).kind).toBe(
      "not-found",
    );
  });

  it("refuses a role already filled, as a conflict", () => {
    const roles = [groupRole("facilitator", { holders: [holder("member-2")], vacantSince: undefined })];
    expect(failure(() => assignHolder(request(), facts({ roles }), now)).kind).toBe("conflict");
  });

  it("refuses someone who already holds the role, as a conflict", () => {
    const roles = [
      groupRole("refreshments", { maxHolders: 2, holders: [holder("member-1")], vacantSince: undefined }),
    ];
    expect(failure(() => assignHolder(request({ roleId: "refreshments" }), facts({ roles }), now)).kind).toBe(
      "conflict",
    );
  });

  it("fills a shared role up to its number of holders", () => {
    const roles = [
      groupRole("refreshments", { maxHolders: 2, holders: [holder("member-2")], vacantSince: undefined }),
    ];
    const role = assignHolder(request({ roleId: "refreshments" }), facts({ roles }), now);
    expect(role.holders.map((h) => h.memberId)).toEqual(["member-2", "member-1"]);
  });

  it.each([
    ["in the past", "2026-04-30T12:00:00Z"],
    ["now", nowIso],
    ["without an offset", "2027-01-01T00:00:00"],
    ["unreadable", "next spring"],
  ])("refuses a term end %s, naming termEndsAt", (_case, termEndsAt) => {
    expect(failure(() => assignHolder(request({ termEndsAt }), facts(), now))).toMatchObject({
      kind: "invalid",
      field: "termEndsAt",
    });
  });

  it("leaves the roles it was given unchanged", () => {
    const given = facts();
    assignHolder(request(), given, now);
    expect(given.roles[0]?.holders).toEqual([]);
  });
});

describe("vacating a role", () => {
  const held = groupRole("facilitator", { holders: [holder("member-1")], vacantSince: undefined });

  it("when its holder steps down: vacant from now, with the fact for RoleVacated", () => {
    expect(stepDown(held, "member-1", now)).toEqual({
      role: { ...held, holders: [], vacantSince: nowIso },
      vacancies: [{ roleId: "facilitator", memberId: "member-1", reason: "stepped-down", vacatedAt: nowIso }],
    });
  });

  it("leaves a shared role held, not vacant, when one of its holders steps down", () => {
    const shared = groupRole("refreshments", {
      maxHolders: 2,
      holders: [holder("member-1"), holder("member-2")],
      vacantSince: undefined,
    });
    const { role, vacancies } = stepDown(shared, "member-1", now);
    expect(role.holders.map((h) => h.memberId)).toEqual(["member-2"]);
    expect(role.vacantSince).toBeUndefined();
    expect(openPlaces(role)).toBe(1);
    expect(vacancies).toHaveLength(1);
  });

  it("refuses a step-down by someone who does not hold the role, naming memberId", () => {
    expect(failure(() => stepDown(held, "member-2", now))).toMatchObject({
      kind: "invalid",
      field: "memberId",
    });
  });

  it("vacates every role a member held when they leave the group, and only those", () => {
    const roles = [
      held,
      groupRole("refreshments", {
        maxHolders: 2,
        holders: [holder("member-2"), holder("member-1")],
        vacantSince: undefined,
      }),
      groupRole("treasurer", { holders: [holder("member-3")], vacantSince: undefined }),
      groupRole("signposting"),
    ];
    const changes = leaveGroup("member-1", roles, now);
    expect(changes.map((change) => change.role.roleId)).toEqual(["facilitator", "refreshments"]);
    expect(changes.flatMap((change) => change.vacancies)).toEqual([
      { roleId: "facilitator", memberId: "member-1", reason: "left-group", vacatedAt: nowIso },
      { roleId: "refreshments", memberId: "member-1", reason: "left-group", vacatedAt: nowIso },
    ]);
    expect(changes.every((change) => !holdsRole(change.role, "member-1"))).toBe(true);
  });

  it("vacates nothing when the leaver held no role", () => {
    expect(leaveGroup("member-9", [held], now)).toEqual([]);
  });

  it("at the end of a term, removes the holders whose term has ended, at or before now", () => {
    const shared = groupRole("refreshments", {
      maxHolders: 3,
      holders: [
        holder("member-1", { termEndsAt: "2026-05-01T12:00:00.000Z" }),
        holder("member-2", { termEndsAt: "2026-06-01T00:00:00.000Z" }),
        holder("member-3"),
      ],
      vacantSince: undefined,
    });
    const { role, vacancies } = termEnded(shared, now);
    expect(role.holders.map((h) => h.memberId)).toEqual(["member-2", "member-3"]);
    expect(vacancies).toEqual([
      { roleId: "refreshments", memberId: "member-1", reason: "term-ended", vacatedAt: nowIso },
    ]);
  });

  it("at a term end that has already been handled or was extended, changes nothing", () => {
    const extended = groupRole("facilitator", {
      holders: [holder("member-1", { termEndsAt: "2027-05-01T00:00:00.000Z" })],
      vacantSince: undefined,
    });
    expect(termEnded(extended, now)).toEqual({ role: extended, vacancies: [] });
    const done = termEnded(
      termEnded(
        groupRole("facilitator", {
          holders: [holder("member-1", { termEndsAt: nowIso })],
          vacantSince: undefined,
        }),
        now,
      ).role,
      now,
    );
    expect(done.vacancies).toEqual([]);
    expect(done.role.vacantSince).toBe(nowIso);
  });
});
