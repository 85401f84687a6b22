// Answers by text (functions/answer-sms) with real adapters: DynamoStore on DynamoDB Local, the
// End User Messaging SMS adapter to the SMS sink, SES to the SES emulator. The texts that ask
// are sent by the real use cases (a session reminder, a call for volunteers); the member's
// answer goes through the inbound handler (receive-sms), and the SmsReceived it wrote to the
// outbox is handed to answer-sms as the bus would, twice where redelivery matters. The sink is
// shared and never cleared: every test finds its texts by numbers made up for it.

import { randomInt, randomUUID } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import type { ConveneEvent, EventOf } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { createAnswerSms } from "#functions/answer-sms/handler.ts";
import { createCallForVolunteers } from "#functions/call-for-volunteers/handler.ts";
import { createReceiveSms } from "#functions/receive-sms/handler.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { readSmsSink } from "#infra/local/emulators/sms-sink.ts";
import type { Ports, Settings } from "#ports/ports.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { assignRole, setLeadership, stepDownFromRole, takeUpRole } from "#use-cases/roles/role-holders.ts";
import { recordRsvp } from "#use-cases/rsvp/record-rsvp.ts";
import { setRsvpSettings } from "#use-cases/rsvp/set-rsvp-settings.ts";
import { cancelSession, scheduleSession } from "#use-cases/sessions/session-changes.ts";
import { sendSessionReminders } from "#use-cases/sessions/send-session-reminders.ts";
import { adapterPorts } from "./adapter-ports.ts";
import { recordingLog } from "./local-runtime-fixtures.ts";

const tableName = `convene-${randomUUID()}`;
const zone = "Europe/London";
const ourNumber = "+447700900000";
const startedAt = Date.now() / 1000 - 5;
const settings: Settings = {
  publicBaseUrl: "http://127.0.0.1:3000",
  replyDomain: "reply.convene.test",
  fromAddress: "Convene <groups@convene.test>",
  linkSigningSecret: new TextEncoder().encode("answer-sms-test-secret-of-32+bytes!"),
};

const { log, lines } = recordingLog();
let ports: Ports;
let store: DynamoStore;
let destroy: () => void;
let receive: ReturnType<typeof createReceiveSms>;
let answer: ReturnType<typeof createAnswerSms>;

beforeAll(async () => {
  ({ ports, store, destroy } = await adapterPorts(tableName, log, settings));
  receive = createReceiveSms(ports);
  answer = createAnswerSms(ports);
});

afterAll(() => destroy());

// --- fixtures -------------------------------------------------------------------------------

