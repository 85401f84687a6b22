// Filling a vacancy under redelivery (redelivery of each event leaves one outcome):
// call-for-volunteers, fill-vacancy and welcome-role-holder wired with real adapters
// (DynamoDB Local, the SES emulator, the TableScheduler), each event handed over twice, as
// EventBridge and the local bus may do. The organisation and addresses are made up per run.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { createCallForVolunteers } from "#functions/call-for-volunteers/handler.ts";
import { createFillVacancy } from "#functions/fill-vacancy/handler.ts";
import { createWelcomeRoleHolder } from "#functions/welcome-role-holder/handler.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
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
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import { EndUserMessagingSmsSender } from "#adapters/aws/sms-sender.ts";
import { AdjustableClock } from "#adapters/local/local-clock.ts";
import { TableScheduler } from "#adapters/local/table-scheduler.ts";
import { newEvent } from "#domain/new-event.ts";
import { portsOf } from "#functions/ports-of.ts";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { answerRole } from "#use-cases/roles/answer-role.ts";
import type { Log } from "#ports/logger.ts";
import type { Ports } from "#ports/ports.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { assignRole, stepDownFromRole, takeUpRole, volunteerFor } from "#use-cases/roles/role-holders.ts";
import { localMetrics } from "#adapters/local/local-metrics.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const silent: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const clients: { destroy(): void }[] = [];
let ports: Ports;
let tableName: string;
let doc: DynamoStore["doc"];
let startedAt: number;
const clock = new AdjustableClock();

beforeAll(async () => {
  startedAt = Math.floor(Date.now() / 1000) - 1;
  tableName = `convene-${randomUUID()}`;
  const dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  const ses = new SESv2Client({ ...local, endpoint: inject("sesEndpoint") });
  const sms = new PinpointSMSVoiceV2Client({ ...local, endpoint: inject("smsEndpoint") });
  clients.push(dynamo, ses, sms);
  await ensureTable(dynamo, tableName);
  const store = new DynamoStore(dynamo, tableName);
  doc = store.doc;
  const table = new TableClient(dynamo, tableName);
  ports = {
    store,
    votes: new DynamoVoteStore(table),
    roles: new DynamoRoleStore(table),
    series: new DynamoSeriesStore(table),
    overview: new DynamoOverviewStore(table),
    activity: new DynamoActivityStore(table),
    calendarFeeds: new DynamoCalendarFeedStore(table),
    rsvps: new DynamoRsvpStore(table),
    scheduler: new TableScheduler(store.doc, tableName),
    clock,
    log: silent,
    metrics: localMetrics(),
    settings: {
      publicBaseUrl: "http://127.0.0.1:3000",
      replyDomain: "reply.convene.test",
      fromAddress: "Convene <groups@convene.test>",
      linkSigningSecret: new TextEncoder().encode("vacancy-redelivery-test-secret-32+bytes"),
    },
    mailer: new SesMailer(ses),
    sms: new EndUserMessagingSmsSender(sms),
  };
});

afterAll(() => {
  for (const client of clients) client.destroy();
});

const subjectsTo = async (address: string) =>
  (await readSesStore(inject("sesEndpoint"), startedAt))
    .filter((e) => e.destination.to.some((to) => to.includes(address)))
    .map((e) => e.subject);

