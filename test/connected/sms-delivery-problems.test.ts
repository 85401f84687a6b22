// Texts that fail for good, against DynamoDB Local and the SMS sink, through the local runtime
// as `npm start` composes it: a text to one of the sink's failure numbers comes back as End
// User Messaging would report it (the SmsDeliverySimulator), the same handler the Lambda entry
// calls marks the number undeliverable once, nothing more is texted to it, the overview counts
// the member unreachable when no channel is left, and a new number makes them reachable again.

import { randomUUID } from "node:crypto";
import { describe, expect, inject, test } from "vitest";
import { createRecordSmsDeliveryProblem } from "#functions/record-delivery-problem/handler.ts";
import { createTrackGroupHealth } from "#functions/track-group-health/handler.ts";
import { readSmsSink } from "#infra/local/emulators/sms-sink.ts";
import type { Member } from "#domain/member.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
  updateMember,
} from "#use-cases/directory/manage-directory.ts";
import { readOrganisationOverview } from "#use-cases/overview/read-organisation-overview.ts";
import { rescheduleSession, scheduleSession } from "#use-cases/sessions/session-changes.ts";
import { notifySessionChange } from "#use-cases/sessions/notify-session-change.ts";
import { recordingLog } from "./api-harness.ts";
import { useLocalRuntime } from "./runtime-harness.ts";

const log = recordingLog();
const { runtime: started, outboxOf } = useLocalRuntime("sms-delivery", log);

// The sink is shared by every test file; each test here texts numbers of its own, sent after it began.
const textsTo = async (phone: string, since: string) =>
  (await readSmsSink(inject("smsEndpoint"))).filter(
    (m) => m.DestinationPhoneNumber === phone && m.receivedAt >= since,
  );

/** An organisation with one London group and one member who takes SMS reminders. */
const aMember = async (phone: string, email = `m-${randomUUID().slice(0, 8)}@example.org`) => {
  const { ports } = started();
  const { id: o } = await createOrganisation(ports, { name: "Northfield Network" });
  const { id: g } = await createGroup(ports, o, {
    name: "Riverside Carers' Circle",
    timeZone: "Europe/London",
    leadershipModel: "collective",
  });
  const member = await createMember(ports, o, {
    name: "Ada",
    email,
    phone,
    reminders: [{ channel: "sms", offsetMinutes: 60 }],
  });
  await joinGroup(ports, o, g, member.id);
  return { o, g, member };
};

const textTo = (member: Member, groupId: string) =>
  started().ports.sms.send({
    to: member.phone!,
    body: "Your group meets tomorrow 19:00.",
    recipient: { organisationId: member.organisationId, groupId, memberId: member.id },
  });

/** The record End User Messaging publishes for a text's final event. */
const smsRecord = (eventType: string, phone: string, context: Record<string, string>, isFinal = true) => ({
  eventType,
  eventVersion: "1.0",
  eventTimestamp: Date.now(),
  isFinal,
  destinationPhoneNumber: phone,
  messageId: randomUUID(),
  context,
});

