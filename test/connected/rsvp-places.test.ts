// Answers, places and the waiting list against DynamoDB Local: concurrent answers for the last
// place, the last answer winning, redelivered messages and offers that lapse and pass on. The
// organisation and addresses are made up per run.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { EventOf, EventType } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import { DynamoRsvpStore } from "#adapters/aws/dynamodb/dynamo-rsvp-store.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { AdjustableClock } from "#adapters/local/local-clock.ts";
import { localDateTimeAt } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { countsOf, type RsvpAnswer, type RsvpSource } from "#domain/rsvp.ts";
import type { Session } from "#domain/session.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { passOnLapsedOffer } from "#use-cases/rsvp/pass-on-lapsed-offer.ts";
import { recordRsvp } from "#use-cases/rsvp/record-rsvp.ts";
import { setRsvpSettings } from "#use-cases/rsvp/set-rsvp-settings.ts";
import { cancelSession, scheduleSession } from "#use-cases/sessions/session-changes.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const zone = "Europe/London";
let dynamo: DynamoDBClient;
let store: DynamoStore;
let rsvps: DynamoRsvpStore;
let roles: DynamoRoleStore;
let tableName: string;
const clock = new AdjustableClock();
const deps = () => ({ store, rsvps, roles, clock });

beforeAll(async () => {
  tableName = `convene-${randomUUID()}`;
  dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
  const table = new TableClient(dynamo, tableName);
  rsvps = new DynamoRsvpStore(table);
  roles = new DynamoRoleStore(table);
});

afterAll(() => dynamo.destroy());

/** A group of `size` members and a session three days ahead asking for RSVPs with `capacity`. */
const aSessionFor = async (size: number, capacity?: number) => {
  const organisation = await createOrganisation(deps(), { name: "Northfield Network" });
  const group = await createGroup(deps(), organisation.id, {
    name: "Riverside Carers' Circle",
    timeZone: zone,
    leadershipModel: "collective",
  });
  const memberIds: string[] = [];
  for (let i = 0; i < size; i++) {
    const member = await createMember(deps(), organisation.id, {
      name: `Member ${i}`,
      email: `${randomUUID()}@example.org`,
      reminders: [],
    });
    await joinGroup(deps(), organisation.id, group.id, member.id);
    memberIds.push(member.id);
  }
  const inThreeDays = new Date(clock.now().getTime() + 3 * 86_400_000);
  const session = await scheduleSession(deps(), organisation.id, group.id, {
    title: "Monthly meeting",
    startLocal: `${localDateTimeAt(inThreeDays, zone).slice(0, 10)}T19:00`,
    durationMinutes: 90,
    duties: [],
  });
  const ref = { organisationId: organisation.id, groupId: group.id, sessionId: session.id };
  const set = await setRsvpSettings(deps(), ref, { asked: true, capacity, reserved: 0 });
  expect(set).toEqual({ kind: "set", offeredTo: 0 });
  return { ...ref, session, memberIds };
};

type Ref = Awaited<ReturnType<typeof aSessionFor>>;

const answer = (
  ref: Ref,
  memberId: string,
  given: RsvpAnswer,
  extra: { source?: RsvpSource; answeredAt?: Date; messageKey?: string } = {},
) =>
  recordRsvp(deps(), {
    organisationId: ref.organisationId,
    groupId: ref.groupId,
    sessionId: ref.sessionId,
    memberId,
    answer: given,
    source: extra.source ?? "reply",
    answeredAt: extra.answeredAt ?? clock.now(),
    ...(extra.messageKey ? { messageKey: extra.messageKey } : {}),
  });

const placesOf = async (ref: Ref) => (await rsvps.getPlaces(ref.organisationId, ref.sessionId))!;
const statusOf = async (ref: Ref, memberId: string) =>
  (await placesOf(ref)).holders.find((h) => h.memberId === memberId)?.status;

/** The events of one type an organisation's changes wrote to the outbox (a test may Scan). */
const outboxOf = async <K extends EventType>(o: string, type: K): Promise<EventOf<K>[]> => {
  const out = await store.doc.send(
    new ScanCommand({
      TableName: tableName,
      ConsistentRead: true,
      FilterExpression: "kind = :outbox AND begins_with(PK, :pk)",
      ExpressionAttributeValues: { ":outbox": "outbox", ":pk": `ORG#${o}#OUTBOX#` },
    }),
  );
  return (out.Items ?? [])
    .map((i) => parseEvent(JSON.parse(i.detail as string)))
    .filter((e): e is EventOf<K> => e.type === type);
};

