// DynamoStore against DynamoDB Local (in memory): every method, the one-transaction rule for a
// state change and its outbox record, tenant isolation by key, ordering of the by-start index,
// BatchGet pagination and the delivery claims that make every send happen once.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { itemKind, keys } from "#adapters/aws/dynamodb/keys.ts";
import { DomainError } from "#domain/errors.ts";
import type { Group } from "#domain/group.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { sessionSnapshot } from "#use-cases/sessions/session-changes.ts";
import type { Session } from "#domain/session.ts";

const tableName = `convene-${randomUUID()}`;
const now = new Date("2030-01-15T09:00:00.000Z");

let dynamo: DynamoDBClient;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
});

afterAll(() => dynamo?.destroy());

// --- fixtures -------------------------------------------------------------------------------

const anOrganisation = async (): Promise<string> => {
  const id = randomUUID();
  await store.createOrganisation({ id, name: "Northfield Network", createdAt: now.toISOString() });
  return id;
};

const aGroup = async (organisationId: string, id: string = randomUUID()): Promise<Group> => {
  const group: Group = {
    organisationId,
    id,
    name: "Riverside Carers' Circle",
    timeZone: "Europe/London",
    leadershipModel: "collective",
    createdAt: now.toISOString(),
  };
  await store.createGroup(group);
  return group;
};

const memberFixture = (organisationId: string, id: string = randomUUID()): Member => ({
  organisationId,
  id,
  name: "Sam Example",
  email: `${id}@example.org`,
  phone: "+447700900123",
  reminders: [{ channel: "email", offsetMinutes: 2880 }],
  unsubscribed: [],
  createdAt: now.toISOString(),
});

const aMember = async (organisationId: string, id?: string): Promise<Member> => {
  const member = memberFixture(organisationId, id);
  await store.createMember(member);
  return member;
};

const join = (member: Member, group: Group) =>
  store.addMembership(
    {
      organisationId: group.organisationId,
      groupId: group.id,
      memberId: member.id,
      joinedAt: now.toISOString(),
    },
    newEvent(
      "MemberJoinedGroup",
      { organisationId: group.organisationId, groupId: group.id },
      { memberId: member.id },
      now,
    ),
  );

