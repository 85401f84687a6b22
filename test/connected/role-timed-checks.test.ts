// The timed checks of roles wired with real adapters: DynamoStore and DynamoRoleStore
// on DynamoDB Local, SesMailer to the SES emulator, the TableScheduler, and an AdjustableClock
// per test that moves forward to when a schedule falls due. Handlers: escalate-vacancy,
// check-facilitator, remind-training-expiry, end-role-terms; and session duties defaulting from
// role holders down to the reminder email. Every test makes up its own organisation and
// addresses, and finds its messages by them.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { ConveneEvent, EventOf, EventType } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { createCheckFacilitator } from "#functions/check-facilitator/handler.ts";
import { createEndRoleTerms } from "#functions/end-role-terms/handler.ts";
import { createEscalateVacancy } from "#functions/escalate-vacancy/handler.ts";
import { createPlanSessionReminders } from "#functions/plan-session-reminders/handler.ts";
import { createRemindTrainingExpiry } from "#functions/remind-training-expiry/handler.ts";
import { createSendSessionReminders } from "#functions/send-session-reminders/handler.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import { FaultInjector } from "#infra/local/fault-injection.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { DynamoActivityStore } from "#adapters/aws/dynamodb/dynamo-activity-store.ts";
import { DynamoCalendarFeedStore } from "#adapters/aws/dynamodb/dynamo-calendar-feed-store.ts";
import { DynamoRsvpStore } from "#adapters/aws/dynamodb/dynamo-rsvp-store.ts";
import { DynamoOverviewStore } from "#adapters/aws/dynamodb/dynamo-overview-store.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoSeriesStore } from "#adapters/aws/dynamodb/dynamo-series-store.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { DynamoVoteStore } from "#adapters/aws/dynamodb/dynamo-vote-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { EndUserMessagingSmsSender } from "#adapters/aws/sms-sender.ts";
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import { AdjustableClock } from "#adapters/local/local-clock.ts";
import { TableScheduler } from "#adapters/local/table-scheduler.ts";
import { DeliveriesIncompleteError, DeliveryInFlightError } from "#delivery/deliver-once.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { assignHolder, stepDown } from "#domain/role-assignment.ts";
import { defaultRoleCatalogue, newGroupRole } from "#domain/role.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import type { Session } from "#domain/session.ts";
import type { TrainingRecord } from "#domain/training.ts";
import type { Log } from "#ports/logger.ts";
import type { Ports, Settings } from "#ports/ports.ts";
import { alertAdminsToVacancy } from "#use-cases/vacancies/alert-admins-to-vacancy.ts";
import { escalateVacancy } from "#use-cases/vacancies/escalate-vacancy.ts";
import { leaveGroupWithRoles } from "#use-cases/roles/role-holders.ts";
import { createMember, joinGroup } from "#use-cases/directory/manage-directory.ts";
import { cancelSession, rescheduleSession, scheduleSession } from "#use-cases/sessions/session-changes.ts";
import { localMetrics } from "#adapters/local/local-metrics.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const tableName = `convene-${randomUUID()}`;
const zone = "Europe/London";
const dayMs = 86_400_000;
const hourMs = 3_600_000;
const silent: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const settings: Settings = {
  publicBaseUrl: "http://127.0.0.1:3000",
  replyDomain: "reply.convene.test",
  fromAddress: "Convene <groups@convene.test>",
  linkSigningSecret: new TextEncoder().encode("role-timed-checks-test-secret-32+bytes"),
};
// Assignments here are set up by the test; the training rule is the domain's, tested there.
const untrainedCatalogue = defaultRoleCatalogue().map((d) => ({ ...d, requiredTrainingIds: [] }));

const clients: { destroy(): void }[] = [];
let base: Ports;
let store: DynamoStore;
let roles: DynamoRoleStore;
let scheduler: TableScheduler;
let startedAt: number;

beforeAll(async () => {
  startedAt = Math.floor(Date.now() / 1000) - 1;
  const dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  const ses = new SESv2Client({ ...local, endpoint: inject("sesEndpoint") });
  const sms = new PinpointSMSVoiceV2Client({ ...local, endpoint: inject("smsEndpoint") });
  clients.push(dynamo, ses, sms);
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
  roles = new DynamoRoleStore(new TableClient(dynamo, tableName));
  scheduler = new TableScheduler(store.doc, tableName);
  base = {
    store,
    votes: new DynamoVoteStore(new TableClient(dynamo, tableName)),
    roles,
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
    sms: new EndUserMessagingSmsSender(sms),
  };
});

afterAll(() => {
  for (const client of clients) client.destroy();
});

// --- fixtures --------------------------------------------------------------------------------

/** Every handler under test, on a clock of the test's own that only it moves. */
const world = () => {
  const clock = new AdjustableClock();
  const ports: Ports = { ...base, clock };
  return {
    clock,
    ports,
    escalate: createEscalateVacancy(ports),
    check: createCheckFacilitator(ports),
    remind: createRemindTrainingExpiry(ports),
    endTerms: createEndRoleTerms(ports),
    plan: createPlanSessionReminders(ports),
    send: createSendSessionReminders(ports),
    /** Moves the clock to `instant` (never back). */
    moveTo: (instant: Date) => clock.advance(Math.max(0, instant.getTime() - clock.now().getTime())),
  };
};
type World = ReturnType<typeof world>;