test("each event of a vacancy, delivered twice, has one outcome", async () => {
  const org = await createOrganisation(ports, { name: "Redelivery Network" });
  const o = org.id;
  const group = await createGroup(ports, o, {
    name: "Twice Told",
    timeZone: "Europe/London",
    leadershipModel: "collective",
  });
  const g = group.id;
  const people = ["Amy", "Bob", "Cy", "Dee"].map((name) => ({ name, email: `${randomUUID()}@example.org` }));
  const members = [];
  for (const person of people) {
    const member = await createMember(ports, o, { ...person, reminders: [] });
    await joinGroup(ports, o, g, member.id);
    members.push(member);
  }
  const [amy, bob, cy, dee] = members as [
    (typeof members)[0],
    (typeof members)[0],
    (typeof members)[0],
    (typeof members)[0],
  ];
  await takeUpRole(ports, o, g, { roleId: "refreshments" });
  await assignRole(ports, o, g, "refreshments", { memberId: amy.id }, "assigned");
  await stepDownFromRole(ports, o, g, "refreshments", amy.id);
  const vacantSince = (await ports.roles.getRole(o, g, "refreshments"))!.vacantSince!;
  const scope = { organisationId: o, groupId: g };
  const twice = async (handle: (e: never) => Promise<void>, event: unknown) => {
    await handle(event as never);
    await handle(event as never);
  };

  // RoleVacated twice: one call each, none to the member who stepped down.
  const call = createCallForVolunteers(ports);
  const vacated = newEvent(
    "RoleVacated",
    scope,
    { roleId: "refreshments", memberId: amy.id, reason: "stepped-down", vacatedAt: vacantSince },
    clock.now(),
  );
  await twice(call, vacated);
  for (const member of [bob, cy, dee])
    expect(await subjectsTo(member.email)).toEqual(["Twice Told needs a volunteer: Refreshments"]);
  expect(await subjectsTo(amy.email)).toEqual([]);

  // VolunteerOffered twice: one thank-you.
  const vacancy = { ...scope, roleId: "refreshments", vacantSince };
  for (const member of [bob, cy]) {
    expect((await volunteerFor(ports, vacancy, member.id)).kind).toBe("recorded");
    expect((await volunteerFor(ports, vacancy, member.id)).kind).toBe("already-volunteered");
    await twice(
      call,
      newEvent("VolunteerOffered", scope, { roleId: "refreshments", memberId: member.id }, clock.now()),
    );
  }
  expect((await subjectsTo(bob.email)).filter((s) => s.startsWith("Thank you"))).toHaveLength(1);

  // VolunteeringClosed twice: one election among the two volunteers.
  clock.advance(7 * 86_400_000 + 60_000);
  const fill = createFillVacancy(ports);
  await twice(
    fill,
    newEvent(
      "VolunteeringClosed",
      scope,
      { roleId: "refreshments", vacantSince, stage: "volunteering" },
      clock.now(),
    ),
  );
  const votes = await ports.votes.listGroupVotes(o, g);
  expect(votes).toHaveLength(1);
  expect(votes[0]!.kind).toBe("election");
  expect(votes[0]!.options.map((option) => option.id)).toEqual([bob.id, cy.id]);

  // VoteClosed twice: Bob takes the role once (one version step, one holder).
  const before = (await ports.roles.getRole(o, g, "refreshments"))!.version;
  const closed = newEvent(
    "VoteClosed",
    scope,
    {
      voteId: votes[0]!.id,
      kind: "election",
      roleId: "refreshments",
      closedEarly: false,
      result: {
        counts: { [bob.id]: 2, [cy.id]: 1 },
        ballots: 3,
        eligible: 4,
        turnout: 0.75,
        quorumMet: true,
        outcome: { kind: "elected", optionId: bob.id },
      },
    },
    clock.now(),
  );
  await twice(fill, closed);
  const filled = (await ports.roles.getRole(o, g, "refreshments"))!;
  expect(filled.holders.map((h) => h.memberId)).toEqual([bob.id]);
  expect(filled.version).toBe(before + 1);

  // RoleFilled twice: one welcome.
  const welcome = createWelcomeRoleHolder(ports);
  await twice(
    welcome,
    newEvent("RoleFilled", scope, { roleId: "refreshments", memberId: bob.id, how: "elected" }, clock.now()),
  );
  expect((await subjectsTo(bob.email)).filter((s) => s.startsWith("Welcome to your role"))).toHaveLength(1);

  // A stale VolunteeringClosed (the vacancy is over) changes nothing and sends nothing.
  const sentBefore = (await subjectsTo(cy.email)).length;
  await fill(
    newEvent(
      "VolunteeringClosed",
      scope,
      { roleId: "refreshments", vacantSince, stage: "objections" },
      clock.now(),
    ),
  );
  expect((await ports.roles.getRole(o, g, "refreshments"))!.holders.map((h) => h.memberId)).toEqual([bob.id]);
  expect(await subjectsTo(cy.email)).toHaveLength(sentBefore);
});

test("an objection to the only volunteer puts them to a vote, and a vote passed fills the role", async () => {
  const org = await createOrganisation(ports, { name: "Objection Network" });
  const o = org.id;
  const group = await createGroup(ports, o, {
    name: "Objectors",
    timeZone: "Europe/London",
    leadershipModel: "collective",
  });
  const g = group.id;
  const [amy, bob, cy] = await Promise.all(
    ["Amy", "Bob", "Cy"].map(async (name) => {
      const member = await createMember(ports, o, {
        name,
        email: `${randomUUID()}@example.org`,
        reminders: [],
      });
      await joinGroup(ports, o, g, member.id);
      return member;
    }),
  );
  await takeUpRole(ports, o, g, { roleId: "refreshments" });
  await assignRole(ports, o, g, "refreshments", { memberId: amy!.id }, "assigned");
  await stepDownFromRole(ports, o, g, "refreshments", amy!.id);
  const vacantSince = (await ports.roles.getRole(o, g, "refreshments"))!.vacantSince!;
  const scope = { organisationId: o, groupId: g };
  const vacancy = { ...scope, roleId: "refreshments", vacantSince };
  const fill = createFillVacancy(ports);
  const closed = (stage: "volunteering" | "objections") =>
    newEvent("VolunteeringClosed", scope, { roleId: "refreshments", vacantSince, stage }, clock.now());

  // Bob alone volunteers; the window closes; Cy objects before the objection window closes.
  expect((await volunteerFor(ports, vacancy, bob!.id)).kind).toBe("recorded");
  clock.advance(7 * 86_400_000 + 60_000);
  await fill(closed("volunteering"));
  await ports.roles.recordVacancyResponse(vacancy, {
    memberId: cy!.id,
    kind: "objected",
    at: clock.now().toISOString(),
  });
  clock.advance(3 * 86_400_000 + 60_000);
  await fill(closed("objections"));

  const [vote] = await ports.votes.listGroupVotes(o, g);
  expect(vote).toMatchObject({ kind: "proposal", roleId: "refreshments", status: "open" });

  await fill(
    newEvent(
      "VoteClosed",
      scope,
      {
        voteId: vote!.id,
        kind: "proposal",
        roleId: "refreshments",
        closedEarly: false,
        result: {
          counts: { yes: 2, no: 1, abstain: 0 },
          ballots: 3,
          eligible: 3,
          turnout: 1,
          quorumMet: true,
          outcome: { kind: "passed" },
        },
      },
      clock.now(),
    ),
  );
  expect((await ports.roles.getRole(o, g, "refreshments"))!.holders.map((h) => h.memberId)).toEqual([
    bob!.id,
  ]);
});