const sessionFixture = (group: Group, startLocal: string, id: string = randomUUID()): Session => ({
  organisationId: group.organisationId,
  groupId: group.id,
  id,
  version: 1,
  title: "Monthly meeting",
  startLocal,
  timeZone: group.timeZone,
  durationMinutes: 90,
  duties: [],
  status: "scheduled",
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

const scheduledEvent = (s: Session): ConveneEvent =>
  newEvent("SessionScheduled", s, { session: sessionSnapshot(s) }, now);

const rescheduledEvent = (s: Session, previousStartLocal: string): ConveneEvent =>
  newEvent("SessionRescheduled", s, { session: sessionSnapshot(s), previousStartLocal }, now);

const cancelledEvent = (s: Session): ConveneEvent =>
  newEvent("SessionCancelled", s, { session: sessionSnapshot(s) }, now);

const aSession = async (group: Group, startLocal: string): Promise<Session> => {
  const session = sessionFixture(group, startLocal);
  await store.scheduleSession(session, scheduledEvent(session));
  return session;
};

// A Scan is fine here: it is the test looking at the whole table, never a request path.
const scanAll = async (): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.doc.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
};

const itemsOf = async (organisationId: string) =>
  (await scanAll()).filter((i) => String(i.PK).startsWith(`ORG#${organisationId}`));

const outboxOf = async (organisationId: string) =>
  (await itemsOf(organisationId)).filter((i) => i.kind === "outbox");

const rawItem = async ({ PK, SK }: { PK: string; SK: string }) =>
  (await store.doc.send(new GetCommand({ TableName: tableName, Key: { PK, SK }, ConsistentRead: true })))
    .Item;

const domainError = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

// --- the directory --------------------------------------------------------------------------

describe("organisations, groups and members", () => {
  test("an organisation is created once and read back without its keys", async () => {
    const id = randomUUID();
    const organisation = { id, name: "Northfield Network", createdAt: now.toISOString() };
    await store.createOrganisation(organisation);
    expect(await store.getOrganisation(id)).toEqual(organisation);
    expect((await domainError(store.createOrganisation({ ...organisation, name: "Other" }))).kind).toBe(
      "conflict",
    );
    expect(await store.getOrganisation(id)).toEqual(organisation);
    expect(await store.getOrganisation(randomUUID())).toBeUndefined();
  });

  test("groups are created once, read back and listed per organisation", async () => {
    const o = await anOrganisation();
    const first = await aGroup(o);
    const second = await aGroup(o);
    expect(await store.getGroup(o, first.id)).toEqual(first);
    expect((await domainError(store.createGroup({ ...first, name: "Duplicate" }))).kind).toBe("conflict");
    expect(await store.getGroup(o, first.id)).toEqual(first);
    const listed = await store.listGroups(o);
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(expect.arrayContaining([first, second]));
    expect(await store.getGroup(o, randomUUID())).toBeUndefined();
  });

  test("members are created once, listed, and updated only when they exist", async () => {
    const o = await anOrganisation();
    const ann = await aMember(o);
    const bob = await aMember(o);
    expect(await store.getMember(o, ann.id)).toEqual(ann);
    expect((await domainError(store.createMember(ann))).kind).toBe("conflict");
    expect(await store.listMembers(o)).toEqual(expect.arrayContaining([ann, bob]));
    expect(await store.listMembers(o)).toHaveLength(2);

    const changed: Member = {
      ...ann,
      name: "Ann Changed",
      reminders: [{ channel: "sms", offsetMinutes: 60 }],
    };
    await store.updateMember(changed, []);
    expect(await store.getMember(o, ann.id)).toEqual(changed);

    const ghost = memberFixture(o);
    expect((await domainError(store.updateMember(ghost, []))).kind).toBe("not-found");
    expect(await store.getMember(o, ghost.id)).toBeUndefined();
  });

  test("a membership needs both the group and the member; removing it twice is not found", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    const member = await aMember(o);
    await join(member, group);
    expect(await store.listGroupMembers(o, group.id)).toEqual([member]);

    const stranger = memberFixture(o);
    expect((await domainError(join(stranger, group))).kind).toBe("not-found");
    const noGroup = { ...group, id: randomUUID() };
    expect((await domainError(join(member, noGroup))).kind).toBe("not-found");
    expect(await rawItem(keys.membership(o, noGroup.id, member.id))).toBeUndefined();
    expect(await rawItem(keys.membership(o, group.id, stranger.id))).toBeUndefined();

    // Leaving goes through the role store: the roles a member held are vacated with it.
    const roles = new DynamoRoleStore(new TableClient(dynamo, tableName));
    const leave = () =>
      roles.leaveGroupWithRoles({ organisationId: o, groupId: group.id, memberId: member.id }, [], []);
    await leave();
    expect(await store.listGroupMembers(o, group.id)).toEqual([]);
    expect((await domainError(leave())).kind).toBe("not-found");
    expect(await store.getMember(o, member.id)).toEqual(member);
  });

  test("listGroupMembers reads more than 100 members (BatchGet in pages), only the group's", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    const other = await aGroup(o);
    const count = 120; // two BatchGet pages: 100 + 20 (one request of 120 keys is refused)
    const members = Array.from({ length: count }, () => memberFixture(o));
    // Loaded in bulk, in the store's own item shapes (createMember and addMembership are
    // tested above): one write at a time would take seconds on DynamoDB Local.
    const items = members.flatMap((m) => [
      { ...keys.member(o, m.id), kind: itemKind.member, ...m },
      {
        ...keys.membership(o, group.id, m.id),
        kind: itemKind.membership,
        organisationId: o,
        groupId: group.id,
        memberId: m.id,
        joinedAt: now.toISOString(),
      },
    ]);
    for (let i = 0; i < items.length; i += 25) {
      const out = await store.doc.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      expect(out.UnprocessedItems?.[tableName] ?? []).toEqual([]);
    }
    const outsider = await aMember(o);
    await join(outsider, other);

    const listed = await store.listGroupMembers(o, group.id);
    expect(listed).toHaveLength(count);
    expect(listed.map((m) => m.id)).toEqual(members.map((m) => m.id).sort((a, b) => a.localeCompare(b)));
    expect(listed.find((m) => m.id === outsider.id)).toBeUndefined();
    // Whole members, without key attributes.
    expect(listed[0]).toEqual(members.find((m) => m.id === listed[0]!.id));
  });

  test("unsubscribeMember stops a channel once, with exactly one outbox record", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    const member = await aMember(o);
    const unsubscribed = (channel: "email" | "sms") =>
      newEvent(
        "MemberUnsubscribed",
        { organisationId: o, groupId: group.id },
        { memberId: member.id, channel },
        now,
      );

    const first = unsubscribed("email");
    expect(await store.unsubscribeMember(o, member.id, "email", first)).toBe("unsubscribed");
    expect(await store.unsubscribeMember(o, member.id, "email", unsubscribed("email"))).toBe("already");
    expect((await store.getMember(o, member.id))?.unsubscribed).toEqual(["email"]);

    const outbox = await outboxOf(o);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ ...keys.outbox(o, first.id), eventType: "MemberUnsubscribed" });
    expect(JSON.parse(outbox[0]!.detail as string)).toEqual(first);

    // Another channel is a change of its own.
    expect(await store.unsubscribeMember(o, member.id, "sms", unsubscribed("sms"))).toBe("unsubscribed");
    expect((await store.getMember(o, member.id))?.unsubscribed).toEqual(["email", "sms"]);
    expect(await outboxOf(o)).toHaveLength(2);

    // A member that does not exist is not found, and nothing is recorded.
    const ghost = randomUUID();
    const ghostEvent = newEvent(
      "MemberUnsubscribed",
      { organisationId: o, groupId: group.id },
      { memberId: ghost, channel: "email" },
      now,
    );
    expect((await domainError(store.unsubscribeMember(o, ghost, "email", ghostEvent))).kind).toBe(
      "not-found",
    );
    expect(await outboxOf(o)).toHaveLength(2);
    expect(await store.getMember(o, ghost)).toBeUndefined();
  });
});

