// DynamoRoleStore against DynamoDB Local (in memory): a role change and its events are one
// transaction conditioned on the role's version, leaving a group vacates every role with it,
// tenants see only their own items, volunteering counts once, training lists per member and
// per group.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { DomainError } from "#domain/errors.ts";
import { newEvent } from "#domain/new-event.ts";
import { assignHolder, leaveGroup, stepDown, type RoleChange } from "#domain/role-assignment.ts";
import { defaultRoleCatalogue, newGroupRole, type GroupRole } from "#domain/role.ts";
import type { TrainingRecord } from "#domain/training.ts";
import type { StoredGroupRole, VacancyRef } from "#ports/role-store.ts";

const tableName = `convene-${randomUUID()}`;
const now = new Date("2030-01-15T09:00:00.000Z");
const later = new Date("2030-01-20T09:00:00.000Z");
// Training rules are the domain's (unit-tested there); the store neither knows nor checks them.
const catalogue = defaultRoleCatalogue().map((definition) => ({ ...definition, requiredTrainingIds: [] }));

let dynamo: DynamoDBClient;
let directory: DynamoStore;
let roles: DynamoRoleStore;

beforeAll(async () => {
  dynamo = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(dynamo, tableName);
  directory = new DynamoStore(dynamo, tableName);
  roles = new DynamoRoleStore(new TableClient(dynamo, tableName));
});

afterAll(() => dynamo?.destroy());

// --- fixtures -------------------------------------------------------------------------------

interface Place {
  organisationId: string;
  groupId: string;
}

/** An organisation with one group whose members are `memberIds`. */
const aGroupWith = async (memberIds: string[], ids: Partial<Place> = {}): Promise<Place> => {
  const organisationId = ids.organisationId ?? randomUUID();
  const groupId = ids.groupId ?? randomUUID();
  const at = now.toISOString();
  await directory.createOrganisation({ id: organisationId, name: "Northfield Network", createdAt: at });
  await directory.createGroup({
    organisationId,
    id: groupId,
    name: "Riverside Carers' Circle",
    timeZone: "Europe/London",
    leadershipModel: "collective",
    createdAt: at,
  });
  for (const id of memberIds) {
    await directory.createMember({
      organisationId,
      id,
      name: "Sam Example",
      email: `${id}@example.org`,
      reminders: [],
      unsubscribed: [],
      createdAt: at,
    });
    await directory.addMembership(
      { organisationId, groupId, memberId: id, joinedAt: at },
      newEvent("MemberJoinedGroup", { organisationId, groupId }, { memberId: id }, now),
    );
  }
  return { organisationId, groupId };
};

/** A role the group has taken up (vacant), as stored. */
const aRole = async (place: Place, roleId: string, maxHolders = 1): Promise<StoredGroupRole> => {
  await roles.putRole(newGroupRole({ ...place, roleId, maxHolders }, now));
  return (await roles.getRole(place.organisationId, place.groupId, roleId))!;
};

const assignment = (role: StoredGroupRole, memberIds: string[], memberId: string): RoleChange => ({
  role: assignHolder(
    { roleId: role.roleId, memberId },
    { roles: [role], catalogue, memberIds, training: [] },
    now,
  ),
  vacancies: [],
});

const filled = (role: GroupRole, memberId: string): ConveneEvent =>
  newEvent("RoleFilled", role, { roleId: role.roleId, memberId, how: "assigned" }, now);

const vacatedEvents = (place: Place, change: RoleChange): ConveneEvent[] =>
  change.vacancies.map((vacancy) => newEvent("RoleVacated", place, vacancy, later));

const volunteered = (vacancy: VacancyRef, memberId: string): ConveneEvent =>
  newEvent("VolunteerOffered", vacancy, { roleId: vacancy.roleId, memberId }, now);

const holdersOf = (role: GroupRole | undefined) => role?.holders.map((h) => h.memberId);

const outboxItem = async (event: ConveneEvent) =>
  (
    await directory.doc.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.outbox(event.organisationId, event.id),
        ConsistentRead: true,
      }),
    )
  ).Item;

// A Scan is fine here: it is the test looking at its own throwaway table, never a request path.
const outboxTypesOf = async (organisationId: string, type: string): Promise<ConveneEvent[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await directory.doc.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items
    .filter((i) => i.kind === "outbox" && String(i.PK).startsWith(`ORG#${organisationId}#`))
    .map((i) => JSON.parse(String(i.detail)) as ConveneEvent)
    .filter((e) => e.type === type);
};

