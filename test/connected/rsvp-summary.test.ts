// The facilitator's "who is coming" a day before, wired with real adapters: DynamoDB Local, the
// SES emulator and the table scheduler. A session's scheduling plans the summary at start − 24 h;
// the due event sends once per facilitator under redelivery, with names only as the group's
// privacy allows, and nothing for a session that does not ask. Every test makes up its own
// organisation and addresses, and finds its messages by them.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { EventOf, EventType } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { createCheckFacilitator } from "#functions/check-facilitator/handler.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoRsvpStore } from "#adapters/aws/dynamodb/dynamo-rsvp-store.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { AdjustableClock } from "#adapters/local/local-clock.ts";
import { TableScheduler } from "#adapters/local/table-scheduler.ts";
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import { DeliveryInFlightError } from "#delivery/deliver-once.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import type { NameVisibility } from "#domain/rsvp-privacy.ts";
import type { Log } from "#ports/logger.ts";
import type { Settings } from "#ports/ports.ts";
import { createMember, joinGroup } from "#use-cases/directory/manage-directory.ts";
import { recordRsvp } from "#use-cases/rsvp/record-rsvp.ts";
import { setNameOptIn } from "#use-cases/rsvp/set-name-opt-in.ts";
import { setRsvpPrivacy } from "#use-cases/rsvp/set-rsvp-privacy.ts";
import { setRsvpSettings } from "#use-cases/rsvp/set-rsvp-settings.ts";
import { scheduleSession } from "#use-cases/sessions/session-changes.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const tableName = `convene-${randomUUID()}`;
const zone = "Europe/London";
const dayMs = 86_400_000;
const silent: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const settings: Settings = {
  publicBaseUrl: "http://127.0.0.1:3000",
  replyDomain: "reply.convene.test",
  fromAddress: "Convene <groups@convene.test>",
  linkSigningSecret: new TextEncoder().encode("rsvp-summary-test-secret-32+bytes!!"),
};

const clients: { destroy(): void }[] = [];
let store: DynamoStore;
let rsvps: DynamoRsvpStore;
let roles: DynamoRoleStore;
let scheduler: TableScheduler;
let mailer: SesMailer;
let startedAt: number;

beforeAll(async () => {
  startedAt = Math.floor(Date.now() / 1000) - 1;
  const dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  const ses = new SESv2Client({ ...local, endpoint: inject("sesEndpoint") });
  clients.push(dynamo, ses);
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
  rsvps = new DynamoRsvpStore(new TableClient(dynamo, tableName));
  roles = new DynamoRoleStore(new TableClient(dynamo, tableName));
  scheduler = new TableScheduler(store.doc, tableName);
  mailer = new SesMailer(ses);
});

afterAll(() => {
  for (const client of clients) client.destroy();
});

const address = () => `${randomUUID()}@example.org`;

/** The events of one type an organisation's changes wrote to the outbox. */
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

/** The schedules the table scheduler holds for an organisation's summaries. */
const summariesPlanned = async (o: string) =>
  (await scheduler.due(new Date(Date.now() + 800 * dayMs), 5_000)).flatMap(({ event }) => {
    const parsed = parseEvent(event);
    return parsed.organisationId === o && parsed.type === "RsvpSummaryDue" ? [parsed] : [];
  });

const emailsTo = async (to: string) =>
  (await readSesStore(inject("sesEndpoint"), startedAt)).filter((e) =>
    e.destination.to.some((recipient) => recipient.includes(to)),
  );

/**
 * A group whose facilitator (Fay) runs a session three days ahead, Ann and Ben answering yes and
 * Cat maybe; the session asks for RSVPs unless `asked` is false. The check-facilitator handler
 * has planned from its SessionScheduled.
 */