// --- sessions and their outbox records ------------------------------------------------------

describe("sessions: the state and its event are one transaction", () => {
  test("scheduleSession writes the session and its outbox record together", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    const session = sessionFixture(group, "2030-03-10T19:00");
    const event = scheduledEvent(session);
    await store.scheduleSession(session, event);

    expect(await store.getSession(o, group.id, session.id)).toEqual(session);
    const outbox = await outboxOf(o);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      ...keys.outbox(o, event.id),
      kind: "outbox",
      eventType: "SessionScheduled",
      // TTL in epoch seconds: a week after the event.
      expiresAt: Math.floor(now.getTime() / 1000) + 7 * 24 * 3600,
    });
    expect(JSON.parse(outbox[0]!.detail as string)).toEqual(event);
  });

  test("scheduling into a group that does not exist writes neither the session nor its event", async () => {
    const o = await anOrganisation();
    const missing = { ...(await aGroup(o)), id: randomUUID() };
    const before = await itemsOf(o);
    const session = sessionFixture(missing, "2030-03-10T19:00");
    const event = scheduledEvent(session);

    expect((await domainError(store.scheduleSession(session, event))).kind).toBe("conflict");
    expect(await store.getSession(o, missing.id, session.id)).toBeUndefined();
    expect(await rawItem(keys.outbox(o, event.id))).toBeUndefined();
    expect(await itemsOf(o)).toEqual(before);
  });

  test("scheduling the same session twice keeps the first and only its event", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    const session = await aSession(group, "2030-03-10T19:00");
    const again = { ...session, title: "Overwritten?" };
    const secondEvent = scheduledEvent(again);

    expect((await domainError(store.scheduleSession(again, secondEvent))).kind).toBe("conflict");
    expect(await store.getSession(o, group.id, session.id)).toEqual(session);
    expect(await rawItem(keys.outbox(o, secondEvent.id))).toBeUndefined();
    expect(await outboxOf(o)).toHaveLength(1);
  });

  test("replaceSession with the expected version writes the new session and its event", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    const session = await aSession(group, "2030-03-10T19:00");
    const moved: Session = { ...session, startLocal: "2030-03-11T18:00", version: 2 };
    const event = rescheduledEvent(moved, session.startLocal);

    await store.replaceSession(moved, 1, event);
    expect(await store.getSession(o, group.id, session.id)).toEqual(moved);
    expect(await rawItem(keys.outbox(o, event.id))).toMatchObject({ eventType: "SessionRescheduled" });
    expect(await outboxOf(o)).toHaveLength(2);
  });

  test("replaceSession with a wrong expected version writes nothing and raises conflict", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    const session = await aSession(group, "2030-03-10T19:00");
    const before = await itemsOf(o);
    const moved: Session = { ...session, startLocal: "2030-03-11T18:00", version: 3 };
    const event = rescheduledEvent(moved, session.startLocal);

    const error = await domainError(store.replaceSession(moved, 2, event));
    expect(error.kind).toBe("conflict");
    expect(await store.getSession(o, group.id, session.id)).toEqual(session);
    expect(await rawItem(keys.outbox(o, event.id))).toBeUndefined();
    expect(await itemsOf(o)).toEqual(before);
  });

  test("getSession finds a session only under its own group", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    const otherGroup = await aGroup(o);
    const session = await aSession(group, "2030-03-10T19:00");
    expect(await store.getSession(o, group.id, session.id)).toEqual(session);
    expect(await store.getSession(o, otherGroup.id, session.id)).toBeUndefined();
    expect(await store.getSession(o, group.id, randomUUID())).toBeUndefined();
  });

  test("listUpcomingSessions and listPastSessions are ordered by start instant, either side of an instant, without cancelled ones", async () => {
    const o = await anOrganisation();
    const group = await aGroup(o);
    // Written out of order; ids are random, so key order says nothing about start order.
    const april = await aSession(group, "2030-04-01T10:00");
    const marchLate = await aSession(group, "2030-03-31T19:00"); // BST already: 18:00Z
    const past = await aSession(group, "2030-01-02T19:00");
    const march = await aSession(group, "2030-03-20T19:00");
    const cancelledOne = await aSession(group, "2030-03-25T19:00");
    const cancelled: Session = { ...cancelledOne, status: "cancelled", version: 2 };
    await store.replaceSession(cancelled, 1, cancelledEvent(cancelled));
    // Another group's session must not appear.
    await aSession(await aGroup(o), "2030-03-21T19:00");

    const upcoming = await store.listUpcomingSessions(o, group.id, now, 10);
    expect(upcoming.map((s) => s.id)).toEqual([march.id, marchLate.id, april.id]);
    expect(upcoming[0]).toEqual(march);
    const instants = upcoming.map((s) => sessionStartInstant(s.startLocal, s.timeZone).getTime());
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(upcoming.map((s) => s.id)).not.toContain(past.id);
    expect(upcoming.map((s) => s.id)).not.toContain(cancelledOne.id);

    expect((await store.listUpcomingSessions(o, group.id, now, 2)).map((s) => s.id)).toEqual([
      march.id,
      marchLate.id,
    ]);
    // The start instant itself counts as upcoming.
    const fromMarchLate = sessionStartInstant(marchLate.startLocal, marchLate.timeZone);
    expect((await store.listUpcomingSessions(o, group.id, fromMarchLate, 10)).map((s) => s.id)).toEqual([
      marchLate.id,
      april.id,
    ]);
    // The past, latest first: only what started before the instant, without the cancelled one.
    expect((await store.listPastSessions(o, group.id, fromMarchLate, 10)).map((s) => s.id)).toEqual([
      march.id,
      past.id,
    ]);
    expect((await store.listPastSessions(o, group.id, fromMarchLate, 1)).map((s) => s.id)).toEqual([
      march.id,
    ]);
    expect(await store.listPastSessions(o, group.id, new Date("2029-12-31T00:00:00Z"), 10)).toEqual([]);
    // The cancelled session is still readable by id; it has only left the index.
    expect(await store.getSession(o, group.id, cancelledOne.id)).toEqual(cancelled);
    const raw = await rawItem(keys.session(o, group.id, cancelledOne.id));
    expect(raw?.GSI1PK).toBeUndefined();
  });
});

