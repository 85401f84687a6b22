import { describe, expect, it } from "vitest";
import {
  distinctAddresses,
  escalationDeliveryKey,
  facilitatorAlertDeliveryKey,
  trainingExpiryDeliveryKey,
} from "#domain/alert-keys.ts";
import { facilitatorCheckPlan } from "#domain/facilitator-checks.ts";
import { dutyHolder, hasFacilitator, withDutiesFromRoles } from "#domain/role-duties.ts";
import { defaultRoleCatalogue, type GroupRole, type RoleDefinition } from "#domain/role.ts";
import type { TrainingRecord } from "#domain/training.ts";
import { latestRecord, reminderStillDue, trainingReminderAt } from "#domain/training-reminder.ts";
import { escalationAfterDays, escalationDue, escalationDueAt } from "#domain/vacancy.ts";
import { renderNoFacilitatorEmail } from "#messages/roles/no-facilitator-email.ts";
import { renderTrainingExpiringEmail, trainingNameOf } from "#messages/roles/training-expiring-email.ts";
import { renderVacancyEscalatedEmail } from "#messages/roles/vacancy-escalated-email.ts";

const now = new Date("2026-05-01T12:00:00.000Z");
const hourMs = 3_600_000;
const dayMs = 86_400_000;
const at = (ms: number) => new Date(now.getTime() + ms);

// --- facilitator checks ----------------------------------------------------------------------

describe("facilitatorCheckPlan", () => {
  it("schedules both checks, 7 days and 48 hours before, for a session 10 days ahead", () => {
    const start = at(10 * dayMs);
    expect(facilitatorCheckPlan(start, now)).toEqual({
      scheduled: [
        { alert: "early", at: new Date(start.getTime() - 7 * dayMs) },
        { alert: "final", at: new Date(start.getTime() - 48 * hourMs) },
      ],
      checkNow: false,
    });
  });

  it("checks at once a session 3 or 5 days ahead, whose early instant has passed, and keeps its final check", () => {
    for (const days of [3, 5]) {
      const start = at(days * dayMs);
      expect(facilitatorCheckPlan(start, now)).toEqual({
        scheduled: [{ alert: "final", at: new Date(start.getTime() - 48 * hourMs) }],
        checkNow: true,
      });
    }
  });

  it("checks at once rather than schedule an instant that is exactly now: it would fire in the past", () => {
    const start = at(7 * dayMs);
    expect(facilitatorCheckPlan(start, now)).toEqual({
      scheduled: [{ alert: "final", at: new Date(start.getTime() - 48 * hourMs) }],
      checkNow: true,
    });
  });

  it("checks nothing at once while the early instant is still ahead, even by a second", () => {
    expect(facilitatorCheckPlan(at(7 * dayMs + 1000), now).checkNow).toBe(false);
  });

  it("checks at once a session within 48 hours, which no schedule would look at", () => {
    expect(facilitatorCheckPlan(at(30 * hourMs), now)).toEqual({ scheduled: [], checkNow: true });
  });

  it("does nothing for a session that has started", () => {
    expect(facilitatorCheckPlan(now, now)).toEqual({ scheduled: [], checkNow: false });
    expect(facilitatorCheckPlan(at(-hourMs), now)).toEqual({ scheduled: [], checkNow: false });
  });
});

// --- duties from roles -----------------------------------------------------------------------

const catalogue = defaultRoleCatalogue();
const role = (roleId: string, ...holders: string[]): GroupRole => ({
  organisationId: "org-1",
  groupId: "grp-1",
  roleId,
  holders: holders.map((memberId) => ({ memberId, since: "2026-01-01T00:00:00.000Z" })),
  maxHolders: Math.max(1, holders.length),
  ...(holders.length === 0 ? { vacantSince: "2026-01-01T00:00:00.000Z" } : {}),
});
const members = new Set(["ann", "bob", "cara", "dev"]);