describe("a member's number that cannot take texts", () => {
  test("TEXT_INVALID marks it once, with one event, however often the failure is reported", async () => {
    const since = new Date().toISOString();
    const phone = "+447700900901";
    const { o, g, member } = await aMember(phone);
    const sent = await textTo(member, g);
    await textTo(member, g); // A second failure of the same number: already marked.

    const marked = await started().ports.store.getMember(o, member.id);
    expect(marked?.phoneUndeliverable).toEqual({
      reason: "invalid-number",
      since: expect.any(String) as string,
      phone,
    });
    const texts = await textsTo(phone, since);
    expect(texts).toHaveLength(2);
    // The text carries its recipient, which the delivery event hands back.
    expect(texts[0]).toMatchObject({
      MessageId: sent.messageId,
      Context: { "convene-organisation": o, "convene-group": g, "convene-member": member.id },
    });

    // A redelivered SNS message changes nothing either.
    const record = createRecordSmsDeliveryProblem(started().ports);
    const context = texts[0]!.Context!;
    expect(await record(smsRecord("TEXT_INVALID", phone, context))).toBe("already");

    const events = (await outboxOf(o)).filter((e) => e.type === "MemberPhoneUndeliverable");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ groupId: g, data: { memberId: member.id, reason: "invalid-number" } });
    expect(JSON.stringify(events[0])).not.toContain(phone);
  });

  test("TEXT_BLOCKED marks it as blocked; TEXT_UNREACHABLE (the phone was off) does not mark it", async () => {
    const blocked = await aMember("+447700900955");
    await textTo(blocked.member, blocked.g);
    expect(
      (await started().ports.store.getMember(blocked.o, blocked.member.id))?.phoneUndeliverable?.reason,
    ).toBe("blocked");

    const off = await aMember("+447700900855");
    await textTo(off.member, off.g);
    expect((await started().ports.store.getMember(off.o, off.member.id))?.phoneUndeliverable).toBeUndefined();
  });

  test("a report that is not final, of nobody's member, of a member gone or of a number since replaced changes nothing", async () => {
    const record = createRecordSmsDeliveryProblem(started().ports);
    const phone = "+447700900123";
    const { o, g, member } = await aMember(phone);
    const context = (memberId: string) => ({
      "convene-organisation": o,
      "convene-group": g,
      "convene-member": memberId,
    });
    expect(await record(smsRecord("TEXT_INVALID", phone, context(member.id), false))).toBe("not-permanent");
    expect(await record(smsRecord("TEXT_INVALID", phone, {}))).toBe("not-to-a-member");
    expect(await record(smsRecord("TEXT_INVALID", phone, context("nobody")))).toBe("no-member");
    expect(await record(smsRecord("TEXT_INVALID", "+447700900124", context(member.id)))).toBe(
      "number-changed",
    );
    expect((await started().ports.store.getMember(o, member.id))?.phoneUndeliverable).toBeUndefined();
    expect(await outboxOf(o)).not.toContainEqual(
      expect.objectContaining({ type: "MemberPhoneUndeliverable" }),
    );
    await expect(record({ eventType: "TEXT_INVALID" })).rejects.toThrow(/destinationPhoneNumber/);
  });

  test("nothing more is texted to it; the overview counts the member unreachable; a new number ends it", async () => {
    const since = new Date().toISOString();
    const label = randomUUID().slice(0, 8);
    const phone = "+447700900902";
    // Their email bounced already: the number was their last channel.
    const { o, g, member } = await aMember(phone, `bounce+${label}@simulator.amazonses.com`);
    const { ports } = started();
    const track = createTrackGroupHealth(ports);
    const health = async () => (await readOrganisationOverview(ports, o, new Date())).groups[0]!;

    const session = await scheduleSession(ports, o, g, {
      title: "Carers' circle",
      startLocal: "2030-03-05T19:00",
      durationMinutes: 90,
      duties: [],
    });
    await ports.mailer.send({
      to: member.email,
      recipient: { organisationId: o, groupId: g, memberId: member.id },
      from: "Convene <r@convene.localhost>",
      subject: "Welcome",
      text: "Hello",
      html: "<p>Hello</p>",
    });
    for (const event of await outboxOf(o)) await track(event);
    expect((await health()).unreachableMembers).toBe(0); // SMS still reaches them.

    const moved = await rescheduleSession(ports, o, g, session.id, { startLocal: "2030-03-06T19:00" });
    await notifySessionChange(
      ports,
      { organisationId: o, groupId: g, sessionId: session.id, version: moved.version },
      "moved",
      { part: "texts" },
    );
    expect(await textsTo(phone, since)).toHaveLength(1);
    expect((await ports.store.getMember(o, member.id))?.phoneUndeliverable?.reason).toBe("invalid-number");

    // The next change is not texted to the number that failed.
    const movedAgain = await rescheduleSession(ports, o, g, session.id, { startLocal: "2030-03-07T19:00" });
    const notified = await notifySessionChange(
      ports,
      { organisationId: o, groupId: g, sessionId: session.id, version: movedAgain.version },
      "moved",
      { part: "texts" },
    );
    expect(notified).toEqual({ deliveries: 0 });
    expect(await textsTo(phone, since)).toHaveLength(1);

    const phoneEvents = (await outboxOf(o)).filter((e) => e.type === "MemberPhoneUndeliverable");
    expect(phoneEvents).toHaveLength(1);
    for (const event of phoneEvents) await track(event);
    expect((await health()).unreachableMembers).toBe(1);

    // A new number is texted again, and makes them reachable.
    const renumbered = await updateMember(ports, o, member.id, { phone: "+447700900777" });
    expect(renumbered.phoneUndeliverable).toBeUndefined();
    expect((await ports.store.getMember(o, member.id))?.phoneUndeliverable).toBeUndefined();
    const changed = (await outboxOf(o)).filter((e) => e.type === "MemberRemindersChanged");
    expect(changed).toHaveLength(1);
    for (const event of changed) await track(event);
    expect((await health()).unreachableMembers).toBe(0);

    // And the next change is texted to it.
    const movedBack = await rescheduleSession(ports, o, g, session.id, { startLocal: "2030-03-08T19:00" });
    await notifySessionChange(
      ports,
      { organisationId: o, groupId: g, sessionId: session.id, version: movedBack.version },
      "moved",
      { part: "texts" },
    );
    expect(await textsTo("+447700900777", since)).toHaveLength(1);
    expect(await textsTo(phone, since)).toHaveLength(1);
  });

  test("logs no number", () => {
    expect(JSON.stringify(log.lines)).not.toMatch(/\+?447700900/);
    expect(log.lines.some((l) => l.message === "SMS delivery problem recorded")).toBe(true);
  });
});