describe("the last place", () => {
  test("five members answer yes at once for three places: three get one, two wait, each counted once", async () => {
    const ref = await aSessionFor(5, 3);
    const outcomes = await Promise.all(ref.memberIds.map((m) => answer(ref, m, "yes")));
    expect(outcomes.filter((o) => o.kind === "recorded" && o.place === "going")).toHaveLength(3);
    expect(outcomes.filter((o) => o.kind === "recorded" && o.place === "waiting")).toHaveLength(2);
    const places = await placesOf(ref);
    expect(countsOf(places)).toEqual({ yes: 3, maybe: 0, no: 0, waiting: 2 });
    expect(places.holders).toHaveLength(5);
    expect(await outboxOf(ref.organisationId, "RsvpRecorded")).toHaveLength(5);
  });

  test("answers racing a freed place offer it once: two noes with two waiting offer each waiting member once", async () => {
    const ref = await aSessionFor(5, 3);
    const [a, b, c, d, e] = ref.memberIds as [string, string, string, string, string];
    for (const m of [a, b, c, d, e]) await answer(ref, m, "yes");
    await Promise.all([answer(ref, a, "no"), answer(ref, b, "no")]);
    const offers = await outboxOf(ref.organisationId, "PlaceOffered");
    expect(offers.map((o) => o.data.memberId).sort()).toEqual([d, e].sort());
    expect(countsOf(await placesOf(ref))).toEqual({ yes: 1, maybe: 0, no: 2, waiting: 2 });
  });
});

describe("the last answer wins", () => {
  test("a later answer replaces, an older one arriving later changes nothing", async () => {
    const ref = await aSessionFor(2, 5);
    const [m] = ref.memberIds as [string];
    const earlier = new Date(clock.now().getTime() - 60_000);
    expect(await answer(ref, m, "yes")).toEqual({ kind: "recorded", place: "going", promoted: false });
    expect(await answer(ref, m, "no", { answeredAt: earlier, messageKey: `old-${randomUUID()}` })).toEqual({
      kind: "superseded",
    });
    expect((await rsvps.getRsvp(ref.organisationId, ref.sessionId, m))?.answer).toBe("yes");
    expect(await answer(ref, m, "maybe", { source: "link" })).toMatchObject({ kind: "recorded" });
    const stored = await rsvps.getRsvp(ref.organisationId, ref.sessionId, m);
    expect(stored).toMatchObject({ answer: "maybe", source: "link" });
    expect(countsOf(await placesOf(ref))).toEqual({ yes: 0, maybe: 1, no: 0, waiting: 0 });
  });

  test("the same message delivered again acts once", async () => {
    const ref = await aSessionFor(2, 5);
    const [m, n] = ref.memberIds as [string, string];
    const messageKey = `msg-${randomUUID()}`;
    expect(await answer(ref, m, "maybe", { messageKey })).toMatchObject({ kind: "recorded" });
    expect(await answer(ref, m, "maybe", { messageKey })).toEqual({ kind: "duplicate-message" });
    await answer(ref, n, "no", { messageKey: `msg-${randomUUID()}` });
    expect(countsOf(await placesOf(ref))).toEqual({ yes: 0, maybe: 1, no: 1, waiting: 0 });
    expect(await outboxOf(ref.organisationId, "RsvpRecorded")).toHaveLength(2);
  });
});

describe("the same answer again", () => {
  test("in a new message or a second click changes nothing and is not announced again; an offered member's yes still takes the place", async () => {
    const ref = await aSessionFor(3, 1);
    const [a, b, c] = ref.memberIds as [string, string, string];
    expect(await answer(ref, a, "yes")).toMatchObject({ kind: "recorded", place: "going" });
    expect(await answer(ref, b, "yes")).toMatchObject({ kind: "recorded", place: "waiting" });
    expect(await answer(ref, c, "no")).toMatchObject({ kind: "recorded" });
    const again = { messageKey: `again-${randomUUID()}` };
    expect(await answer(ref, a, "yes", again)).toEqual({ kind: "unchanged" });
    expect(await answer(ref, a, "yes", again)).toEqual({ kind: "duplicate-message" });
    expect(await answer(ref, b, "yes", { source: "link" })).toEqual({ kind: "unchanged" });
    expect(await answer(ref, c, "no", { source: "link" })).toEqual({ kind: "unchanged" });
    expect(countsOf(await placesOf(ref))).toEqual({ yes: 1, maybe: 0, no: 1, waiting: 1 });
    expect(await outboxOf(ref.organisationId, "RsvpRecorded")).toHaveLength(3);

    // A frees the place; B, offered it, says yes again: that yes takes it.
    await answer(ref, a, "no");
    expect(await answer(ref, b, "yes", { source: "link" })).toEqual({
      kind: "recorded",
      place: "going",
      promoted: true,
    });
    expect(await outboxOf(ref.organisationId, "RsvpRecorded")).toHaveLength(5);
  });
});