describe("withDutiesFromRoles", () => {
  const roles = [
    role("facilitator", "ann"),
    role("refreshments", "bob", "cara"),
    role("venue-and-bookings", "dev"),
    role("treasurer", "cara"), // no duty
  ];

  it("defaults every duty not given to its role's first holder, and the facilitator with it", () => {
    expect(withDutiesFromRoles({ duties: [] }, roles, catalogue, members)).toEqual({
      facilitatorMemberId: "ann",
      duties: [
        { kind: "facilitation", holderMemberId: "ann" },
        { kind: "venue-booking", holderMemberId: "dev" },
        { kind: "refreshments", holderMemberId: "bob" },
      ],
    });
  });

  it("keeps explicit holders and fills a listed duty that has none", () => {
    const given = {
      duties: [{ kind: "refreshments" as const, holderMemberId: "cara" }, { kind: "venue-booking" as const }],
    };
    expect(withDutiesFromRoles(given, roles, catalogue, members).duties).toEqual([
      { kind: "refreshments", holderMemberId: "cara" },
      { kind: "venue-booking", holderMemberId: "dev" },
      { kind: "facilitation", holderMemberId: "ann" },
    ]);
  });

  it("takes a named facilitator as facilitation given: no facilitation duty is added", () => {
    const staffed = withDutiesFromRoles(
      { facilitatorMemberId: "dev", duties: [] },
      roles,
      catalogue,
      members,
    );
    expect(staffed.facilitatorMemberId).toBe("dev");
    expect(staffed.duties.map((d) => d.kind)).not.toContain("facilitation");
  });

  it("passes over a holder who is no longer a member, to the next holder", () => {
    const staffed = withDutiesFromRoles({ duties: [] }, roles, catalogue, new Set(["ann", "cara", "dev"]));
    expect(staffed.duties).toContainEqual({ kind: "refreshments", holderMemberId: "cara" });
  });

  it("adds nothing for a vacant role, and nothing when the group has no roles", () => {
    expect(withDutiesFromRoles({ duties: [] }, [role("facilitator")], catalogue, members)).toEqual({
      duties: [],
    });
    expect(withDutiesFromRoles({ duties: [] }, [], catalogue, members)).toEqual({ duties: [] });
  });

  it("uses an umbrella's own role that carries a duty when the default one is vacant", () => {
    const extended: RoleDefinition[] = [
      ...catalogue,
      { ...catalogue[0]!, id: "lead-facilitator", name: "Lead facilitator", duty: "facilitation" },
    ];
    const withOwn = [role("facilitator"), role("lead-facilitator", "bob")];
    expect(dutyHolder("facilitation", withOwn, extended, members)).toBe("bob");
  });
});

describe("hasFacilitator", () => {
  const vacant = [role("facilitator")];

  it("is true when a member holds the facilitator role", () => {
    expect(hasFacilitator({ duties: [] }, [role("facilitator", "ann")], catalogue, members)).toBe(true);
  });

  it("is true when the session names a facilitator or a facilitation duty holder who is a member", () => {
    expect(hasFacilitator({ facilitatorMemberId: "bob", duties: [] }, vacant, catalogue, members)).toBe(true);
    expect(
      hasFacilitator(
        { duties: [{ kind: "facilitation", holderMemberId: "bob" }] },
        vacant,
        catalogue,
        members,
      ),
    ).toBe(true);
  });

  it("is false when nobody will: the role vacant, nobody named, or only someone who has left", () => {
    expect(hasFacilitator({ duties: [] }, vacant, catalogue, members)).toBe(false);
    expect(hasFacilitator({ duties: [{ kind: "facilitation" }] }, vacant, catalogue, members)).toBe(false);
    expect(hasFacilitator({ facilitatorMemberId: "eve", duties: [] }, vacant, catalogue, members)).toBe(
      false,
    );
    expect(hasFacilitator({ duties: [] }, [role("facilitator", "eve")], catalogue, members)).toBe(false);
    // Another duty's holder does not facilitate.
    expect(
      hasFacilitator(
        { duties: [{ kind: "refreshments", holderMemberId: "bob" }] },
        vacant,
        catalogue,
        members,
      ),
    ).toBe(false);
  });
});

// --- training reminders ----------------------------------------------------------------------