const address = () => `${randomUUID()}@example.org`;

/** SES (the emulator) that refuses every message to these addresses, as it refuses a rejected one. */
const refusingMailer = (...refused: string[]) => {
  const ses = new SESv2Client({ ...local, endpoint: inject("sesEndpoint") });
  clients.push(ses);
  return new SesMailer(new FaultInjector({ permanent: { emails: refused } }).attach(ses, "ses"));
};

/**
 * An organisation with alert addresses, a London group whose first member coordinates it, and
 * the members, each with an address of their own; the group has taken up the roles given (vacant).
 */
const aGroup = async (w: World, names: string[], roleIds: string[], alertEmails = [address(), address()]) => {
  const o = randomUUID();
  const g = randomUUID();
  const at = w.clock.now().toISOString();
  await store.createOrganisation({ id: o, name: "Northfield Network", alertEmails, createdAt: at });
  const members: Member[] = [];
  for (const name of names)
    members.push(await createMember(w.ports, o, { name, email: address(), reminders: [] }));
  await store.createGroup({
    organisationId: o,
    id: g,
    name: "Riverside Carers' Circle",
    timeZone: zone,
    leadershipModel: "collective",
    coordinatorMemberIds: members.slice(0, 1).map((m) => m.id),
    createdAt: at,
  });
  for (const member of members) await joinGroup(w.ports, o, g, member.id);
  for (const roleId of roleIds)
    await roles.putRole(newGroupRole({ organisationId: o, groupId: g, roleId }, w.clock.now()));
  return { o, g, members, alertEmails, place: { organisationId: o, groupId: g } };
};
type Group = Awaited<ReturnType<typeof aGroup>>;

/** Assigns the member through the store, as the roles API would; returns the RoleFilled. */
const assign = async (w: World, group: Group, roleId: string, member: Member, termEndsAt?: string) => {
  const role = (await roles.getRole(group.o, group.g, roleId))!;
  const now = w.clock.now();
  const changed = assignHolder(
    { roleId, memberId: member.id, ...(termEndsAt === undefined ? {} : { termEndsAt }) },
    { roles: [role], catalogue: untrainedCatalogue, memberIds: group.members.map((m) => m.id), training: [] },
    now,
  );
  const filled = newEvent("RoleFilled", group.place, { roleId, memberId: member.id, how: "assigned" }, now);
  await roles.applyRoleChange({ role: changed, vacancies: [], expectedVersion: role.version }, [filled]);
  return filled;
};

/** The member steps down; returns the RoleVacated. */
const stepDownFrom = async (w: World, group: Group, roleId: string, member: Member) => {
  const role = (await roles.getRole(group.o, group.g, roleId))!;
  const now = w.clock.now();
  const change = stepDown(role, member.id, now);
  const events = change.vacancies.map((v) => newEvent("RoleVacated", group.place, v, now));
  await roles.applyRoleChange({ ...change, expectedVersion: role.version }, events);
  return events[0]!;
};

/** Events of one type an organisation wrote to its outbox (the test scans its own table). */
const outboxOf = async <K extends EventType>(o: string, type: K): Promise<EventOf<K>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.doc.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        FilterExpression: "kind = :outbox AND begins_with(PK, :pk)",
        ExpressionAttributeValues: { ":outbox": "outbox", ":pk": `ORG#${o}#OUTBOX#` },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items
    .map((i) => parseEvent(JSON.parse(i.detail as string)))
    .filter((e): e is EventOf<K> => e.type === type)
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
};

/** An organisation's schedules of one event type, as the table scheduler holds them. */
const schedulesOf = async <K extends EventType>(o: string, type: K) =>
  (await scheduler.due(new Date(Date.now() + 800 * dayMs), 5_000)).flatMap(({ name, event }) => {
    const parsed = parseEvent(event);
    return parsed.organisationId === o && parsed.type === type
      ? [{ name, event: parsed as EventOf<K>, at: new Date(parsed.occurredAt) }]
      : [];
  });

const emailsTo = async (to: string) =>
  (await readSesStore(inject("sesEndpoint"), startedAt)).filter((e) =>
    e.destination.to.some((recipient) => recipient.includes(to)),
  );

const countsTo = async (addresses: string[]) => {
  const all = await readSesStore(inject("sesEndpoint"), startedAt);
  return addresses.map((to) => all.filter((e) => e.destination.to.some((r) => r.includes(to))).length);
};

/** A session `days` ahead at 19:00 London time, scheduled through the use case. */
const aSession = async (
  w: World,
  group: Group,
  days: number,
  facilitatorMemberId?: string,
): Promise<Session> => {
  const day = localDateTimeAt(new Date(w.clock.now().getTime() + days * dayMs), zone).slice(0, 10);
  return scheduleSession(w.ports, group.o, group.g, {
    title: "Monthly meeting",
    startLocal: `${day}T19:00`,
    durationMinutes: 90,
    duties: [],
    ...(facilitatorMemberId ? { facilitatorMemberId } : {}),
  });
};

/**
 * Delivers the events to check-facilitator side by side, then delivers again each that failed,
 * as the bus would: a delivery finding another's claim in flight fails, to be retried.
 */
const deliverTogether = async (w: World, ...events: ConveneEvent[]) => {
  const outcomes = await Promise.allSettled(events.map((event) => w.check(event)));
  for (const [i, outcome] of outcomes.entries())
    if (outcome.status === "rejected") {
      expect(outcome.reason).toBeInstanceOf(DeliveryInFlightError);
      await w.check(events[i]!);
    }
};

