// The session handlers (plan-session-reminders, send-session-reminders, notify-session-change)
// wired with real adapters: DynamoStore on DynamoDB Local, SesMailer to the SES emulator, the
// End User Messaging SMS adapter to the SMS sink, the TableScheduler and an AdjustableClock.
// The emulators are shared by the whole suite and never cleared here: every test finds its own
// messages by addresses and numbers made up for it.

import { randomInt, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from "vitest";
import type { ConveneEvent, EventOf } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { createNotifySessionChange } from "#functions/notify-session-change/handler.ts";
import { createPlanSessionReminders } from "#functions/plan-session-reminders/handler.ts";
import { createSendSessionReminders } from "#functions/send-session-reminders/handler.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { readSmsSink } from "#infra/local/emulators/sms-sink.ts";
import { DynamoActivityStore } from "#adapters/aws/dynamodb/dynamo-activity-store.ts";
import { DynamoCalendarFeedStore } from "#adapters/aws/dynamodb/dynamo-calendar-feed-store.ts";
import { DynamoRsvpStore } from "#adapters/aws/dynamodb/dynamo-rsvp-store.ts";
import { DynamoOverviewStore } from "#adapters/aws/dynamodb/dynamo-overview-store.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoSeriesStore } from "#adapters/aws/dynamodb/dynamo-series-store.ts";
import { DynamoVoteStore } from "#adapters/aws/dynamodb/dynamo-vote-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import { EndUserMessagingSmsSender } from "#adapters/aws/sms-sender.ts";
import { AdjustableClock } from "#adapters/local/local-clock.ts";
import { TableScheduler } from "#adapters/local/table-scheduler.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import type { Member, ReminderPreference } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { deliveryKey } from "#domain/reminder-plan.ts";
import { reminderScheduleName } from "#domain/schedule-name.ts";
import type { Session } from "#domain/session.ts";
import { quietWindowAt } from "#domain/sms-quiet-hours.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import type { Log } from "#ports/logger.ts";
import type { Ports, Settings } from "#ports/ports.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { cancelSession, rescheduleSession, scheduleSession } from "#use-cases/sessions/session-changes.ts";
import { localMetrics } from "#adapters/local/local-metrics.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const tableName = `convene-${randomUUID()}`;
const zone = "Europe/London";
const silent: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const settings: Settings = {
  publicBaseUrl: "http://127.0.0.1:3000",
  replyDomain: "reply.convene.test",
  fromAddress: "Convene <groups@convene.test>",
  linkSigningSecret: new TextEncoder().encode("session-reminders-test-secret-32+bytes"),
};

const clients: { destroy(): void }[] = [];
let ports: Ports;
let store: DynamoStore;
let scheduler: TableScheduler;
let startedAt: number;
let plan: EventHandler;
let send: EventHandler;
let notify: EventHandler;

const smsSenderAt = (endpoint: string) => {
  // One attempt per send: a refused connection fails at once instead of after SDK retries.
  const client = new PinpointSMSVoiceV2Client({ ...local, endpoint, maxAttempts: 1 });
  clients.push(client);
  return new EndUserMessagingSmsSender(client);
};

beforeAll(async () => {
  startedAt = Math.floor(Date.now() / 1000) - 1;
  const dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  const ses = new SESv2Client({ ...local, endpoint: inject("sesEndpoint") });
  clients.push(dynamo, ses);
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
  scheduler = new TableScheduler(store.doc, tableName);
  ports = {
    store,
    votes: new DynamoVoteStore(new TableClient(dynamo, tableName)),
    roles: new DynamoRoleStore(new TableClient(dynamo, tableName)),
    series: new DynamoSeriesStore(new TableClient(dynamo, tableName)),
    overview: new DynamoOverviewStore(new TableClient(dynamo, tableName)),
    activity: new DynamoActivityStore(new TableClient(dynamo, tableName)),
    calendarFeeds: new DynamoCalendarFeedStore(new TableClient(dynamo, tableName)),
    rsvps: new DynamoRsvpStore(new TableClient(dynamo, tableName)),
    scheduler,
    clock: new AdjustableClock(),
    log: silent,
    metrics: localMetrics(),
    settings,
    mailer: new SesMailer(ses),
    sms: smsSenderAt(inject("smsEndpoint")),
  };
  plan = createPlanSessionReminders(ports);
  send = createSendSessionReminders(ports);
  notify = createNotifySessionChange(ports);
});

afterAll(() => {
  for (const client of clients) client.destroy();
});

// --- fixtures -------------------------------------------------------------------------------

const ukMobile = () => `+447${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;

type Person = { name: string; reminders: ReminderPreference[]; phone?: boolean };

/** An organisation, a London group and its members, each with an address of its own. */
const aGroupWith = async (people: Person[]) => {
  const organisation = await createOrganisation(ports, { name: "Northfield Network" });
  const group = await createGroup(ports, organisation.id, {
    name: "Riverside Carers' Circle",
    timeZone: zone,
    leadershipModel: "collective",
  });
  const members: Member[] = [];
  for (const person of people) {
    const member = await createMember(ports, organisation.id, {
      name: person.name,
      email: `${randomUUID()}@example.org`,
      ...(person.phone ? { phone: ukMobile() } : {}),
      reminders: person.reminders,
    });
    await joinGroup(ports, organisation.id, group.id, member.id);
    members.push(member);
  }
  return { o: organisation.id, g: group.id, members };
};

/** A session ten days ahead at 19:00 London time, scheduled through the use case. */
const aSessionOf = (o: string, g: string) => {
  const inTenDays = new Date(ports.clock.now().getTime() + 10 * 86_400_000);
  const startLocal = `${localDateTimeAt(inTenDays, zone).slice(0, 10)}T19:00`;
  return scheduleSession(ports, o, g, {
    title: "Monthly meeting",
    startLocal,
    durationMinutes: 90,
    duties: [],
  });
};

const startOf = (session: Session) => sessionStartInstant(session.startLocal, session.timeZone).getTime();
const minutesBefore = (session: Session, minutes: number) =>
  new Date(startOf(session) - minutes * 60_000).toISOString();

/** The events an organisation's commands wrote to the outbox (a test may Scan; no request path does). */
const outboxEvents = async (o: string): Promise<ConveneEvent[]> => {
  const out = await store.doc.send(
    new ScanCommand({
      TableName: tableName,
      ConsistentRead: true,
      FilterExpression: "kind = :outbox AND begins_with(PK, :pk)",
      ExpressionAttributeValues: { ":outbox": "outbox", ":pk": `ORG#${o}#OUTBOX#` },
    }),
  );
  return (out.Items ?? []).map((i) => parseEvent(JSON.parse(i.detail as string)));
};