const record = (overrides: Partial<TrainingRecord> = {}): TrainingRecord => ({
  memberId: "ann",
  trainingId: "safeguarding",
  completedAt: "2025-06-01T09:00:00.000Z",
  expiresAt: "2026-09-01T09:00:00.000Z",
  ...overrides,
});

describe("trainingReminderAt", () => {
  it("is 30 days before the expiry", () => {
    expect(trainingReminderAt(record(), now)).toEqual(new Date("2026-08-02T09:00:00.000Z"));
  });

  it("is now when those 30 days have begun but the training has not expired", () => {
    expect(trainingReminderAt(record({ expiresAt: at(10 * dayMs).toISOString() }), now)).toBe("now");
  });

  it("is never for a training that does not expire, or has expired", () => {
    expect(trainingReminderAt(record({ expiresAt: undefined }), now)).toBeNull();
    expect(trainingReminderAt(record({ expiresAt: now.toISOString() }), now)).toBeNull();
  });
});

describe("reminderStillDue", () => {
  const first = record();
  const renewal = record({ completedAt: "2026-04-20T09:00:00.000Z", expiresAt: "2027-09-01T09:00:00.000Z" });

  it("finds the record the reminder is about while it is the latest and current", () => {
    expect(reminderStillDue([first, record({ trainingId: "first-aid" })], first, now)).toEqual(first);
  });

  it("is silenced by a later record of the same training (renewed)", () => {
    expect(latestRecord([first, renewal], "safeguarding")).toEqual(renewal);
    expect(reminderStillDue([first, renewal], first, now)).toBeUndefined();
    expect(reminderStillDue([first, renewal], renewal, now)).toEqual(renewal);
  });

  it("is over once the training has expired, or for a record that does not exist", () => {
    expect(reminderStillDue([first], first, new Date(first.expiresAt!))).toBeUndefined();
    expect(
      reminderStillDue([first], { ...first, completedAt: "2025-01-01T00:00:00.000Z" }, now),
    ).toBeUndefined();
    expect(reminderStillDue([], first, now)).toBeUndefined();
  });
});

// --- escalation delay ------------------------------------------------------------------------

describe("escalationDueAt", () => {
  it("is the delay after the vacancy began, the instant escalationDue starts to hold", () => {
    const vacantSince = "2026-04-01T10:00:00.000Z";
    const dueAt = escalationDueAt(vacantSince);
    expect(escalationAfterDays).toBe(14);
    expect(dueAt).toEqual(new Date("2026-04-15T10:00:00.000Z"));
    expect(escalationDue({ critical: true, vacantSince, now: dueAt })).toBe(true);
    expect(escalationDue({ critical: true, vacantSince, now: new Date(dueAt.getTime() - 1) })).toBe(false);
  });
});

// --- delivery keys ---------------------------------------------------------------------------

describe("alert delivery keys", () => {
  it("count an address once however it is written, and never contain it", () => {
    expect(distinctAddresses(["Admin@Example.org", " admin@example.org", "", "other@example.org"])).toEqual([
      "Admin@Example.org",
      "other@example.org",
    ]);
    const vacancy = { groupId: "grp-1", roleId: "facilitator", vacantSince: "2026-04-01T10:00:00.000Z" };
    const key = escalationDeliveryKey(vacancy, "Admin@Example.org");
    expect(key).toBe(escalationDeliveryKey(vacancy, "admin@example.org "));
    expect(key).not.toMatch(/example/i);
    expect(
      escalationDeliveryKey({ ...vacancy, vacantSince: "2026-05-01T10:00:00.000Z" }, "admin@example.org"),
    ).not.toBe(key);
  });

  it("tell a session's versions and its early and final alerts apart, and each training record apart", () => {
    const key = facilitatorAlertDeliveryKey({ id: "s-1", version: 1 }, "early", "a@example.org");
    expect(key).not.toBe(facilitatorAlertDeliveryKey({ id: "s-1", version: 1 }, "final", "a@example.org"));
    // A session moved (a new version) is alerted again: its time has changed.
    expect(key).not.toBe(facilitatorAlertDeliveryKey({ id: "s-1", version: 2 }, "early", "a@example.org"));
    expect(key).toBe(facilitatorAlertDeliveryKey({ id: "s-1", version: 1 }, "early", " A@example.org"));
    expect(key).not.toMatch(/example/i);
    expect(trainingExpiryDeliveryKey(record())).not.toBe(
      trainingExpiryDeliveryKey(record({ completedAt: "2026-04-20T09:00:00.000Z" })),
    );
    expect(trainingExpiryDeliveryKey(record({ completedAt: "2025-06-01T10:00:00+01:00" }))).toBe(
      trainingExpiryDeliveryKey(record()),
    );
  });
});