// --- tenants ------------------------------------------------------------------------------

describe("every key carries the organisation", () => {
  test("organisation B never sees organisation A's items under the same ids", async () => {
    const a = await anOrganisation();
    const b = await anOrganisation();
    const groupId = randomUUID();
    const memberId = randomUUID();
    const groupA = await aGroup(a, groupId);
    const memberA = await aMember(a, memberId);
    await join(memberA, groupA);
    const sessionA = await aSession(groupA, "2030-03-10T19:00");

    expect(await store.getGroup(b, groupId)).toBeUndefined();
    expect(await store.getMember(b, memberId)).toBeUndefined();
    expect(await store.getSession(b, groupId, sessionA.id)).toBeUndefined();
    expect(await store.listGroupMembers(b, groupId)).toEqual([]);
    expect(await store.listGroups(b)).toEqual([]);
    expect(await store.listMembers(b)).toEqual([]);
    expect(await store.listUpcomingSessions(b, groupId, now, 10)).toEqual([]);

    // Writes through B's keys cannot reach A's items either.
    expect(
      (await domainError(join({ ...memberA, organisationId: b }, { ...groupA, organisationId: b }))).kind,
    ).toBe("not-found");
    const intruder = { ...sessionA, organisationId: b, id: randomUUID() };
    expect((await domainError(store.scheduleSession(intruder, scheduledEvent(intruder)))).kind).toBe(
      "conflict",
    );
    const hijack: Session = { ...sessionA, organisationId: b, version: 2, title: "Hijacked" };
    expect((await domainError(store.replaceSession(hijack, 1, cancelledEvent(hijack)))).kind).toBe(
      "conflict",
    );
    expect(await store.getSession(a, groupId, sessionA.id)).toEqual(sessionA);
    // (That conditional Put failed on a missing item, so B holds nothing now either.)
    expect(await itemsOf(b)).toEqual([expect.objectContaining({ SK: "ORGANISATION" })]);

    // The same ids under B are B's own, and A's stay as they were.
    const groupB = await aGroup(b, groupId);
    const memberB = { ...(await aMember(b, memberId)) };
    await join(memberB, groupB);
    expect(await store.listGroupMembers(b, groupId)).toEqual([memberB]);
    expect(await store.listGroupMembers(a, groupId)).toEqual([memberA]);
    expect(await store.getSession(b, groupId, sessionA.id)).toBeUndefined();
    expect(await store.listUpcomingSessions(b, groupId, now, 10)).toEqual([]);
    expect(await store.listUpcomingSessions(a, groupId, now, 10)).toEqual([sessionA]);
  });
});