const ukMobile = () => `+447${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;

/** A London group whose members take SMS reminders 2 hours before; `coordinator` by email only. */
const aGroup = async (phones: string[], leadershipModel: "collective" | "rotating" = "collective") => {
  const organisation = await createOrganisation(ports, { name: "Northfield Network" });
  const o = organisation.id;
  const group = await createGroup(ports, o, {
    name: "Riverside Carers' Circle",
    timeZone: zone,
    leadershipModel,
  });
  const members: Member[] = [];
  for (const phone of phones) {
    const member = await createMember(ports, o, {
      name: "Sam Example",
      email: `${randomUUID()}@example.org`,
      phone,
      reminders: [{ channel: "sms", offsetMinutes: 120 }],
    });
    await joinGroup(ports, o, group.id, member.id);
    members.push(member);
  }
  const coordinator = await createMember(ports, o, {
    name: "Cora Ordinator",
    email: `${randomUUID()}@example.org`,
    reminders: [],
  });
  await joinGroup(ports, o, group.id, coordinator.id);
  await setLeadership(ports, o, group.id, { coordinatorMemberIds: [coordinator.id] });
  return { o, g: group.id, members, coordinator };
};

/** A session ten days ahead at 19:00 that asks who is coming, with `capacity` places. */
const anAskingSession = async (o: string, g: string, capacity: number) => {
  const inTenDays = new Date(ports.clock.now().getTime() + 10 * 86_400_000);
  const session = await scheduleSession(ports, o, g, {
    title: "Monthly meeting",
    startLocal: `${localDateTimeAt(inTenDays, zone).slice(0, 10)}T19:00`,
    durationMinutes: 90,
    duties: [],
  });
  const ref = { organisationId: o, groupId: g, sessionId: session.id };
  expect((await setRsvpSettings(ports, ref, { asked: true, capacity, reserved: 0 })).kind).not.toMatch(
    /session/,
  );
  return (await store.getSession(o, g, session.id))!;
};

/** The session's SMS reminders (2 h before), sent as their schedule would. */
const remind = async (session: Awaited<ReturnType<typeof anAskingSession>>) => {
  const start = sessionStartInstant(session.startLocal, session.timeZone).getTime();
  return sendSessionReminders(ports, {
    organisationId: session.organisationId,
    groupId: session.groupId,
    sessionId: session.id,
    sessionVersion: session.version,
    dueAt: new Date(start - 120 * 60_000).toISOString(),
  });
};

const textsTo = async (phone: string) =>
  (await readSmsSink(inject("smsEndpoint"))).filter((m) => m.DestinationPhoneNumber === phone);

const emailsTo = async (address: string) =>
  (await readSesStore(inject("sesEndpoint"), startedAt)).filter((e) =>
    e.destination.to.some((to) => to.includes(address)),
  );

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

/**
 * The member texts `body` (as a reply to our text `repliedTo`, when their phone says so): the
 * inbound handler keeps it, and its SmsReceived is what answer-sms is given.
 */
const texts = async (o: string, from: string, body: string, repliedTo = "") => {
  const inboundMessageId = randomUUID();
  const payload = {
    originationNumber: from,
    destinationNumber: ourNumber,
    messageBody: body,
    inboundMessageId,
    previousPublishedMessageId: repliedTo,
  };
  expect(await receive(JSON.stringify(payload))).toMatchObject({ kind: "received", taken: 1 });
  const received = (await outboxEvents(o)).filter(
    (e): e is EventOf<"SmsReceived"> =>
      e.type === "SmsReceived" && e.data.inboundMessageId === inboundMessageId,
  );
  expect(received).toHaveLength(1);
  return received[0]!;
};

/** What answer-sms logged for its latest event. */
const lastOutcome = () =>
  (lines.filter((l) => l.message === "sms answer handled").at(-1)?.fields?.outcome ?? {}) as Record<
    string,
    unknown
  >;

// --- tests ----------------------------------------------------------------------------------

describe("an answer by text", () => {
  it("RSVP 'no' to the reminder frees the place for the first waiting, once however often it is delivered", async () => {
    const [goer, waiter] = [ukMobile(), ukMobile()];
    const { o, g, members } = await aGroup([goer, waiter]);
    const session = await anAskingSession(o, g, 1);
    for (const member of members) {
      const given = { organisationId: o, groupId: g, sessionId: session.id, memberId: member.id };
      await recordRsvp(ports, { ...given, answer: "yes", source: "link", answeredAt: ports.clock.now() });
    }
    expect((await ports.rsvps.getRsvp(o, session.id, members[1]!.id))?.answer).toBe("yes");

    expect(await remind(session)).toEqual({ sent: 2, alreadySent: 0 });
    const [reminder] = await textsTo(goer);
    expect(reminder!.MessageBody).toMatch(/Reply YES, NO or MAYBE$/);

    const event = await texts(o, goer, "no sorry", reminder!.MessageId);
    await answer(event);
    expect(lastOutcome()).toEqual({ kind: "answered", question: "rsvp", note: "not-coming" });
    await answer(event);
    expect(lastOutcome()).toEqual({ kind: "duplicate" });

    expect(await ports.rsvps.getRsvp(o, session.id, members[0]!.id)).toMatchObject({
      answer: "no",
      source: "sms",
    });
    const events = await outboxEvents(o);
    // The freed place is offered to the first waiting (offer-place texts or emails them).
    expect(events.filter((e) => e.type === "PlaceOffered").map((e) => e.data)).toEqual([
      expect.objectContaining({ memberId: members[1]!.id }),
    ]);
    expect(events.filter((e) => e.type === "RsvpRecorded" && e.data.source === "sms")).toHaveLength(1);
    const replies = (await textsTo(goer)).slice(1).map((t) => t.MessageBody);
    expect(replies).toEqual(["Thanks: you're down as not coming."]);
  });

  it("without a threaded reply, the member's one open question is answered; a cancelled session is explained", async () => {
    const phone = ukMobile();
    const { o, g, members } = await aGroup([phone]);
    const session = await anAskingSession(o, g, 10);
    await remind(session);
    await answer(await texts(o, phone, "Yes I'll be there"));
    expect(lastOutcome()).toEqual({ kind: "answered", question: "rsvp", note: "coming" });
    expect((await ports.rsvps.getRsvp(o, session.id, members[0]!.id))?.answer).toBe("yes");

    const [reminder] = await textsTo(phone);
    await cancelSession(ports, o, g, session.id);
    await answer(await texts(o, phone, "maybe", reminder!.MessageId));
    expect(lastOutcome()).toEqual({ kind: "answered", question: "rsvp", note: "session-cancelled" });
    expect((await ports.rsvps.getRsvp(o, session.id, members[0]!.id))?.answer).toBe("yes");
    expect((await textsTo(phone)).at(-1)!.MessageBody).toMatch(/cancelled, so your answer was not recorded/);
  });

  it("a call for volunteers goes by text to members who chose SMS, and 'I can do it' records the volunteer", async () => {
    const [holder, helper] = [ukMobile(), ukMobile()];
    const { o, g, members } = await aGroup([holder, helper]);
    await takeUpRole(ports, o, g, { roleId: "refreshments" });
    await assignRole(ports, o, g, "refreshments", { memberId: members[0]!.id }, "assigned");
    await stepDownFromRole(ports, o, g, "refreshments", members[0]!.id);
    const vacantSince = (await ports.roles.getRole(o, g, "refreshments"))!.vacantSince!;
    const vacated = newEvent(
      "RoleVacated",
      { organisationId: o, groupId: g },
      { roleId: "refreshments", memberId: members[0]!.id, reason: "stepped-down", vacatedAt: vacantSince },
      ports.clock.now(),
    );
    await createCallForVolunteers(ports)(vacated);
    await createCallForVolunteers(ports)(vacated);
    const calls = await textsTo(helper);
    expect(calls.map((t) => t.MessageBody)).toEqual([
      expect.stringMatching(/needs a new Refreshments.*Reply YES/),
    ]);
    expect(await textsTo(holder)).toEqual([]);

    const event = await texts(o, helper, "I can do it");
    await answer(event);
    expect(lastOutcome()).toEqual({ kind: "answered", question: "call", note: "volunteered" });
    await answer(event);
    expect(lastOutcome()).toEqual({ kind: "duplicate" });
    const vacancy = { organisationId: o, groupId: g, roleId: "refreshments", vacantSince };
    expect((await ports.roles.listVolunteers(vacancy)).map((v) => v.memberId)).toEqual([members[1]!.id]);
    expect((await textsTo(helper)).map((t) => t.MessageBody).slice(1)).toEqual([
      "Thanks for volunteering: we'll be in touch.",
    ]);
  });

  it("a rotation's offer is accepted by text; a later 'yes' to the same text is told the role is filled", async () => {
    const [holder, next] = [ukMobile(), ukMobile()];
    const { o, g, members } = await aGroup([holder, next], "rotating");
    await setLeadership(ports, o, g, { rotationOrder: members.map((m) => m.id) });
    await takeUpRole(ports, o, g, { roleId: "refreshments" });
    await assignRole(ports, o, g, "refreshments", { memberId: members[0]!.id }, "assigned");
    await stepDownFromRole(ports, o, g, "refreshments", members[0]!.id);
    const vacantSince = (await ports.roles.getRole(o, g, "refreshments"))!.vacantSince!;
    await createCallForVolunteers(ports)(
      newEvent(
        "RoleVacated",
        { organisationId: o, groupId: g },
        { roleId: "refreshments", memberId: members[0]!.id, reason: "stepped-down", vacatedAt: vacantSince },
        ports.clock.now(),
      ),
    );
    const [offer] = await textsTo(next);
    expect(offer!.MessageBody).toMatch(/your turn to take on Refreshments.*Reply YES or NO$/);

    await answer(await texts(o, next, "Yes", offer!.MessageId));
    expect(lastOutcome()).toEqual({ kind: "answered", question: "offer", note: "accepted" });
    const role = (await ports.roles.getRole(o, g, "refreshments"))!;
    expect(role.holders.map((h) => h.memberId)).toEqual([members[1]!.id]);

    await answer(await texts(o, next, "yes!", offer!.MessageId));
    expect(lastOutcome()).toEqual({ kind: "answered", question: "offer", note: "role-filled" });
    expect((await textsTo(next)).map((t) => t.MessageBody).slice(1)).toEqual([
      "Thanks: the role is yours. Details follow by email.",
      "Thanks, but that role has been filled (or the call has closed): nothing was recorded.",
    ]);
  });

  it("a text that answers nothing reaches the coordinators unread, once, without the number", async () => {
    const phone = ukMobile();
    const { o, coordinator } = await aGroup([phone]);
    const event = await texts(o, phone, "Running late, can someone save me a seat?");
    await answer(event);
    expect(lastOutcome()).toEqual({ kind: "unread", coordinators: 1 });
    await answer(event);
    expect(lastOutcome()).toEqual({ kind: "duplicate" });

    const emails = await emailsTo(coordinator.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe("Riverside Carers' Circle: a text from a member");
    expect(emails[0]!.body.text).toContain("Running late, can someone save me a seat?");
    expect(emails[0]!.body.text).toContain("Sam Example");
    expect(emails[0]!.body.text).not.toContain(phone);
    expect(emails[0]!.body.text).not.toContain(phone.slice(1));
    expect(await textsTo(phone)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain("Running late");
  });

  it("an answer that could be for two open questions asks which by number, and the pick answers", async () => {
    const phone = ukMobile();
    const { o, g, members } = await aGroup([phone]);
    const first = await anAskingSession(o, g, 10);
    const inTwelveDays = new Date(ports.clock.now().getTime() + 12 * 86_400_000);
    const later = await scheduleSession(ports, o, g, {
      title: "Walk",
      startLocal: `${localDateTimeAt(inTwelveDays, zone).slice(0, 10)}T10:00`,
      durationMinutes: 60,
      duties: [],
    });
    await setRsvpSettings(
      ports,
      { organisationId: o, groupId: g, sessionId: later.id },
      {
        asked: true,
        reserved: 0,
      },
    );
    await remind(first);
    await remind((await store.getSession(o, g, later.id))!);

    await answer(await texts(o, phone, "no"));
    expect(lastOutcome()).toEqual({ kind: "menu", options: 2 });
    const menu = (await textsTo(phone)).at(-1)!.MessageBody;
    expect(menu).toMatch(
      /^Which is your answer for\? Reply 1 for the session .*, Reply 2 for the session .*\.$/,
    );

    await answer(await texts(o, phone, "2"));
    expect(lastOutcome()).toEqual({ kind: "answered", question: "rsvp", note: "not-coming" });
    expect((await ports.rsvps.getRsvp(o, later.id, members[0]!.id))?.answer).toBe("no");
    expect(await ports.rsvps.getRsvp(o, first.id, members[0]!.id)).toBeUndefined();

    // The picked question is answered: the one left is now the member's one open question.
    await answer(await texts(o, phone, "y"));
    expect(lastOutcome()).toEqual({ kind: "answered", question: "rsvp", note: "coming" });
    expect((await ports.rsvps.getRsvp(o, first.id, members[0]!.id))?.answer).toBe("yes");
    expect((await ports.rsvps.getRsvp(o, later.id, members[0]!.id))?.answer).toBe("no");
  });

  it("words that say both yes and no are not guessed: they go to the coordinators", async () => {
    const phone = ukMobile();
    const { o, g, members, coordinator } = await aGroup([phone]);
    const session = await anAskingSession(o, g, 10);
    await remind(session);
    await answer(await texts(o, phone, "yes no"));
    expect(lastOutcome()).toEqual({ kind: "unread", coordinators: 1 });
    expect(await ports.rsvps.getRsvp(o, session.id, members[0]!.id)).toBeUndefined();
    expect(await emailsTo(coordinator.email)).toHaveLength(1);
  });
});