const startOf = (session: Session) => sessionStartInstant(session.startLocal, session.timeZone);
const scheduledOf = async (o: string, version: number): Promise<EventOf<"SessionScheduled">> =>
  (await outboxOf(o, "SessionScheduled")).find((e) => e.data.session.version === version)!;

// --- escalation --------------------------------------------------------------------------------

describe("escalating a vacant critical role (escalate-vacancy)", () => {
  test("escalated once after 14 days, however often each trigger comes; each admin emailed once", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["facilitator"]);
    const [ann] = group.members as [Member];
    await assign(w, group, "facilitator", ann);
    const vacated = await stepDownFrom(w, group, "facilitator", ann);
    const vacantSince = vacated.data.vacatedAt;

    await w.escalate(vacated);
    await Promise.all([w.escalate(vacated), w.escalate(vacated)]);
    const schedules = await schedulesOf(group.o, "VacancyEscalationDue");
    expect(schedules).toHaveLength(1);
    const [due] = schedules;
    expect(due!.name).toBe(scheduleName("vacancy-escalation", group.o, group.g, "facilitator", vacantSince));
    expect(due!.at).toEqual(new Date(Date.parse(vacantSince) + 14 * dayMs));
    expect(due!.event.data).toEqual({ roleId: "facilitator", vacantSince });

    // Fired early (a clock skew, a manual redrive): not due yet, nothing raised.
    await w.escalate(due!.event);
    expect(await outboxOf(group.o, "RoleVacancyEscalated")).toHaveLength(0);

    w.moveTo(due!.at);
    await w.escalate(due!.event);
    await Promise.all([w.escalate(due!.event), w.escalate(due!.event)]);
    // The other trigger (the volunteering window's close) finds it done.
    expect(
      await escalateVacancy(w.ports, { ...group.place, roleId: "facilitator", vacantSince }, "corr-1"),
    ).toBe("already-escalated");
    const escalated = await outboxOf(group.o, "RoleVacancyEscalated");
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toMatchObject({ groupId: group.g, data: { roleId: "facilitator", vacantSince } });

    await w.escalate(escalated[0]!);
    await Promise.all([w.escalate(escalated[0]!), w.escalate(escalated[0]!)]);
    expect(await countsTo([...group.alertEmails, ann.email])).toEqual([1, 1, 0]);
    const [email] = await emailsTo(group.alertEmails[0]!);
    expect(email!.subject).toBe("Vacant role: Facilitator in Riverside Carers' Circle");
    expect(email!.body.text).toContain("has been vacant since");
    expect(email!.body.text).toContain("(14 days)");
    expect(email!.body.text).toContain(
      `http://127.0.0.1:3000/organisations/${group.o}/groups/${group.g}/roles`,
    );
    // Vacant since, in the group's zone (London), not UTC.
    expect(email!.body.text).toMatch(/\((GMT|BST)\)/);
  });

  test("an alert address SES refuses stops no other; the retry emails only that one", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["facilitator"]);
    const [ann] = group.members as [Member];
    await assign(w, group, "facilitator", ann);
    const vacated = await stepDownFrom(w, group, "facilitator", ann);
    const vacancy = { ...group.place, roleId: "facilitator", vacantSince: vacated.data.vacatedAt };
    // The refused address comes first: the one after it is emailed all the same.
    const [refused, other] = group.alertEmails as [string, string];

    const failure = await alertAdminsToVacancy(
      { ...w.ports, mailer: refusingMailer(refused) },
      vacancy,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveriesIncompleteError);
    expect(failure).toMatchObject({ failed: 1, total: 2 });
    expect(await countsTo([refused, other])).toEqual([0, 1]);

    expect(await alertAdminsToVacancy(w.ports, vacancy)).toEqual({
      outcome: "alerted",
      addresses: 2,
      sent: 1,
    });
    expect(await countsTo([refused, other])).toEqual([1, 1]);
  });

  test("filled meanwhile: the due trigger raises nothing and nobody is emailed", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example", "Bob Example"], ["facilitator"]);
    const [ann, bob] = group.members as [Member, Member];
    await assign(w, group, "facilitator", ann);
    const vacated = await stepDownFrom(w, group, "facilitator", ann);
    await w.escalate(vacated);
    const [due] = await schedulesOf(group.o, "VacancyEscalationDue");

    await assign(w, group, "facilitator", bob);
    w.moveTo(due!.at);
    await w.escalate(due!.event);
    expect(await outboxOf(group.o, "RoleVacancyEscalated")).toHaveLength(0);

    // And an escalation raised just before the filling emails nobody once it arrives.
    const late = newEvent(
      "RoleVacancyEscalated",
      group.place,
      { roleId: "facilitator", vacantSince: vacated.data.vacatedAt },
      w.clock.now(),
    );
    await w.escalate(late);
    expect(await countsTo(group.alertEmails)).toEqual([0, 0]);
  });

  test("vacant again later: the old vacancy's trigger does nothing, the new vacancy has its own", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["facilitator"]);
    const [ann] = group.members as [Member];
    await assign(w, group, "facilitator", ann);
    const first = await stepDownFrom(w, group, "facilitator", ann);
    await w.escalate(first);
    w.clock.advance(hourMs);
    await assign(w, group, "facilitator", ann);
    w.clock.advance(hourMs);
    const second = await stepDownFrom(w, group, "facilitator", ann);
    await w.escalate(second);

    const schedules = await schedulesOf(group.o, "VacancyEscalationDue");
    expect(schedules.map((s) => s.event.data.vacantSince)).toEqual([
      first.data.vacatedAt,
      second.data.vacatedAt,
    ]);
    w.moveTo(schedules[1]!.at);
    await w.escalate(schedules[0]!.event);
    expect(await outboxOf(group.o, "RoleVacancyEscalated")).toHaveLength(0);
    await w.escalate(schedules[1]!.event);
    expect((await outboxOf(group.o, "RoleVacancyEscalated")).map((e) => e.data.vacantSince)).toEqual([
      second.data.vacatedAt,
    ]);
  });

  test("a role that is not critical never escalates, and plans nothing", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["refreshments"]);
    const [ann] = group.members as [Member];
    await assign(w, group, "refreshments", ann);
    const vacated = await stepDownFrom(w, group, "refreshments", ann);
    await w.escalate(vacated);
    expect(await schedulesOf(group.o, "VacancyEscalationDue")).toHaveLength(0);
    expect(
      await escalateVacancy(
        w.ports,
        { ...group.place, roleId: "refreshments", vacantSince: vacated.data.vacatedAt },
        "corr-1",
      ),
    ).toBe("not-critical");
  });

  test("called at once by two callers together, a vacancy escalates exactly once", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["venue-and-bookings"]);
    const [ann] = group.members as [Member];
    await assign(w, group, "venue-and-bookings", ann);
    const vacated = await stepDownFrom(w, group, "venue-and-bookings", ann);
    const vacancy = { ...group.place, roleId: "venue-and-bookings", vacantSince: vacated.data.vacatedAt };
    const outcomes = await Promise.all([
      escalateVacancy(w.ports, vacancy, "corr-1"),
      escalateVacancy(w.ports, vacancy, "corr-2"),
      escalateVacancy(w.ports, vacancy, "corr-3"),
    ]);
    expect(outcomes.sort()).toEqual(["already-escalated", "already-escalated", "escalated"]);
    expect(await outboxOf(group.o, "RoleVacancyEscalated")).toHaveLength(1);
  });
});