const aSession = async (names: NameVisibility, asked = true) => {
  const clock = new AdjustableClock();
  const ports = { store, rsvps, roles, scheduler, mailer, clock, settings, log: silent };
  const o = randomUUID();
  const g = randomUUID();
  const at = clock.now().toISOString();
  await store.createOrganisation({ id: o, name: "Northfield Network", alertEmails: [], createdAt: at });
  await store.createGroup({
    organisationId: o,
    id: g,
    name: "Riverside Carers' Circle",
    timeZone: zone,
    leadershipModel: "collective",
    createdAt: at,
  });
  const people = [];
  for (const name of ["Fay Facilitator", "Ann Coming", "Ben Coming", "Cat Maybe"]) {
    const member = await createMember(ports, o, { name, email: address(), reminders: [] });
    await joinGroup(ports, o, g, member.id);
    people.push(member);
  }
  const [fay, ann, ben, cat] = people as [
    (typeof people)[0],
    (typeof people)[0],
    (typeof people)[0],
    (typeof people)[0],
  ];
  const day = localDateTimeAt(new Date(clock.now().getTime() + 3 * dayMs), zone).slice(0, 10);
  const session = await scheduleSession(ports, o, g, {
    title: "Monthly meeting",
    startLocal: `${day}T19:00`,
    durationMinutes: 90,
    duties: [],
    facilitatorMemberId: fay.id,
  });
  const ref = { organisationId: o, groupId: g, sessionId: session.id };
  await setRsvpPrivacy(ports, o, g, { names, attendance: "headcount" });
  if (asked) {
    expect(await setRsvpSettings(ports, ref, { asked: true, capacity: 10, reserved: 0 })).toMatchObject({
      kind: "set",
    });
    const answers = [
      [ann, "yes"],
      [ben, "yes"],
      [cat, "maybe"],
    ] as const;
    for (const [member, answer] of answers)
      await recordRsvp(ports, {
        ...ref,
        memberId: member.id,
        answer,
        source: "link",
        answeredAt: clock.now(),
      });
  }
  const check = createCheckFacilitator(ports);
  const [scheduled] = await outboxOf(o, "SessionScheduled");
  await check(scheduled!);
  const [due] = await summariesPlanned(o);
  return { ports, ref, session, fay, ann, ben, cat, check, due: due as EventOf<"RsvpSummaryDue"> };
};

describe("the facilitator's RSVP summary", () => {
  test("is planned a day before, and sent once under redelivery with the numbers and names", async () => {
    const s = await aSession("organisers");
    const start = sessionStartInstant(s.session.startLocal, zone);
    expect(s.due.data).toEqual({ sessionId: s.session.id, sessionVersion: s.session.version });
    expect(Date.parse(s.due.occurredAt)).toBe(start.getTime() - dayMs);
    // A redelivered SessionScheduled plans no second summary.
    await s.check((await outboxOf(s.ref.organisationId, "SessionScheduled"))[0]!);
    expect(await summariesPlanned(s.ref.organisationId)).toHaveLength(1);

    // Two deliveries at once, as the bus may make: the one that finds the other's claim in
    // flight fails, to be retried; the retry and a later redelivery find it sent.
    const outcomes = await Promise.allSettled([s.check(s.due), s.check(s.due)]);
    for (const outcome of outcomes)
      if (outcome.status === "rejected") {
        expect(outcome.reason).toBeInstanceOf(DeliveryInFlightError);
        await s.check(s.due);
      }
    await s.check(s.due);
    const sent = await emailsTo(s.fay.email);
    expect(sent).toHaveLength(1);
    const text = sent[0]!.body.text!;
    expect(text).toContain("2 people coming");
    expect(text).toContain("1 person maybe");
    expect(text).toContain("10 places");
    expect(text).toMatch(/Ann Coming[\s\S]*Ben Coming[\s\S]*Maybe:[\s\S]*Cat Maybe/);
    // Nobody else hears of it.
    for (const m of [s.ann, s.ben, s.cat]) expect(await emailsTo(m.email)).toHaveLength(0);
  });

  test("names nobody when the group shows counts only, and only the opted-in under opt-in", async () => {
    const counts = await aSession("counts");
    await counts.check(counts.due);
    const countsText = (await emailsTo(counts.fay.email))[0]!.body.text!;
    expect(countsText).toContain("2 people coming");
    for (const name of ["Ann Coming", "Ben Coming", "Cat Maybe"]) expect(countsText).not.toContain(name);

    const optIn = await aSession("opt-in");
    await setNameOptIn(optIn.ports, { ...optIn.ref, memberId: optIn.ben.id }, true);
    await optIn.check(optIn.due);
    const optInText = (await emailsTo(optIn.fay.email))[0]!.body.text!;
    expect(optInText).toContain("Ben Coming");
    expect(optInText).not.toContain("Ann Coming");
    expect(optInText).not.toContain("Cat Maybe");
    expect(optInText).toContain("1 person coming chose not to show their name");
  });

  test("sends nothing for a session that does not ask for RSVPs", async () => {
    const s = await aSession("organisers", false);
    await s.check(s.due);
    expect(await emailsTo(s.fay.email)).toHaveLength(0);
  });
});