const outboxEvent = async <K extends ConveneEvent["type"]>(o: string, type: K, version: number) => {
  const found = (await outboxEvents(o)).filter(
    (e): e is EventOf<K> => e.type === type && "session" in e.data && e.data.session.version === version,
  );
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** The reminder schedules of one organisation, as the scheduler holds them. */
const schedulesOf = async (o: string) =>
  (await scheduler.due(new Date(Date.now() + 400 * 86_400_000))).flatMap(({ name, event }) => {
    const parsed = parseEvent(event);
    return parsed.organisationId === o && parsed.type === "SessionReminderDue"
      ? [{ name, event: parsed }]
      : [];
  });

const emailsTo = async (member: Member) =>
  (await readSesStore(inject("sesEndpoint"), startedAt)).filter((e) =>
    e.destination.to.some((to) => to.includes(member.email)),
  );

const smsTo = async (member: Member) =>
  (await readSmsSink(inject("smsEndpoint"))).filter(
    (m) => member.phone !== undefined && m.DestinationPhoneNumber === member.phone,
  );

const email = (offsetMinutes: number): ReminderPreference => ({ channel: "email", offsetMinutes });
const sms = (offsetMinutes: number): ReminderPreference => ({ channel: "sms", offsetMinutes });

/** Ann: email 2 days and SMS 2 hours before; Bob: email 2 days; Cara: SMS 2 hours; Dev: email 1 day. */
const fourMembers: Person[] = [
  { name: "Ann Example", reminders: [email(2880), sms(120)], phone: true },
  { name: "Bob Example", reminders: [email(2880)] },
  { name: "Cara Example", reminders: [sms(120)], phone: true },
  { name: "Dev Example", reminders: [email(1440)], phone: true },
];

/** A group of the four, a session scheduled for it, and its planned reminder schedules. */
const aPlannedSession = async () => {
  const fixture = await aGroupWith(fourMembers);
  const session = await aSessionOf(fixture.o, fixture.g);
  await plan(await outboxEvent(fixture.o, "SessionScheduled", 1));
  const [ann, bob, cara, dev] = fixture.members as [Member, Member, Member, Member];
  return { ...fixture, session, ann, bob, cara, dev };
};

/** How many emails and SMS each member has received (one read of each store). */
const counts = async (members: Member[]) => {
  const [emails, texts] = await Promise.all([
    readSesStore(inject("sesEndpoint"), startedAt),
    readSmsSink(inject("smsEndpoint")),
  ]);
  return members.map((m) => ({
    email: emails.filter((e) => e.destination.to.some((to) => to.includes(m.email))).length,
    sms: texts.filter((t) => m.phone !== undefined && t.DestinationPhoneNumber === m.phone).length,
  }));
};

// --- planning --------------------------------------------------------------------------------

describe("planning reminders for a scheduled session", () => {
  test("one schedule per distinct instant, each naming its session version and instant", async () => {
    const { o, session } = await aPlannedSession();
    const instants = [
      minutesBefore(session, 2880),
      minutesBefore(session, 1440),
      minutesBefore(session, 120),
    ];
    const schedules = await schedulesOf(o);
    expect(schedules).toHaveLength(3);
    expect(schedules.map((s) => s.event.data)).toEqual(
      instants.map((dueAt) => ({ sessionId: session.id, sessionVersion: 1, dueAt })),
    );
    expect(schedules.map((s) => s.name)).toEqual(
      instants.map((dueAt) =>
        reminderScheduleName({ organisationId: o, sessionId: session.id, sessionVersion: 1, dueAt }),
      ),
    );
    // Each falls due when the clock reaches its instant, not a millisecond before.
    const first = new Date(instants[0]!);
    const dueBefore = (await scheduler.due(new Date(first.getTime() - 1))).map((d) => d.name);
    expect(dueBefore).not.toContain(schedules[0]!.name);
    expect((await scheduler.due(first)).map((d) => d.name)).toContain(schedules[0]!.name);
  });

  test("planning again for the same event (a redelivery) creates no more schedules", async () => {
    const { o } = await aPlannedSession();
    const before = await schedulesOf(o);
    const event = await outboxEvent(o, "SessionScheduled", 1);
    await plan(event);
    await Promise.all([plan(event), plan(event)]);
    expect(await schedulesOf(o)).toEqual(before);
    expect(before).toHaveLength(3);
  });

  test("a session that moved is planned again under its new version; the old event plans nothing", async () => {
    const { o, g, session } = await aPlannedSession();
    const moved = await rescheduleSession(ports, o, g, session.id, {
      startLocal: `${session.startLocal.slice(0, 10)}T18:00`,
    });
    // The SessionScheduled of version 1, delivered late, finds a newer version.
    const stale = await outboxEvent(o, "SessionScheduled", 1);
    const before = await schedulesOf(o);
    await plan(stale);
    expect(await schedulesOf(o)).toEqual(before);

    await plan(await outboxEvent(o, "SessionRescheduled", 2));
    const v2 = (await schedulesOf(o)).filter((s) => s.event.data.sessionVersion === 2);
    expect(v2.map((s) => s.event.data.dueAt)).toEqual([
      minutesBefore(moved, 2880),
      minutesBefore(moved, 1440),
      minutesBefore(moved, 120),
    ]);
  });
});

// --- sending -------------------------------------------------------------------------------

describe("sending the reminders that fall due", () => {
  test("firing every SessionReminderDue twice sends each message once", async () => {
    const { o, ann, bob, cara, dev } = await aPlannedSession();
    const schedules = await schedulesOf(o);
    expect(schedules).toHaveLength(3);
    for (const { event } of schedules) await send(event);
    // Again, and this time concurrently, as a redelivery racing a retry would.
    await Promise.all(schedules.flatMap(({ event }) => [send(event), send(event)]));

    expect(await counts([ann, bob, cara, dev])).toEqual([
      { email: 1, sms: 1 },
      { email: 1, sms: 0 },
      { email: 0, sms: 1 },
      { email: 1, sms: 0 }, // Dev has a phone but asked for email only.
    ]);
    const [annEmail] = await emailsTo(ann);
    expect(annEmail!.subject).toMatch(/^Reminder: Monthly meeting, /);
    expect(annEmail!.attachments.map((a) => a.contentType)).toContain(
      "text/calendar; method=REQUEST; charset=UTF-8",
    );
    const [caraSms] = await smsTo(cara);
    expect(caraSms).toMatchObject({ MessageType: "TRANSACTIONAL" });
    // The neutral wording by default: when, not which group or session (issue 17).
    expect(caraSms!.MessageBody).toMatch(/^Reminder: your group meets /);
    expect(caraSms!.MessageBody).not.toContain("Monthly meeting");
  });

  test("a schedule sends only what falls due at its own instant", async () => {
    const { o, session, ann, bob, cara, dev } = await aPlannedSession();
    const twoHours = (await schedulesOf(o)).find((s) => s.event.data.dueAt === minutesBefore(session, 120))!;
    await send(twoHours.event);
    expect(await counts([ann, bob, cara, dev])).toEqual([
      { email: 0, sms: 1 },
      { email: 0, sms: 0 },
      { email: 0, sms: 1 },
      { email: 0, sms: 0 },
    ]);
  });

  test("a SessionReminderDue for an old version sends nothing", async () => {
    const { o, g, session, ann, bob, cara, dev } = await aPlannedSession();
    const v1 = await schedulesOf(o);
    const moved = await rescheduleSession(ports, o, g, session.id, {
      startLocal: `${session.startLocal.slice(0, 10)}T18:00`,
    });
    for (const { event } of v1) await send(event);
    expect(await counts([ann, bob, cara, dev])).toEqual(Array(4).fill({ email: 0, sms: 0 }));

    // The current version's schedule does send (so the silence above was the version check).
    await plan(await outboxEvent(o, "SessionRescheduled", 2));
    const v2TwoHours = (await schedulesOf(o)).find(
      (s) => s.event.data.sessionVersion === 2 && s.event.data.dueAt === minutesBefore(moved, 120),
    )!;
    await send(v2TwoHours.event);
    const afterV2 = [
      { email: 0, sms: 1 },
      { email: 0, sms: 0 },
      { email: 0, sms: 1 },
      { email: 0, sms: 0 },
    ];
    expect(await counts([ann, bob, cara, dev])).toEqual(afterV2);

    // Once cancelled, neither the older schedules nor one for the current version send.
    await cancelSession(ports, o, g, session.id);
    for (const { event } of await schedulesOf(o)) await send(event);
    await send(
      newEvent(
        "SessionReminderDue",
        { organisationId: o, groupId: g },
        { sessionId: session.id, sessionVersion: 3, dueAt: minutesBefore(moved, 2880) },
        ports.clock.now(),
      ),
    );
    expect(await counts([ann, bob, cara, dev])).toEqual(afterV2);
  });

  test("a failed send gives its claim back, so the retry sends, once", async () => {
    const { o, g, members } = await aGroupWith([
      { name: "Cara Example", reminders: [sms(120)], phone: true },
    ]);
    const cara = members[0]!;
    const session = await aSessionOf(o, g);
    await plan(await outboxEvent(o, "SessionScheduled", 1));
    const [schedule] = await schedulesOf(o);

    const broken = createSendSessionReminders({ ...ports, sms: smsSenderAt(await aClosedPort()) });
    await expect(broken(schedule!.event)).rejects.toThrow();
    expect(await smsTo(cara)).toHaveLength(0);
    const key = deliveryKey(session, { memberId: cara.id, channel: "sms", offsetMinutes: 120 });
    const { PK, SK } = keys.delivery(o, key);
    const claim = await store.doc.send(
      new GetCommand({ TableName: tableName, Key: { PK, SK }, ConsistentRead: true }),
    );
    expect(claim.Item).toBeUndefined();

    await send(schedule!.event);
    await send(schedule!.event);
    expect(await smsTo(cara)).toHaveLength(1);
  });
});

// --- changes ---------------------------------------------------------------------------------

describe("telling members that a session changed", () => {
  // Texts of a change wait for the group's quiet hours to end (session-change-quiet-hours.test.ts);
  // these tests tell at once, so they run at noon in the group's zone whatever the hour.
  beforeEach(() => {
    const now = ports.clock.now();
    const quiet = quietWindowAt(now, zone);
    if (quiet) (ports.clock as AdjustableClock).advance(quiet.ends.getTime() + 4 * 3_600_000 - now.getTime());
  });

  test("a reschedule is told once per member and channel, however often the event comes", async () => {
    const { o, g, session, ann, bob, cara, dev } = await aPlannedSession();
    await rescheduleSession(ports, o, g, session.id, {
      startLocal: `${session.startLocal.slice(0, 10)}T18:00`,
    });
    const event = await outboxEvent(o, "SessionRescheduled", 2);
    await notify(event);
    await Promise.all([notify(event), notify(event)]);

    // Email for all; SMS too for those who take SMS reminders.
    expect(await counts([ann, bob, cara, dev])).toEqual([
      { email: 1, sms: 1 },
      { email: 1, sms: 0 },
      { email: 1, sms: 1 },
      { email: 1, sms: 0 },
    ]);
    const [bobEmail] = await emailsTo(bob);
    expect(bobEmail!.subject).toMatch(/^Changed: Monthly meeting, now .*18:00/);
  });

  test("a cancellation is told once; the earlier change, delivered late, tells nothing", async () => {
    const { o, g, session, ann, bob, cara, dev } = await aPlannedSession();
    await rescheduleSession(ports, o, g, session.id, {
      startLocal: `${session.startLocal.slice(0, 10)}T18:00`,
    });
    await cancelSession(ports, o, g, session.id, "venue closed");
    await notify(await outboxEvent(o, "SessionRescheduled", 2));
    expect(await counts([ann, bob, cara, dev])).toEqual(Array(4).fill({ email: 0, sms: 0 }));

    const cancelled = await outboxEvent(o, "SessionCancelled", 3);
    await notify(cancelled);
    await notify(cancelled);
    expect(await counts([ann, bob, cara, dev])).toEqual([
      { email: 1, sms: 1 },
      { email: 1, sms: 0 },
      { email: 1, sms: 1 },
      { email: 1, sms: 0 },
    ]);
    const [devEmail] = await emailsTo(dev);
    expect(devEmail!.subject).toMatch(/^Cancelled: Monthly meeting/);
  });
});

/** A port nothing listens on: bound, then closed again. */
const aClosedPort = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
};