// --- facilitator alerts ------------------------------------------------------------------------

describe("alerting when a session has no facilitator (check-facilitator)", () => {
  test("checks 7 days and 48 hours before; each alert reaches the coordinator and the admins once", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator", "Ann Example"], ["facilitator"]);
    const [cora, ann] = group.members as [Member, Member];
    const session = await aSession(w, group, 10);
    const scheduled = await scheduledOf(group.o, 1);
    await w.check(scheduled);
    await Promise.all([w.check(scheduled), w.check(scheduled)]);

    const checks = await schedulesOf(group.o, "FacilitatorCheckDue");
    expect(checks.map((c) => [c.event.data, c.at])).toEqual([
      [
        { sessionId: session.id, sessionVersion: 1, alert: "early" },
        new Date(startOf(session).getTime() - 7 * dayMs),
      ],
      [
        { sessionId: session.id, sessionVersion: 1, alert: "final" },
        new Date(startOf(session).getTime() - 48 * hourMs),
      ],
    ]);
    const [early, final] = checks as [(typeof checks)[number], (typeof checks)[number]];

    w.moveTo(early.at);
    await w.check(early.event);
    await Promise.all([w.check(early.event), w.check(early.event)]);
    const recipients = [cora.email, ...group.alertEmails, ann.email];
    expect(await countsTo(recipients)).toEqual([1, 1, 1, 0]);
    const [toCora] = await emailsTo(cora.email);
    expect(toCora!.subject).toMatch(/^No facilitator yet: Monthly meeting, /);
    expect(toCora!.body.text).toMatch(/^Hello Cora,/);
    expect(toCora!.body.text).toContain("as a coordinator of Riverside Carers' Circle");
    expect(toCora!.body.text).toContain("Unsubscribe: http://127.0.0.1:3000/api/v1/unsubscribe?token=");
    const [toAdmin] = await emailsTo(group.alertEmails[0]!);
    expect(toAdmin!.body.text).toContain("as an alert address of Northfield Network");
    expect(toAdmin!.body.text).not.toContain("Unsubscribe");

    w.moveTo(final.at);
    await w.check(final.event);
    await w.check(final.event);
    expect(await countsTo(recipients)).toEqual([2, 2, 2, 0]);
    expect((await emailsTo(cora.email)).map((e) => e.subject)).toContainEqual(
      expect.stringMatching(/^Still no facilitator: Monthly meeting, /),
    );
  });

  test("a recipient SES refuses stops no other; the retry emails only that one", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator"], ["facilitator"]);
    const [cora] = group.members as [Member];
    await aSession(w, group, 10);
    await w.check(await scheduledOf(group.o, 1));
    const [early] = await schedulesOf(group.o, "FacilitatorCheckDue");
    w.moveTo(early!.at);
    // Recipients go coordinator first, then the admins: the refused admin is not the last.
    const [refused, other] = group.alertEmails as [string, string];

    const failing = createCheckFacilitator({ ...w.ports, mailer: refusingMailer(refused) });
    const failure = await failing(early!.event).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveriesIncompleteError);
    expect(failure).toMatchObject({ failed: 1, total: 3 });
    expect(await countsTo([cora.email, refused, other])).toEqual([1, 0, 1]);

    await w.check(early!.event);
    expect(await countsTo([cora.email, refused, other])).toEqual([1, 1, 1]);
  });

  test("filled meanwhile: the check finds a facilitator and sends nothing", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator", "Ann Example"], ["facilitator"]);
    const [cora, ann] = group.members as [Member, Member];
    await aSession(w, group, 10);
    await w.check(await scheduledOf(group.o, 1));
    const [early] = await schedulesOf(group.o, "FacilitatorCheckDue");

    await assign(w, group, "facilitator", ann);
    w.moveTo(early!.at);
    await w.check(early!.event);
    expect(await countsTo([cora.email, ...group.alertEmails])).toEqual([0, 0, 0]);
  });

  test("a facilitator named on the session counts while they are a member, and not once they have left", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator", "Ann Example"], ["facilitator"]);
    const [cora, ann] = group.members as [Member, Member];
    await aSession(w, group, 10, ann.id);
    await w.check(await scheduledOf(group.o, 1));
    const [early, final] = await schedulesOf(group.o, "FacilitatorCheckDue");

    w.moveTo(early!.at);
    await w.check(early!.event);
    expect(await countsTo([cora.email, ...group.alertEmails])).toEqual([0, 0, 0]);

    await leaveGroupWithRoles(w.ports, group.o, group.g, ann.id);
    w.moveTo(final!.at);
    await w.check(final!.event);
    expect(await countsTo([cora.email, ...group.alertEmails])).toEqual([1, 1, 1]);
  });

  test("rescheduled meanwhile: the old version's checks send nothing; the new version gets its own", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator"], ["facilitator"]);
    const [cora] = group.members as [Member];
    const session = await aSession(w, group, 10);
    await w.check(await scheduledOf(group.o, 1));
    const v1 = await schedulesOf(group.o, "FacilitatorCheckDue");

    const moved = await rescheduleSession(w.ports, group.o, group.g, session.id, {
      startLocal: `${session.startLocal.slice(0, 10)}T18:00`,
    });
    w.moveTo(v1[0]!.at);
    for (const { event } of v1) await w.check(event);
    expect(await countsTo([cora.email, ...group.alertEmails])).toEqual([0, 0, 0]);

    const rescheduled = (await outboxOf(group.o, "SessionRescheduled"))[0]!;
    await w.check(rescheduled);
    const v2 = (await schedulesOf(group.o, "FacilitatorCheckDue")).filter(
      (c) => c.event.data.sessionVersion === 2,
    );
    expect(v2.map((c) => c.event.data.alert)).toEqual(["final"]); // its early instant has passed
    expect(v2[0]!.at).toEqual(new Date(startOf(moved).getTime() - 48 * hourMs));
    expect(v1.map((c) => c.name)).not.toContain(v2[0]!.name);
  });

  test("a session 3 days ahead is checked at once and gets its final check; one within 48 hours is checked at once", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator"], ["facilitator"]);
    const [cora] = group.members as [Member];
    const soon = await aSession(w, group, 3);
    await w.check(await scheduledOf(group.o, 1));
    const checks = await schedulesOf(group.o, "FacilitatorCheckDue");
    expect(checks.map((c) => c.event.data)).toEqual([
      { sessionId: soon.id, sessionVersion: 1, alert: "final" },
    ]);
    expect((await emailsTo(cora.email)).map((e) => e.subject)).toEqual([
      expect.stringMatching(/^No facilitator yet: /),
    ]);

    const other = await aGroup(w, ["Dee Coordinator"], ["facilitator"]);
    const [dee] = other.members as [Member];
    await aSession(w, other, 1);
    const tomorrow = await scheduledOf(other.o, 1);
    await w.check(tomorrow);
    await w.check(tomorrow);
    expect(await schedulesOf(other.o, "FacilitatorCheckDue")).toHaveLength(0);
    expect(await countsTo([dee.email, ...other.alertEmails])).toEqual([1, 1, 1]);
    expect((await emailsTo(dee.email))[0]!.subject).toMatch(/^Still no facilitator: /);
  });

  test("scheduled 5 days ahead with no facilitator: alerted at once, once however often delivered", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator", "Ann Example"], ["facilitator"]);
    const [cora, ann] = group.members as [Member, Member];
    const session = await aSession(w, group, 5);
    const scheduled = await scheduledOf(group.o, 1);
    await deliverTogether(w, scheduled, scheduled);
    await w.check(scheduled);

    const recipients = [cora.email, ...group.alertEmails, ann.email];
    expect(await countsTo(recipients)).toEqual([1, 1, 1, 0]);
    expect((await emailsTo(cora.email))[0]!.subject).toMatch(/^No facilitator yet: Monthly meeting, /);
    // The final check is still ahead, and says more once it comes.
    const checks = await schedulesOf(group.o, "FacilitatorCheckDue");
    expect(checks.map((c) => c.event.data)).toEqual([
      { sessionId: session.id, sessionVersion: 1, alert: "final" },
    ]);
    w.moveTo(checks[0]!.at);
    await w.check(checks[0]!.event);
    await w.check(checks[0]!.event);
    expect(await countsTo(recipients)).toEqual([2, 2, 2, 0]);
  });

  test("moved to within 7 days: alerted at once for the new time, once", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator"], ["facilitator"]);
    const [cora] = group.members as [Member];
    const session = await aSession(w, group, 10);
    await w.check(await scheduledOf(group.o, 1));
    expect(await countsTo([cora.email])).toEqual([0]);

    const day = localDateTimeAt(new Date(w.clock.now().getTime() + 4 * dayMs), zone).slice(0, 10);
    await rescheduleSession(w.ports, group.o, group.g, session.id, { startLocal: `${day}T19:00` });
    const moved = (await outboxOf(group.o, "SessionRescheduled"))[0]!;
    await deliverTogether(w, moved, moved);
    await w.check(moved);
    expect(await countsTo([cora.email, ...group.alertEmails])).toEqual([1, 1, 1]);
    expect((await emailsTo(cora.email))[0]!.subject).toMatch(/^No facilitator yet: /);
  });

  test("the named facilitator leaves the group 5 days before: alerted at once, once", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator", "Ann Example"], ["facilitator"]);
    const [cora, ann] = group.members as [Member, Member];
    await assign(w, group, "facilitator", ann);
    const session = await aSession(w, group, 10);
    expect(session.facilitatorMemberId).toBe(ann.id);
    await w.check(await scheduledOf(group.o, 1));
    const [early, final] = await schedulesOf(group.o, "FacilitatorCheckDue");
    w.moveTo(early!.at);
    await w.check(early!.event);
    const recipients = [cora.email, ...group.alertEmails];
    expect(await countsTo(recipients)).toEqual([0, 0, 0]);

    w.moveTo(new Date(startOf(session).getTime() - 5 * dayMs));
    await leaveGroupWithRoles(w.ports, group.o, group.g, ann.id);
    const left = await outboxOf(group.o, "MemberLeftGroup");
    const vacated = await outboxOf(group.o, "RoleVacated");
    expect(left).toHaveLength(1);
    expect(vacated.map((e) => e.data.reason)).toEqual(["left-group"]);
    // Both triggers, each delivered more than once, in any order: one alert per address.
    await deliverTogether(w, left[0]!, vacated[0]!, left[0]!);
    await w.check(vacated[0]!);
    expect(await countsTo(recipients)).toEqual([1, 1, 1]);
    expect((await emailsTo(cora.email))[0]!.subject).toMatch(/^No facilitator yet: Monthly meeting, /);

    w.moveTo(final!.at);
    await w.check(final!.event);
    expect(await countsTo(recipients)).toEqual([2, 2, 2]);
  });

  test("the facilitator role falls vacant 5 days before a session that names nobody: alerted at once, once", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator", "Ann Example"], ["facilitator", "refreshments"]);
    const [cora, ann] = group.members as [Member, Member];
    const session = await aSession(w, group, 10);
    expect(session.facilitatorMemberId).toBeUndefined();
    await w.check(await scheduledOf(group.o, 1));
    // Ann takes the role after the session was scheduled: the role holder facilitates.
    await assign(w, group, "facilitator", ann);
    await assign(w, group, "refreshments", ann);
    const [early] = await schedulesOf(group.o, "FacilitatorCheckDue");
    w.moveTo(early!.at);
    await w.check(early!.event);
    const recipients = [cora.email, ...group.alertEmails];
    expect(await countsTo(recipients)).toEqual([0, 0, 0]);

    w.moveTo(new Date(startOf(session).getTime() - 5 * dayMs));
    // Another role falling vacant is no reason to look.
    await w.check(await stepDownFrom(w, group, "refreshments", ann));
    expect(await countsTo(recipients)).toEqual([0, 0, 0]);
    const vacated = await stepDownFrom(w, group, "facilitator", ann);
    await deliverTogether(w, vacated, vacated);
    await w.check(vacated);
    expect(await countsTo(recipients)).toEqual([1, 1, 1]);
  });

  test("a facilitator who leaves more than 7 days before is followed by the early check, not at once", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator", "Ann Example"], ["facilitator"]);
    const [cora, ann] = group.members as [Member, Member];
    await assign(w, group, "facilitator", ann);
    await aSession(w, group, 10);
    await w.check(await scheduledOf(group.o, 1));
    await leaveGroupWithRoles(w.ports, group.o, group.g, ann.id);
    await w.check((await outboxOf(group.o, "MemberLeftGroup"))[0]!);
    await w.check((await outboxOf(group.o, "RoleVacated"))[0]!);
    expect(await countsTo([cora.email, ...group.alertEmails])).toEqual([0, 0, 0]);
    const [early] = await schedulesOf(group.o, "FacilitatorCheckDue");
    w.moveTo(early!.at);
    await w.check(early!.event);
    expect(await countsTo([cora.email, ...group.alertEmails])).toEqual([1, 1, 1]);
  });

  test("a cancelled session is not checked", async () => {
    const w = world();
    const group = await aGroup(w, ["Cora Coordinator"], ["facilitator"]);
    const [cora] = group.members as [Member];
    const session = await aSession(w, group, 10);
    await w.check(await scheduledOf(group.o, 1));
    const [early] = await schedulesOf(group.o, "FacilitatorCheckDue");
    await cancelSession(w.ports, group.o, group.g, session.id);
    w.moveTo(early!.at);
    await w.check(early!.event);
    expect(await countsTo([cora.email, ...group.alertEmails])).toEqual([0, 0, 0]);
  });
});