// --- delivery claims ----------------------------------------------------------------------

describe("delivery claims", () => {
  const expiresAt = new Date("2030-02-20T09:00:00.000Z");
  const now = new Date("2030-01-20T09:00:00.000Z");
  const later = (ms: number) => new Date(now.getTime() + ms);
  const leaseMs = 30_000; // DynamoStore's default lease

  test("a claim is held as 'sending' with a lease, then 'sent'; it records its expiry for TTL", async () => {
    const o = await anOrganisation();
    const key = `reminder#${randomUUID()}#email`;
    expect(await store.claimDelivery(o, key, now, expiresAt)).toBe("claimed");
    expect(await rawItem(keys.delivery(o, key))).toEqual({
      ...keys.delivery(o, key),
      kind: "delivery",
      schemaVersion: 1,
      state: "sending",
      leaseUntil: now.getTime() + leaseMs,
      expiresAt: Math.floor(expiresAt.getTime() / 1000),
    });
    expect(await store.claimDelivery(o, key, later(1000), expiresAt)).toEqual({
      heldUntil: new Date(now.getTime() + leaseMs),
    });
    await store.markDelivered(o, key, expiresAt);
    expect(await rawItem(keys.delivery(o, key))).toEqual({
      ...keys.delivery(o, key),
      kind: "delivery",
      schemaVersion: 1,
      state: "sent",
      expiresAt: Math.floor(expiresAt.getTime() / 1000),
    });
    // A sent message is never claimed again, however late the redelivery.
    expect(await store.claimDelivery(o, key, later(leaseMs * 100), expiresAt)).toBe("sent");
  });

  test("a 'sending' claim whose lease lapsed is taken over (its sender died), once", async () => {
    const o = await anOrganisation();
    const key = `reminder#${randomUUID()}#email`;
    expect(await store.claimDelivery(o, key, now, expiresAt)).toBe("claimed");
    expect(await store.claimDelivery(o, key, later(leaseMs), expiresAt)).toEqual({
      heldUntil: later(leaseMs),
    });
    const takeovers = await Promise.all(
      Array.from({ length: 10 }, () => store.claimDelivery(o, key, later(leaseMs + 1), expiresAt)),
    );
    expect(takeovers.filter((r) => r === "claimed")).toHaveLength(1);
    expect(takeovers.filter((r) => r !== "claimed")).toEqual(
      Array.from({ length: 9 }, () => ({ heldUntil: later(2 * leaseMs + 1) })),
    );
  });

  test("a claim written before leases existed (no state) counts as sent", async () => {
    const o = await anOrganisation();
    const key = `reminder#${randomUUID()}#email`;
    await store.doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.delivery(o, key), kind: "delivery", expiresAt: 1 },
      }),
    );
    expect(await store.claimDelivery(o, key, later(leaseMs * 10), expiresAt)).toBe("sent");
  });

  test("of 20 concurrent claims of one key exactly one wins", async () => {
    const o = await anOrganisation();
    const key = `reminder#${randomUUID()}#sms`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.claimDelivery(o, key, now, expiresAt)),
    );
    expect(results.filter((r) => r === "claimed")).toHaveLength(1);
    expect(results.filter((r) => r !== "claimed")).toHaveLength(19);
  });

  test("releasing a claim lets the next claim succeed", async () => {
    const o = await anOrganisation();
    const key = `reminder#${randomUUID()}#email`;
    expect(await store.claimDelivery(o, key, now, expiresAt)).toBe("claimed");
    await store.releaseDelivery(o, key);
    expect(await rawItem(keys.delivery(o, key))).toBeUndefined();
    expect(await store.claimDelivery(o, key, now, expiresAt)).toBe("claimed");
    expect(await store.claimDelivery(o, key, now, expiresAt)).not.toBe("claimed");
    // Releasing what was never claimed is harmless.
    await expect(store.releaseDelivery(o, `never#${randomUUID()}`)).resolves.toBeUndefined();
  });

  test("the same key under another organisation is a claim of its own", async () => {
    const a = await anOrganisation();
    const b = await anOrganisation();
    const key = `reminder#${randomUUID()}#email`;
    expect(await store.claimDelivery(a, key, now, expiresAt)).toBe("claimed");
    expect(await store.claimDelivery(b, key, now, expiresAt)).toBe("claimed");
    await store.releaseDelivery(b, key);
    expect(await store.claimDelivery(a, key, now, expiresAt)).not.toBe("claimed");
  });
});

