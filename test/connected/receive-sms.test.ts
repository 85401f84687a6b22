// The inbound SMS handler (functions/receive-sms) with real adapters: DynamoStore on DynamoDB
// Local and the End User Messaging SMS adapter to the SMS sink. The sink is shared by the suite
// and never cleared here: every test finds its texts by numbers made up for it.

import { randomInt, randomUUID } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import type { Session } from "#domain/session.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { createReceiveSms } from "#functions/receive-sms/handler.ts";
import { readSmsSink } from "#infra/local/emulators/sms-sink.ts";
import type { Ports, Settings } from "#ports/ports.ts";
import { SmsRecipientOptedOutError } from "#ports/sms-sender.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { scheduleSession } from "#use-cases/sessions/session-changes.ts";
import { sendSessionReminders } from "#use-cases/sessions/send-session-reminders.ts";
import { adapterPorts } from "./adapter-ports.ts";
import { recordingLog } from "./local-runtime-fixtures.ts";

const tableName = `convene-${randomUUID()}`;
const zone = "Europe/London";
const ourNumber = "+447700900000";
const settings: Settings = {
  publicBaseUrl: "http://127.0.0.1:3000",
  replyDomain: "reply.convene.test",
  fromAddress: "Convene <groups@convene.test>",
  linkSigningSecret: new TextEncoder().encode("receive-sms-test-secret-of-32+bytes"),
};

const clients: { destroy(): void }[] = [];
const { log, lines } = recordingLog();
let ports: Ports;
let store: DynamoStore;
let receive: ReturnType<typeof createReceiveSms>;

beforeAll(async () => {
  const built = await adapterPorts(tableName, log, settings);
  clients.push({ destroy: built.destroy });
  ({ ports, store } = built);
  receive = createReceiveSms(ports);
});

afterAll(() => {
  for (const client of clients) client.destroy();
});

// --- fixtures -------------------------------------------------------------------------------