// --- training expiry ---------------------------------------------------------------------------

describe("reminding a member that their training expires (remind-training-expiry)", () => {
  const recordFor = async (
    w: World,
    group: Group,
    member: Member,
    record: Omit<TrainingRecord, "memberId">,
  ) => {
    const full = { memberId: member.id, ...record };
    const event = newEvent(
      "TrainingRecorded",
      group.place,
      { memberId: member.id, trainingId: record.trainingId },
      w.clock.now(),
    );
    expect(await roles.recordTraining(group.o, full, event)).toBe(true);
    return event;
  };

  test("reminded once, 30 days before, with the roles of theirs that need it", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["facilitator", "refreshments"]);
    const [ann] = group.members as [Member];
    await assign(w, group, "facilitator", ann);
    await assign(w, group, "refreshments", ann);
    const now = w.clock.now();
    const completedAt = new Date(now.getTime() - 300 * dayMs).toISOString();
    const expiresAt = new Date(now.getTime() + 90 * dayMs).toISOString();
    const recorded = await recordFor(w, group, ann, { trainingId: "safeguarding", completedAt, expiresAt });

    await w.remind(recorded);
    await Promise.all([w.remind(recorded), w.remind(recorded)]);
    const schedules = await schedulesOf(group.o, "TrainingExpiryDue");
    expect(schedules).toHaveLength(1);
    expect(schedules[0]!.at).toEqual(new Date(Date.parse(expiresAt) - 30 * dayMs));
    expect(schedules[0]!.event.data).toEqual({ memberId: ann.id, trainingId: "safeguarding", completedAt });

    w.moveTo(schedules[0]!.at);
    await w.remind(schedules[0]!.event);
    await Promise.all([w.remind(schedules[0]!.event), w.remind(schedules[0]!.event)]);
    const emails = await emailsTo(ann.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe("Your safeguarding training expires soon");
    // Facilitator requires safeguarding; refreshments does not.
    expect(emails[0]!.body.text).toContain("- Facilitator in Riverside Carers' Circle");
    expect(emails[0]!.body.text).not.toContain("Refreshments");
    expect(emails[0]!.body.text).toMatch(/expires on .*\((GMT|BST)\)\./);
  });

  test("renewed meanwhile: the old record's reminder sends nothing; the renewal plans its own", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], []);
    const [ann] = group.members as [Member];
    const now = w.clock.now();
    const first = await recordFor(w, group, ann, {
      trainingId: "safeguarding",
      completedAt: new Date(now.getTime() - 300 * dayMs).toISOString(),
      expiresAt: new Date(now.getTime() + 60 * dayMs).toISOString(),
    });
    await w.remind(first);
    const [old] = await schedulesOf(group.o, "TrainingExpiryDue");

    const renewal = await recordFor(w, group, ann, {
      trainingId: "safeguarding",
      completedAt: new Date(now.getTime() - dayMs).toISOString(),
      expiresAt: new Date(now.getTime() + 400 * dayMs).toISOString(),
    });
    await w.remind(renewal);
    w.moveTo(old!.at);
    await w.remind(old!.event);
    expect(await countsTo([ann.email])).toEqual([0]);
    const schedules = await schedulesOf(group.o, "TrainingExpiryDue");
    expect(schedules).toHaveLength(2);
    expect(schedules[1]!.event.data.completedAt).toBe(new Date(now.getTime() - dayMs).toISOString());
  });

  test("expiring within 30 days: reminded at once, once; a training that never expires plans nothing", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], []);
    const [ann] = group.members as [Member];
    const now = w.clock.now();
    const soon = await recordFor(w, group, ann, {
      trainingId: "first-aid",
      completedAt: new Date(now.getTime() - 700 * dayMs).toISOString(),
      expiresAt: new Date(now.getTime() + 10 * dayMs).toISOString(),
    });
    await w.remind(soon);
    await w.remind(soon);
    expect(await schedulesOf(group.o, "TrainingExpiryDue")).toHaveLength(0);
    const emails = await emailsTo(ann.email);
    expect(emails.map((e) => e.subject)).toEqual(["Your first aid training expires soon"]);
    expect(emails[0]!.body.text).not.toContain("You need it for");

    const forever = await recordFor(w, group, ann, {
      trainingId: "facilitation-basics",
      completedAt: new Date(now.getTime() - dayMs).toISOString(),
    });
    await w.remind(forever);
    expect(await schedulesOf(group.o, "TrainingExpiryDue")).toHaveLength(0);
    expect(await countsTo([ann.email])).toEqual([1]);
  });
});