// --- consistency -----------------------------------------------------------------------------

describe("reads by key", () => {
  test("are strongly consistent, so a handler reading right after the stream sees the write", async () => {
    // DynamoDB Local is always consistent, so the request itself is checked, as it goes out.
    const watched = new DynamoDBClient({
      endpoint: inject("dynamoEndpoint"),
      region: "eu-west-2",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const getItems: Record<string, unknown>[] = [];
    watched.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string>; body?: unknown };
        if (request.headers?.["x-amz-target"] === "DynamoDB_20120810.GetItem")
          getItems.push(
            JSON.parse(
              typeof request.body === "string"
                ? request.body
                : new TextDecoder().decode(request.body as Uint8Array),
            ) as Record<string, unknown>,
          );
        return next(args);
      },
      { step: "finalizeRequest", name: "recordGetItem" },
    );
    try {
      const watchedStore = new DynamoStore(watched, tableName);
      const o = await anOrganisation();
      const group = await aGroup(o);
      const member = await aMember(o);
      const session = await aSession(group, "2030-03-10T19:00");
      expect(await watchedStore.getOrganisation(o)).toBeDefined();
      expect(await watchedStore.getGroup(o, group.id)).toEqual(group);
      expect(await watchedStore.getMember(o, member.id)).toEqual(member);
      expect(await watchedStore.getSession(o, group.id, session.id)).toEqual(session);
      expect(getItems).toHaveLength(4);
      for (const input of getItems) expect(input.ConsistentRead).toBe(true);
    } finally {
      watched.destroy();
    }
  });
});