// --- the alert emails ------------------------------------------------------------------------

describe("the role alert emails", () => {
  const groupUrl = "https://convene.example.org/organisations/o/groups/g/roles";

  it("escalation: which group, which role, since when, and a link to the group, names escaped", () => {
    const email = renderVacancyEscalatedEmail({
      organisationName: "Northfield <Network>",
      groupName: "Riverside & Carers",
      roleName: "Facilitator",
      vacantSinceLocal: "Wednesday 1 April 2026, 11:00 (BST)",
      daysVacant: 14,
      groupUrl,
    });
    expect(email.subject).toBe("Vacant role: Facilitator in Riverside & Carers");
    for (const body of [email.text, email.html]) {
      expect(body).toContain("Wednesday 1 April 2026, 11:00 (BST)");
      expect(body).toContain("14 days");
      expect(body).toContain(groupUrl);
    }
    expect(email.text).toContain("The role of Facilitator in Riverside & Carers has been vacant since");
    expect(email.html).toContain("Riverside &amp; Carers");
    expect(email.html).toContain("Northfield &lt;Network&gt;");
    expect(email.html).not.toMatch(/<Network>|Riverside & /);
    expect(email.text).not.toContain("Unsubscribe");
  });

  it("no facilitator: says how soon, and offers the coordinator's unsubscribe link", () => {
    const base = {
      groupName: "Riverside",
      sessionTitle: "Monthly meeting",
      startsAtLocal: "Tuesday 12 May 2026, 19:00 (BST)",
      groupUrl,
      because: "as a coordinator of Riverside",
    };
    const early = renderNoFacilitatorEmail({ ...base, alert: "early", firstName: "Ann" });
    const final = renderNoFacilitatorEmail({
      ...base,
      alert: "final",
      unsubscribeUrl: "https://convene.example.org/api/v1/unsubscribe?token=t",
    });
    expect(early.subject).toBe("No facilitator yet: Monthly meeting, Tuesday 12 May 2026, 19:00 (BST)");
    expect(final.subject).toBe("Still no facilitator: Monthly meeting, Tuesday 12 May 2026, 19:00 (BST)");
    expect(early.text).toMatch(/^Hello Ann,/);
    expect(final.text).toMatch(/^Hello,/);
    expect(final.text).toContain("less than 48 hours");
    expect(final.text).toContain("Unsubscribe: https://convene.example.org/api/v1/unsubscribe?token=t");
    expect(early.text).not.toContain("Unsubscribe");
  });

  it("training: what expires, when, and the roles that need it", () => {
    const email = renderTrainingExpiringEmail({
      memberFirstName: "Ann",
      trainingName: trainingNameOf("facilitation-basics"),
      expiresAtLocal: "Tuesday 1 September 2026, 10:00 (BST)",
      rolesNeedingIt: [{ roleName: "Facilitator", groupName: "Riverside <Circle>" }],
      because: "as a member of Riverside",
    });
    expect(email.subject).toBe("Your facilitation basics training expires soon");
    expect(email.text).toContain("expires on Tuesday 1 September 2026, 10:00 (BST).");
    expect(email.text).toContain("- Facilitator in Riverside <Circle>");
    expect(email.html).toContain("<li>Facilitator in Riverside &lt;Circle&gt;</li>");
    const none = renderTrainingExpiringEmail({
      memberFirstName: "Ann",
      trainingName: "first aid",
      expiresAtLocal: "soon",
      rolesNeedingIt: [],
      because: "as a member of Riverside",
    });
    expect(none.text).not.toContain("You need it for");
  });
});