// --- term ends ---------------------------------------------------------------------------------

describe("ending role terms (end-role-terms)", () => {
  test("the term's end vacates the role once, with one RoleVacated, however often it fires", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["treasurer"]);
    const [ann] = group.members as [Member];
    const termEndsAt = new Date(w.clock.now().getTime() + 30 * dayMs).toISOString();
    const filled = await assign(w, group, "treasurer", ann, termEndsAt);

    await w.endTerms(filled);
    await Promise.all([w.endTerms(filled), w.endTerms(filled)]);
    const schedules = await schedulesOf(group.o, "RoleTermEnded");
    expect(schedules).toHaveLength(1);
    expect(schedules[0]!.at).toEqual(new Date(termEndsAt));
    const since = (await roles.getRole(group.o, group.g, "treasurer"))!.holders[0]!.since;
    expect(schedules[0]!.event.data).toEqual({ roleId: "treasurer", memberId: ann.id, since });

    // Before the term's end (fired early): the holder stays.
    await w.endTerms(schedules[0]!.event);
    expect(await outboxOf(group.o, "RoleVacated")).toHaveLength(0);

    w.moveTo(new Date(termEndsAt));
    await Promise.all([w.endTerms(schedules[0]!.event), w.endTerms(schedules[0]!.event)]);
    await w.endTerms(schedules[0]!.event);
    const vacated = await outboxOf(group.o, "RoleVacated");
    expect(vacated).toHaveLength(1);
    expect(vacated[0]!.data).toMatchObject({ roleId: "treasurer", memberId: ann.id, reason: "term-ended" });
    const role = await roles.getRole(group.o, group.g, "treasurer");
    expect(role?.holders).toEqual([]);
    expect(role?.vacantSince).toBe(vacated[0]!.data.vacatedAt);
  });

  test("the old term's trigger never ends a later term of the same member; that term's own does", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["treasurer"]);
    const [ann] = group.members as [Member];
    const firstEnd = new Date(w.clock.now().getTime() + 30 * dayMs).toISOString();
    await w.endTerms(await assign(w, group, "treasurer", ann, firstEnd));
    const [old] = await schedulesOf(group.o, "RoleTermEnded");

    // Ann steps down, then takes the role again on a shorter term, over before the first.
    await stepDownFrom(w, group, "treasurer", ann);
    w.clock.advance(hourMs);
    const secondEnd = new Date(w.clock.now().getTime() + 10 * dayMs).toISOString();
    await w.endTerms(await assign(w, group, "treasurer", ann, secondEnd));
    const second = (await schedulesOf(group.o, "RoleTermEnded")).find((s) => s.name !== old!.name)!;

    w.moveTo(new Date(firstEnd));
    await w.endTerms(old!.event);
    // Only the step-down's RoleVacated: the old trigger found a new `since`.
    expect((await outboxOf(group.o, "RoleVacated")).map((e) => e.data.reason)).toEqual(["stepped-down"]);
    expect((await roles.getRole(group.o, group.g, "treasurer"))?.holders.map((h) => h.memberId)).toEqual([
      ann.id,
    ]);

    await w.endTerms(second.event);
    expect((await outboxOf(group.o, "RoleVacated")).map((e) => e.data.reason)).toEqual([
      "stepped-down",
      "term-ended",
    ]);
  });

  test("a role held without a term plans no end", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example"], ["refreshments"]);
    const [ann] = group.members as [Member];
    await w.endTerms(await assign(w, group, "refreshments", ann));
    expect(await schedulesOf(group.o, "RoleTermEnded")).toHaveLength(0);
  });
});