describe("the waiting list", () => {
  test("a no frees a place for the first waiting, who accepts by answering yes", async () => {
    const ref = await aSessionFor(5, 3);
    const [a, b, c, d, e] = ref.memberIds as [string, string, string, string, string];
    for (const m of [a, b, c, d, e]) await answer(ref, m, "yes");
    await answer(ref, b, "no");
    expect(await statusOf(ref, d)).toBe("offered");
    expect(await statusOf(ref, e)).toBe("waiting");
    expect(await answer(ref, d, "yes", { source: "calendar" })).toEqual({
      kind: "recorded",
      place: "going",
      promoted: true,
    });
    expect((await outboxOf(ref.organisationId, "WaitlistPromoted")).map((p) => p.data.memberId)).toEqual([d]);
    expect(countsOf(await placesOf(ref))).toEqual({ yes: 3, maybe: 0, no: 1, waiting: 1 });
  });

  test("a lapsed offer passes on once, however often OfferLapsed is delivered", async () => {
    const ref = await aSessionFor(5, 3);
    const [a, b, c, d, e] = ref.memberIds as [string, string, string, string, string];
    for (const m of [a, b, c, d, e]) await answer(ref, m, "yes");
    await answer(ref, a, "no");
    const [offer] = await outboxOf(ref.organisationId, "PlaceOffered");
    expect(offer?.data.memberId).toBe(d);
    const lapsed = newEvent(
      "OfferLapsed",
      { organisationId: ref.organisationId, groupId: ref.groupId },
      offer!.data,
      clock.now(),
    );
    expect(await passOnLapsedOffer(deps(), lapsed)).toEqual({ kind: "not-yet" });
    clock.advance(Date.parse(offer!.data.offerEndsAt) - clock.now().getTime() + 1000);
    const twice = await Promise.all([passOnLapsedOffer(deps(), lapsed), passOnLapsedOffer(deps(), lapsed)]);
    expect(twice.map((t) => t.kind).sort()).toEqual(["passed-on", "settled"]);
    expect(await statusOf(ref, d)).toBeUndefined();
    expect(await statusOf(ref, e)).toBe("offered");
    const offers = await outboxOf(ref.organisationId, "PlaceOffered");
    expect(offers.map((o) => o.data.memberId).sort()).toEqual([d, e].sort());
    // The member whose offer lapsed may say yes again: to the end of the list.
    expect(await answer(ref, d, "yes")).toMatchObject({ kind: "recorded", place: "waiting" });
  });

  test("a raised capacity offers the freed places; one below the places given is refused, naming the field", async () => {
    const ref = await aSessionFor(4, 2);
    for (const m of ref.memberIds) await answer(ref, m, "yes");
    expect(await setRsvpSettings(deps(), ref, { asked: true, capacity: 1, reserved: 0 })).toMatchObject({
      kind: "capacity-too-low",
      field: "capacity",
    });
    expect(await setRsvpSettings(deps(), ref, { asked: true, capacity: 3, reserved: 0 })).toEqual({
      kind: "set",
      offeredTo: 1,
    });
    expect(countsOf(await placesOf(ref))).toEqual({ yes: 2, maybe: 0, no: 0, waiting: 2 });
  });
});

describe("answers that count for nothing", () => {
  test("a non-member, a session not asking, a cancelled session: each its outcome, nothing counted", async () => {
    const ref = await aSessionFor(2, 3);
    const [m] = ref.memberIds as [string];
    expect(await answer(ref, randomUUID(), "yes")).toEqual({ kind: "not-a-member" });
    await setRsvpSettings(deps(), ref, { asked: false, reserved: 0 });
    expect(await answer(ref, m, "yes")).toEqual({ kind: "not-asked" });
    await setRsvpSettings(deps(), ref, { asked: true, capacity: 3, reserved: 0 });
    await cancelSession(deps(), ref.organisationId, ref.groupId, ref.sessionId);
    expect(await answer(ref, m, "yes")).toEqual({ kind: "session-cancelled" });
    expect(await answer(ref, m, "yes", { source: "sms" })).toEqual({ kind: "session-cancelled" });
    expect(countsOf(await placesOf(ref))).toEqual({ yes: 0, maybe: 0, no: 0, waiting: 0 });
    expect(await outboxOf(ref.organisationId, "RsvpRecorded")).toHaveLength(0);
  });

  test("a session that has started takes no answer", async () => {
    const ref = await aSessionFor(1, 3);
    const session: Session = ref.session;
    expect(session.status).toBe("scheduled");
    clock.advance(4 * 86_400_000);
    expect(await answer(ref, ref.memberIds[0]!, "yes")).toEqual({ kind: "session-past" });
  });
});