const ukMobile = () => `+447${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;

/** An organisation with a London group, and members who take SMS reminders 2 hours before. */
const aGroupTextedBy = async (phones: string[], organisationName = "Northfield Network") => {
  const organisation = await createOrganisation(ports, { name: organisationName });
  const group = await createGroup(ports, organisation.id, {
    name: "Riverside Carers' Circle",
    timeZone: zone,
    leadershipModel: "collective",
  });
  const members: Member[] = [];
  for (const phone of phones) {
    const member = await createMember(ports, organisation.id, {
      name: "Sam Example",
      email: `${randomUUID()}@example.org`,
      phone,
      reminders: [{ channel: "sms", offsetMinutes: 120 }],
    });
    await joinGroup(ports, organisation.id, group.id, member.id);
    members.push(member);
  }
  return { o: organisation.id, g: group.id, members };
};

/** A text from `from` as AWS publishes it to the SNS topic (the message JSON). */
const textFrom = (from: string, body: string, inboundMessageId: string = randomUUID()) =>
  JSON.stringify({
    originationNumber: from,
    destinationNumber: ourNumber,
    messageKeyword: "KEYWORD_123456789012",
    messageBody: body,
    inboundMessageId,
    previousPublishedMessageId: "",
  });

const textsTo = async (phone: string) =>
  (await readSmsSink(inject("smsEndpoint"))).filter((m) => m.DestinationPhoneNumber === phone);

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
const eventTypes = async (o: string) => (await outboxEvents(o)).map((e) => e.type).sort();

/** A session ten days ahead at 19:00, and its SMS reminders (2 h before) sent as the schedule would. */
const remindersOfASession = async (o: string, g: string) => {
  const inTenDays = new Date(ports.clock.now().getTime() + 10 * 86_400_000);
  const session: Session = await scheduleSession(ports, o, g, {
    title: "Monthly meeting",
    startLocal: `${localDateTimeAt(inTenDays, zone).slice(0, 10)}T19:00`,
    durationMinutes: 90,
    duties: [],
  });
  const start = sessionStartInstant(session.startLocal, session.timeZone).getTime();
  return sendSessionReminders(ports, {
    organisationId: o,
    groupId: g,
    sessionId: session.id,
    sessionVersion: session.version,
    dueAt: new Date(start - 120 * 60_000).toISOString(),
  });
};

// --- tests ----------------------------------------------------------------------------------

describe("an inbound SMS", () => {
  it("STOP withdraws SMS consent at once, confirms once however often it is delivered, and no reminder SMS follows", async () => {
    const stopper = ukMobile();
    const stayer = ukMobile();
    const { o, g, members } = await aGroupTextedBy([stopper, stayer]);
    const text = textFrom(stopper, "Stop please");

    expect(await receive(text)).toEqual({ kind: "opted-out", members: 1, changed: 1, reply: "sent" });
    expect(await receive(text)).toEqual({ kind: "opted-out", members: 1, changed: 0, reply: "already-sent" });

    const member = (await store.getMember(o, members[0]!.id))!;
    expect(member.smsConsent).toMatchObject({ state: "withdrawn", how: "keyword", wordingVersion: "v0" });
    const history = await store.listConsentRecords(o, member.id, "sms");
    expect(history).toEqual([
      expect.objectContaining({ memberId: member.id, channel: "sms", state: "withdrawn", how: "keyword" }),
    ]);
    const confirmations = await textsTo(stopper);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.MessageBody).toMatch(/^Northfield Network: you will get no more texts.*START/);
    expect((await eventTypes(o)).filter((t) => t.startsWith("MemberSms"))).toEqual(["MemberSmsOptedOut"]);

    // The member who stayed is reminded by text; the one who stopped is not.
    expect(await remindersOfASession(o, g)).toEqual({ sent: 1, alreadySent: 0 });
    expect(await textsTo(stopper)).toHaveLength(1);
    expect((await textsTo(stayer)).map((m) => m.MessageBody)).toHaveLength(1);
  });

  it("START gives SMS consent again: history kept, reminders by text again", async () => {
    const phone = ukMobile();
    const { o, g, members } = await aGroupTextedBy([phone]);
    await receive(textFrom(phone, "STOP"));
    expect(await receive(textFrom(phone, " unstop."))).toEqual({
      kind: "opted-in",
      members: 1,
      changed: 1,
      reply: "sent",
    });
    // A second START, a new text: consent already stands, it is confirmed again.
    expect(await receive(textFrom(phone, "Start"))).toMatchObject({ kind: "opted-in", changed: 0 });

    const history = await store.listConsentRecords(o, members[0]!.id, "sms");
    expect(history.map((r) => r.state)).toEqual(["withdrawn", "given"]);
    expect((await store.getMember(o, members[0]!.id))!.smsConsent?.state).toBe("given");
    expect((await eventTypes(o)).filter((t) => t.startsWith("MemberSms"))).toEqual([
      "MemberSmsOptedIn",
      "MemberSmsOptedOut",
    ]);
    const texts = (await textsTo(phone)).map((m) => m.MessageBody);
    expect(texts).toHaveLength(3);
    expect(texts[1]).toMatch(/texts are back on/);
    expect(await remindersOfASession(o, g)).toEqual({ sent: 1, alreadySent: 0 });
  });

  it("mirrors an opt-out AWS matched on its own list, whatever the text says", async () => {
    const phone = ukMobile();
    const { o, members } = await aGroupTextedBy([phone]);
    const text = JSON.stringify({ ...JSON.parse(textFrom(phone, "no more")), messageKeyword: "stop" });
    expect(await receive(text)).toMatchObject({ kind: "opted-out", changed: 1 });
    expect((await store.getMember(o, members[0]!.id))!.smsConsent?.state).toBe("withdrawn");
  });

  it("on a number the provider's opt-out list holds (AWS answered STOP itself), STOP is mirrored and our refused reply is no error", async () => {
    const phone = ukMobile();
    const { o, members } = await aGroupTextedBy([phone]);
    const optOut = await fetch(`${inject("smsEndpoint")}/opt-outs`, {
      method: "POST",
      body: JSON.stringify({ phone }),
    });
    expect(optOut.status).toBe(204);
    await expect(ports.sms.send({ to: phone, body: "hello" })).rejects.toBeInstanceOf(
      SmsRecipientOptedOutError,
    );

    const text = textFrom(phone, "STOP");
    expect(await receive(text)).toEqual({
      kind: "opted-out",
      members: 1,
      changed: 1,
      reply: "provider-opted-out",
    });
    expect(await receive(text)).toEqual({
      kind: "opted-out",
      members: 1,
      changed: 0,
      reply: "provider-opted-out",
    });
    expect((await store.getMember(o, members[0]!.id))!.smsConsent?.state).toBe("withdrawn");
    expect(await textsTo(phone)).toEqual([]);
  });

  it("HELP answers once with the organisation's name and how to stop, and changes nothing", async () => {
    const phone = ukMobile();
    const { o, members } = await aGroupTextedBy([phone], "Eastgate Carers");
    const text = textFrom(phone, "help?");
    expect(await receive(text)).toEqual({ kind: "help", reply: "sent" });
    expect(await receive(text)).toEqual({ kind: "help", reply: "already-sent" });
    const texts = await textsTo(phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.MessageBody).toMatch(/^Eastgate Carers: .*Reply STOP to stop texts\.$/);
    expect((await store.getMember(o, members[0]!.id))!.smsConsent).toBeUndefined();
    expect(await store.listConsentRecords(o, members[0]!.id, "sms")).toEqual([]);
  });

  it("from a number no member has: nothing is answered or written", async () => {
    const stranger = ukMobile();
    for (const body of ["STOP", "HELP", "yes"])
      expect(await receive(textFrom(stranger, body))).toEqual({ kind: "unknown-number" });
    expect(await textsTo(stranger)).toEqual([]);
  });

  it("an answer is kept once with SmsReceived, however often the same text is delivered", async () => {
    const phone = ukMobile();
    const { o, g, members } = await aGroupTextedBy([phone]);
    const inboundMessageId = randomUUID();
    const text = JSON.stringify({
      ...JSON.parse(textFrom(phone, "  Yes, I can do it ", inboundMessageId)),
      previousPublishedMessageId: "published-1",
    });
    expect(await receive(text)).toEqual({ kind: "received", members: 1, taken: 1 });
    expect(await receive(text)).toEqual({ kind: "received", members: 1, taken: 0 });
    const received = (await outboxEvents(o)).filter((e) => e.type === "SmsReceived");
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      groupId: g,
      data: { memberId: members[0]!.id, inboundMessageId, previousPublishedMessageId: "published-1" },
    });
    expect(await textsTo(phone)).toEqual([]);
  });

  it("a number two organisations' members share: STOP opts out in each, with one confirmation naming both", async () => {
    const phone = ukMobile();
    const first = await aGroupTextedBy([phone], "Alpha Trust");
    const second = await aGroupTextedBy([phone], "Beta Network");
    expect(await receive(textFrom(phone, "STOP"))).toMatchObject({
      kind: "opted-out",
      members: 2,
      changed: 2,
    });
    for (const { o, members } of [first, second])
      expect((await store.getMember(o, members[0]!.id))!.smsConsent?.state).toBe("withdrawn");
    const texts = await textsTo(phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.MessageBody).toContain(": you will get no more texts");
    expect(texts[0]!.MessageBody).toContain("Alpha Trust");
    expect(texts[0]!.MessageBody).toContain("Beta Network");
  });

  it("empty and overlong texts are defined outcomes that change nothing; a malformed payload names its fields", async () => {
    const phone = ukMobile();
    const { o } = await aGroupTextedBy([phone]);
    expect(await receive(textFrom(phone, "  "))).toEqual({ kind: "ignored", reason: "empty" });
    expect(await receive(textFrom(phone, `yes${"!".repeat(1600)}`))).toEqual({
      kind: "ignored",
      reason: "too-long",
    });
    expect(await receive(JSON.stringify({ originationNumber: "07700 900123", messageBody: "hi" }))).toEqual({
      kind: "malformed",
      fields: ["originationNumber", "destinationNumber", "inboundMessageId"],
    });
    expect(await receive("not json")).toMatchObject({ kind: "malformed" });
    expect((await eventTypes(o)).filter((t) => t.startsWith("Sms") || t.startsWith("MemberSms"))).toEqual([]);
    expect(await textsTo(phone)).toEqual([]);
  });

  it("logs the outcome and never the number or the words", () => {
    const logged = JSON.stringify(lines);
    expect(lines.some((l) => l.message === "inbound sms handled")).toBe(true);
    expect(logged).not.toMatch(/\+447\d{9}/);
    expect(logged).not.toMatch(/Stop please|Yes, I can do it|help\?/i);
  });
});