test("an offer declined by link, on the API's own ports, passes on once, by the function that sends", async () => {
  const org = await createOrganisation(ports, { name: "Rotation Network" });
  const o = org.id;
  const group = await createGroup(ports, o, {
    name: "Turn Takers",
    timeZone: "Europe/London",
    leadershipModel: "rotating",
  });
  const g = group.id;
  const members = [];
  for (const name of ["Amy", "Bob", "Cy"]) {
    const member = await createMember(ports, o, {
      name,
      email: `${randomUUID()}@example.org`,
      reminders: [],
    });
    await joinGroup(ports, o, g, member.id);
    members.push(member);
  }
  const [amy, bob, cy] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
  await takeUpRole(ports, o, g, { roleId: "refreshments" });
  await assignRole(ports, o, g, "refreshments", { memberId: amy.id }, "assigned");
  await stepDownFromRole(ports, o, g, "refreshments", amy.id);
  const vacantSince = (await ports.roles.getRole(o, g, "refreshments"))!.vacantSince!;
  const scope = { organisationId: o, groupId: g };
  await createCallForVolunteers(ports)(
    newEvent(
      "RoleVacated",
      scope,
      { roleId: "refreshments", memberId: amy.id, reason: "stepped-down", vacatedAt: vacantSince },
      clock.now(),
    ),
  );
  const offers = async (address: string) =>
    (await subjectsTo(address)).filter((s) => s === "Your turn: Refreshments in Turn Takers");
  // The rotation offers it to one of the two others; the other is next.
  const offered = await Promise.all([bob, cy].map(async (m) => (await offers(m.email)).length));
  expect([...offered].sort()).toEqual([0, 1]);
  const [first, next] = offered[0] === 1 ? [bob, cy] : [cy, bob];
  expect(await offers(first.email)).toHaveLength(1);

  // The first declines twice (a second click), through the API's ports: no mailer there on AWS.
  const ref = {
    ...scope,
    roleId: "refreshments",
    vacantSince,
    purpose: "offer" as const,
    memberId: first.id,
  };
  const api = portsOf(ports, "api");
  expect(await answerRole(api, ref, { kind: "decline" })).toBe("declined");
  expect(await answerRole(api, ref, { kind: "decline" })).toBe("declined");
  expect(await offers(next.email)).toEqual([]);

  // One RoleOfferDeclined in the outbox, written with the decline.
  const outbox = await doc.send(
    new ScanCommand({
      TableName: tableName,
      ConsistentRead: true,
      FilterExpression: "kind = :outbox AND begins_with(PK, :pk)",
      ExpressionAttributeValues: { ":outbox": "outbox", ":pk": `ORG#${o}#OUTBOX#` },
    }),
  );
  const declined = (outbox.Items ?? [])
    .map((item) => JSON.parse(String(item.detail)) as { type: string; data: unknown })
    .filter((event) => event.type === "RoleOfferDeclined");
  expect(declined.map((event) => event.data)).toEqual([
    { roleId: "refreshments", vacantSince, memberId: first.id },
  ]);

  // fill-vacancy, handed it twice: the next member is offered the role once.
  const fill = createFillVacancy(portsOf(ports, "fill-vacancy"));
  const event = newEvent(
    "RoleOfferDeclined",
    scope,
    { roleId: "refreshments", vacantSince, memberId: first.id },
    clock.now(),
  );
  await fill(event);
  await fill(event);
  expect(await offers(next.email)).toHaveLength(1);
  expect(await offers(first.email)).toHaveLength(1);
  expect(await offers(amy.email)).toEqual([]);
});