const domainError = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

// --- roles ----------------------------------------------------------------------------------

describe("group roles", () => {
  test("a role is taken up once at version 1, read back and listed without its keys", async () => {
    const place = await aGroupWith([]);
    const facilitator = await aRole(place, "facilitator");
    const refreshments = await aRole(place, "refreshments", 3);
    expect(facilitator).toEqual({ ...newGroupRole({ ...place, roleId: "facilitator" }, now), version: 1 });
    expect((await domainError(roles.putRole(facilitator))).kind).toBe("conflict");
    expect(await roles.listGroupRoles(place.organisationId, place.groupId)).toEqual([
      facilitator,
      refreshments,
    ]);
  });

  test("a group that does not exist takes up no role", async () => {
    const place = { organisationId: randomUUID(), groupId: randomUUID() };
    const error = await domainError(roles.putRole(newGroupRole({ ...place, roleId: "facilitator" }, now)));
    expect(error.kind).toBe("conflict");
    expect(await roles.getRole(place.organisationId, place.groupId, "facilitator")).toBeUndefined();
  });

  test("a change is written with its event and the next version; the ended vacancy disappears", async () => {
    const place = await aGroupWith(["ann"]);
    const role = await aRole(place, "facilitator");
    const change = assignment(role, ["ann"], "ann");
    const event = filled(role, "ann");
    await roles.applyRoleChange({ ...change, expectedVersion: 1 }, [event]);

    const stored = await roles.getRole(place.organisationId, place.groupId, "facilitator");
    expect(stored).toEqual({ ...change.role, version: 2 });
    expect(stored).not.toHaveProperty("vacantSince");
    expect(JSON.parse(String((await outboxItem(event))?.detail))).toEqual(event);
  });

  test("a failed version condition writes neither the role nor the outbox record", async () => {
    const place = await aGroupWith(["ann", "bob"]);
    const role = await aRole(place, "facilitator");
    await roles.applyRoleChange({ ...assignment(role, ["ann", "bob"], "ann"), expectedVersion: 1 }, []);
    const held = (await roles.getRole(place.organisationId, place.groupId, "facilitator"))!;

    // Written from the stale read at version 1: Bob in place of Ann.
    const stale = assignment(role, ["ann", "bob"], "bob");
    const event = filled(role, "bob");
    const error = await domainError(roles.applyRoleChange({ ...stale, expectedVersion: 1 }, [event]));
    expect(error.kind).toBe("conflict");
    expect(await roles.getRole(place.organisationId, place.groupId, "facilitator")).toEqual(held);
    expect(await outboxItem(event)).toBeUndefined();
  });

  test("a holder who is not in the group is refused, and nothing is written", async () => {
    const place = await aGroupWith(["ann"]);
    const role = await aRole(place, "facilitator");
    const { vacantSince: _ended, ...rest } = role;
    const change: RoleChange = {
      role: { ...rest, holders: [{ memberId: "stranger", since: now.toISOString() }] },
      vacancies: [],
    };
    const event = filled(role, "stranger");
    const error = await domainError(roles.applyRoleChange({ ...change, expectedVersion: 1 }, [event]));
    expect(error.kind).toBe("invalid");
    expect(error.field).toBe("memberId");
    expect(await roles.getRole(place.organisationId, place.groupId, "facilitator")).toEqual(role);
    expect(await outboxItem(event)).toBeUndefined();
  });

  test("of concurrent assignments to one place, exactly one wins and publishes", async () => {
    const members = ["ann", "bob", "cat", "dan", "eve"];
    const place = await aGroupWith(members);
    const role = await aRole(place, "facilitator");
    const events = members.map((m) => filled(role, m));
    const results = await Promise.allSettled(
      members.map((m, at) =>
        roles.applyRoleChange({ ...assignment(role, members, m), expectedVersion: role.version }, [
          events[at]!,
        ]),
      ),
    );

    const winners = results.flatMap((r, at) => (r.status === "fulfilled" ? [members[at]!] : []));
    expect(winners).toHaveLength(1);
    for (const r of results)
      if (r.status === "rejected") expect((r.reason as DomainError).kind).toBe("conflict");
    const stored = await roles.getRole(place.organisationId, place.groupId, "facilitator");
    expect(holdersOf(stored)).toEqual(winners);
    expect(stored?.version).toBe(2);
    const published = await outboxTypesOf(place.organisationId, "RoleFilled");
    expect(published.map((e) => (e.data as { memberId: string }).memberId)).toEqual(winners);
  });
});