// --- session duties from role holders ------------------------------------------------------------

describe("session duties defaulting from role holders", () => {
  test("holders of duty roles get their duty in the session and in their reminder", async () => {
    const w = world();
    const group = await aGroup(
      w,
      ["Ann Example", "Bob Example", "Cara Example"],
      ["facilitator", "refreshments"],
    );
    const [ann, bob, cara] = group.members as [Member, Member, Member];
    for (const member of group.members)
      await store.updateMember({ ...member, reminders: [{ channel: "email", offsetMinutes: 2880 }] }, []);
    await assign(w, group, "facilitator", ann);
    await assign(w, group, "refreshments", bob);

    const session = await aSession(w, group, 10);
    expect(session.facilitatorMemberId).toBe(ann.id);
    expect(session.duties).toEqual([
      { kind: "facilitation", holderMemberId: ann.id },
      { kind: "refreshments", holderMemberId: bob.id },
    ]);
    expect((await store.getSession(group.o, group.g, session.id))?.duties).toEqual(session.duties);

    await w.plan(await scheduledOf(group.o, 1));
    const [due] = (await schedulesOf(group.o, "SessionReminderDue")).filter(
      (s) => s.event.data.sessionId === session.id,
    );
    await w.send(due!.event);
    const [toAnn, toBob, toCara] = await Promise.all([ann, bob, cara].map((m) => emailsTo(m.email)));
    expect(toAnn![0]!.body.text).toContain("You're down for: facilitating the session.");
    expect(toBob![0]!.body.text).toContain("You're down for: bringing refreshments.");
    expect(toBob![0]!.body.html).toContain("<li>bringing refreshments</li>");
    expect(toCara![0]!.body.text).not.toContain("You're down for");
  });

  test("an explicit holder stays; a vacant role defaults nothing", async () => {
    const w = world();
    const group = await aGroup(w, ["Ann Example", "Bob Example"], ["facilitator", "refreshments"]);
    const [ann, bob] = group.members as [Member, Member];
    await assign(w, group, "refreshments", bob);
    const day = localDateTimeAt(new Date(w.clock.now().getTime() + 5 * dayMs), zone).slice(0, 10);
    const session = await scheduleSession(w.ports, group.o, group.g, {
      title: "Monthly meeting",
      startLocal: `${day}T19:00`,
      durationMinutes: 90,
      duties: [{ kind: "refreshments", holderMemberId: ann.id }],
    });
    expect(session.facilitatorMemberId).toBeUndefined();
    expect(session.duties).toEqual([{ kind: "refreshments", holderMemberId: ann.id }]);
  });
});