// --- leaving a group ------------------------------------------------------------------------

describe("leaving a group with roles", () => {
  test("the membership goes and every role the member held is vacated, with one RoleVacated each", async () => {
    const place = await aGroupWith(["ann", "bob"]);
    const { organisationId: o, groupId: g } = place;
    for (const [roleId, maxHolders, holders] of [
      ["facilitator", 1, ["ann"]],
      ["refreshments", 2, ["ann", "bob"]],
      ["reminders", 1, ["bob"]],
    ] as const) {
      let role = await aRole(place, roleId, maxHolders);
      for (const m of holders) {
        await roles.applyRoleChange(
          { ...assignment(role, ["ann", "bob"], m), expectedVersion: role.version },
          [],
        );
        role = (await roles.getRole(o, g, roleId))!;
      }
    }

    const before = await roles.listGroupRoles(o, g);
    const changes = leaveGroup("ann", before, later);
    expect(changes.map((c) => c.role.roleId).sort()).toEqual(["facilitator", "refreshments"]);
    const versioned = changes.map((c) => ({
      ...c,
      expectedVersion: before.find((r) => r.roleId === c.role.roleId)!.version,
    }));
    const events = changes.flatMap((c) => vacatedEvents(place, c));
    await roles.leaveGroupWithRoles({ organisationId: o, groupId: g, memberId: "ann" }, versioned, events);

    expect((await directory.listGroupMembers(o, g)).map((m) => m.id)).toEqual(["bob"]);
    const after = await roles.listGroupRoles(o, g);
    expect(after.map((r) => [r.roleId, holdersOf(r), r.vacantSince])).toEqual([
      ["facilitator", [], later.toISOString()],
      ["refreshments", ["bob"], undefined],
      ["reminders", ["bob"], undefined],
    ]);
    const vacated = await outboxTypesOf(o, "RoleVacated");
    expect(
      vacated.map((e) => e.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([
      { roleId: "facilitator", memberId: "ann", reason: "left-group", vacatedAt: later.toISOString() },
      { roleId: "refreshments", memberId: "ann", reason: "left-group", vacatedAt: later.toISOString() },
    ]);
  });

  test("a role changed meanwhile cancels the leaving: the member stays and nothing is vacated", async () => {
    const place = await aGroupWith(["ann", "bob"]);
    const { organisationId: o, groupId: g } = place;
    const vacant = await aRole(place, "refreshments", 2);
    await roles.applyRoleChange({ ...assignment(vacant, ["ann", "bob"], "ann"), expectedVersion: 1 }, []);
    const held = (await roles.getRole(o, g, "refreshments"))!;
    const changes = leaveGroup("ann", [held], later);
    // Bob joins the role before Ann's leaving is written.
    await roles.applyRoleChange({ ...assignment(held, ["ann", "bob"], "bob"), expectedVersion: 2 }, []);
    const current = await roles.getRole(o, g, "refreshments");

    const events = changes.flatMap((c) => vacatedEvents(place, c));
    const error = await domainError(
      roles.leaveGroupWithRoles(
        { organisationId: o, groupId: g, memberId: "ann" },
        changes.map((c) => ({ ...c, expectedVersion: 2 })),
        events,
      ),
    );
    expect(error.kind).toBe("conflict");
    expect((await directory.listGroupMembers(o, g)).map((m) => m.id)).toEqual(["ann", "bob"]);
    expect(await roles.getRole(o, g, "refreshments")).toEqual(current);
    for (const event of events) expect(await outboxItem(event)).toBeUndefined();
  });

  test("leaving a group one is not in is not found, and a role held is untouched", async () => {
    const place = await aGroupWith(["ann"]);
    const role = await aRole(place, "facilitator");
    await roles.applyRoleChange({ ...assignment(role, ["ann"], "ann"), expectedVersion: 1 }, []);
    const held = (await roles.getRole(place.organisationId, place.groupId, "facilitator"))!;
    const change = stepDown(held, "ann", later);
    const error = await domainError(
      roles.leaveGroupWithRoles({ ...place, memberId: "nobody" }, [{ ...change, expectedVersion: 2 }], []),
    );
    expect(error.kind).toBe("not-found");
    expect(await roles.getRole(place.organisationId, place.groupId, "facilitator")).toEqual(held);
  });

  test("once a member has left, they cannot be assigned a role", async () => {
    const place = await aGroupWith(["ann"]);
    const role = await aRole(place, "facilitator");
    await roles.leaveGroupWithRoles({ ...place, memberId: "ann" }, [], []);
    const error = await domainError(
      roles.applyRoleChange({ ...assignment(role, ["ann"], "ann"), expectedVersion: 1 }, []),
    );
    expect(error.field).toBe("memberId");
    expect(await roles.getRole(place.organisationId, place.groupId, "facilitator")).toEqual(role);
  });
});

// --- tenancy --------------------------------------------------------------------------------

describe("tenancy", () => {
  test("another organisation with the same group and member ids sees and changes nothing", async () => {
    const groupId = randomUUID();
    const a = await aGroupWith(["ann"], { groupId });
    const b = await aGroupWith(["ann"], { groupId });
    const role = await aRole(a, "facilitator");
    await roles.applyRoleChange({ ...assignment(role, ["ann"], "ann"), expectedVersion: 1 }, []);
    const training: TrainingRecord = {
      memberId: "ann",
      trainingId: "safeguarding",
      completedAt: now.toISOString(),
    };
    await roles.recordTraining(
      a.organisationId,
      training,
      newEvent("TrainingRecorded", a, { memberId: "ann", trainingId: "safeguarding" }, now),
    );
    const vacancy: VacancyRef = { ...a, roleId: "refreshments", vacantSince: now.toISOString() };
    await aRole(a, "refreshments");
    await roles.addVolunteer(
      vacancy,
      { memberId: "ann", volunteeredAt: now.toISOString() },
      volunteered(vacancy, "ann"),
    );

    expect(await roles.getRole(b.organisationId, groupId, "facilitator")).toBeUndefined();
    expect(await roles.listGroupRoles(b.organisationId, groupId)).toEqual([]);
    expect(await roles.listMemberTraining(b.organisationId, "ann")).toEqual([]);
    expect(await roles.listGroupTraining(b.organisationId, groupId)).toEqual([]);
    expect(await roles.listVolunteers({ ...vacancy, organisationId: b.organisationId })).toEqual([]);

    // B's write with the same ids finds no role of B's at that version to change.
    const inA = (await roles.getRole(a.organisationId, groupId, "facilitator"))!;
    const { role: steppedDown } = stepDown(inA, "ann", later);
    const error = await domainError(
      roles.applyRoleChange(
        { role: { ...steppedDown, organisationId: b.organisationId }, vacancies: [], expectedVersion: 2 },
        [],
      ),
    );
    expect(error.kind).toBe("conflict");
    expect(holdersOf(await roles.getRole(a.organisationId, groupId, "facilitator"))).toEqual(["ann"]);
  });
});

// --- volunteers -----------------------------------------------------------------------------

describe("volunteers for a vacancy", () => {
  test("each member counts once, in the order they volunteered, with one VolunteerOffered", async () => {
    const place = await aGroupWith(["ann", "bob"]);
    const role = await aRole(place, "facilitator");
    const vacancy: VacancyRef = { ...place, roleId: role.roleId, vacantSince: role.vacantSince! };
    const bobFirst = volunteered(vacancy, "bob");
    const annSecond = volunteered(vacancy, "ann");
    const bobAgain = volunteered(vacancy, "bob");

    expect(
      await roles.addVolunteer(
        vacancy,
        { memberId: "bob", volunteeredAt: "2030-01-16T10:00:00.000Z" },
        bobFirst,
      ),
    ).toEqual({ kind: "recorded" });
    expect(
      await roles.addVolunteer(
        vacancy,
        { memberId: "ann", volunteeredAt: "2030-01-16T11:00:00.000Z" },
        annSecond,
      ),
    ).toEqual({ kind: "recorded" });
    expect(
      await roles.addVolunteer(
        vacancy,
        { memberId: "bob", volunteeredAt: "2030-01-16T12:00:00.000Z" },
        bobAgain,
      ),
    ).toEqual({ kind: "already-volunteered" });

    expect(await roles.listVolunteers(vacancy)).toEqual([
      { memberId: "bob", volunteeredAt: "2030-01-16T10:00:00.000Z" },
      { memberId: "ann", volunteeredAt: "2030-01-16T11:00:00.000Z" },
    ]);
    expect(await outboxItem(bobFirst)).toBeDefined();
    expect(await outboxItem(annSecond)).toBeDefined();
    expect(await outboxItem(bobAgain)).toBeUndefined();
  });

  test("nobody volunteers for a vacancy that is over, nor someone outside the group", async () => {
    const place = await aGroupWith(["ann", "bob"]);
    const role = await aRole(place, "facilitator");
    const vacancy: VacancyRef = { ...place, roleId: role.roleId, vacantSince: role.vacantSince! };
    const outsider = volunteered(vacancy, "stranger");
    expect(
      await roles.addVolunteer(vacancy, { memberId: "stranger", volunteeredAt: now.toISOString() }, outsider),
    ).toEqual({ kind: "not-a-member" });

    await roles.applyRoleChange({ ...assignment(role, ["ann", "bob"], "ann"), expectedVersion: 1 }, []);
    const late = volunteered(vacancy, "bob");
    expect(
      await roles.addVolunteer(vacancy, { memberId: "bob", volunteeredAt: later.toISOString() }, late),
    ).toEqual({ kind: "vacancy-over" });
    const missing = { ...vacancy, roleId: "treasurer" };
    expect(
      await roles.addVolunteer(
        missing,
        { memberId: "bob", volunteeredAt: later.toISOString() },
        volunteered(missing, "bob"),
      ),
    ).toEqual({ kind: "vacancy-over" });

    expect(await roles.listVolunteers(vacancy)).toEqual([]);
    expect(await outboxItem(outsider)).toBeUndefined();
    expect(await outboxItem(late)).toBeUndefined();
  });
});

// --- training -------------------------------------------------------------------------------

describe("training records", () => {
  const record = (
    memberId: string,
    trainingId: string,
    completedAt: string,
    expiresAt?: string,
  ): TrainingRecord => ({
    memberId,
    trainingId,
    completedAt,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });

  test("are recorded once with TrainingRecorded, and listed per member and per group's members", async () => {
    const place = await aGroupWith(["ann", "bob"]);
    const o = place.organisationId;
    const recorded = (r: TrainingRecord) =>
      newEvent("TrainingRecorded", place, { memberId: r.memberId, trainingId: r.trainingId }, now);
    const annFirst = record("ann", "safeguarding", "2028-01-10T09:00:00.000Z", "2029-01-10T09:00:00.000Z");
    const annRenewed = record("ann", "safeguarding", "2029-01-05T09:00:00.000Z", "2030-01-05T09:00:00.000Z");
    const annBasics = record("ann", "facilitation-basics", "2029-06-01T09:00:00.000Z");
    const bobs = record("bob", "safeguarding", "2029-03-01T09:00:00.000Z", "2030-03-01T09:00:00.000Z");
    // A member of another group of the organisation: not in this group's listing.
    const carols = record("carol", "safeguarding", "2029-03-01T09:00:00.000Z");

    const first = recorded(annFirst);
    expect(await roles.recordTraining(o, annFirst, first)).toBe(true);
    const again = recorded(annFirst);
    expect(await roles.recordTraining(o, annFirst, again)).toBe(false);
    for (const r of [annRenewed, annBasics, bobs, carols])
      expect(await roles.recordTraining(o, r, recorded(r))).toBe(true);

    const raw = await directory.doc.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.training(o, "ann", "safeguarding", annFirst.completedAt),
        ConsistentRead: true,
      }),
    );
    // The record's expiry must never be taken for the table's TTL attribute.
    expect(raw.Item).not.toHaveProperty("expiresAt");
    expect(await outboxItem(first)).toBeDefined();
    expect(await outboxItem(again)).toBeUndefined();
    expect(await roles.listMemberTraining(o, "ann")).toEqual([annBasics, annFirst, annRenewed]);
    expect(await roles.listMemberTraining(o, "nobody")).toEqual([]);
    const group = await roles.listGroupTraining(o, place.groupId);
    expect(group).toHaveLength(4);
    expect(group).toEqual(expect.arrayContaining([annBasics, annFirst, annRenewed, bobs]));
  });
});
