// Change notices and quiet hours, through the local runtime as `npm start` composes it, its
// engine and clock: a change texted at night waits for 08:00 in the group's zone (emails go at
// once), is texted once then however often its schedule fires, sends nothing if the session
// changed again meanwhile, and goes at once when waiting would leave under 3 hours.

import { randomInt, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, test } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { readSmsSink } from "#infra/local/emulators/sms-sink.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { localDateTimeAt, wallTimeInstant } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { cancelSession, rescheduleSession, scheduleSession } from "#use-cases/sessions/session-changes.ts";
import { recordingLog } from "./api-harness.ts";
import { useLocalRuntime } from "./runtime-harness.ts";

const zone = "Europe/London";
const log = recordingLog();
const { runtime: started } = useLocalRuntime("change-quiet-hours", log);
let engine: LocalEngine;
let startedAt: number;

beforeAll(() => {
  engine = new LocalEngine(started());
  startedAt = Math.floor(Date.now() / 1000) - 1;
});

const ukMobile = () => `+447${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;

/** A London group with one member who takes email and SMS reminders, at a number of their own. */
const aMember = async () => {
  const { ports } = started();
  const { id: o } = await createOrganisation(ports, { name: "Northfield Network" });
  const { id: g } = await createGroup(ports, o, {
    name: "Riverside Carers' Circle",
    timeZone: zone,
    leadershipModel: "collective",
  });
  const member = await createMember(ports, o, {
    name: "Ada",
    email: `m-${randomUUID().slice(0, 8)}@example.org`,
    phone: ukMobile(),
    reminders: [
      { channel: "email", offsetMinutes: 2880 },
      { channel: "sms", offsetMinutes: 60 },
    ],
  });
  await joinGroup(ports, o, g, member.id);
  return { o, g, member };
};

/** Texts of change notices (not reminders, whose own quiet hours move them) to the member. */
const textsTo = async (member: Member) =>
  (await readSmsSink(inject("smsEndpoint"))).filter(
    (m) => m.DestinationPhoneNumber === member.phone && /^(Changed|Cancelled):/.test(m.MessageBody),
  );

const noticeEmailsTo = async (member: Member) =>
  (await readSesStore(inject("sesEndpoint"), startedAt)).filter(
    (e) =>
      e.destination.to.some((to) => to.includes(member.email)) && /^(Changed|Cancelled):/.test(e.subject),
  );

/** A London date two days or more after the local clock's, so every instant of it is ahead. */
const aDayAhead = (days = 2): string => {
  const date = localDateTimeAt(started().clock.now(), zone).slice(0, 10);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
};
const dayAfter = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Settles what is pending, then moves the local clock to `local` London time and settles again. */
const clockTo = async (local: string) => {
  const at = wallTimeInstant(local, zone);
  const ms = at.getTime() - started().clock.now().getTime();
  expect(ms).toBeGreaterThanOrEqual(0);
  await engine.advance(ms);
};

/** The held texts the scheduler holds for an organisation. */
const heldTexts = async (o: string) =>
  (await started().scheduler.due(new Date(Date.now() + 4000 * 86_400_000)))
    .map(({ event }) => parseEvent(event))
    .filter(
      (e): e is Extract<ConveneEvent, { type: "SessionChangeTextDue" }> =>
        e.organisationId === o && e.type === "SessionChangeTextDue",
    );

describe("texting a change in quiet hours", () => {
  test("a change at 23:00 for a session the next evening is texted at 08:00, once, however often it fires", async () => {
    const { ports, publish } = started();
    const { o, g, member } = await aMember();
    const day = aDayAhead();
    const next = dayAfter(day);
    const session = await scheduleSession(ports, o, g, {
      title: "Monthly meeting",
      startLocal: `${next}T19:00`,
      durationMinutes: 90,
      duties: [],
    });
    await clockTo(`${day}T23:00`);
    await rescheduleSession(ports, o, g, session.id, { startLocal: `${next}T19:30` });
    await engine.settle();

    expect(await noticeEmailsTo(member)).toHaveLength(1); // The email is not held.
    expect(await textsTo(member)).toHaveLength(0);
    const [held] = await heldTexts(o);
    expect(held?.data).toEqual({ sessionId: session.id, sessionVersion: 2, notice: "moved" });
    expect(held?.occurredAt).toBe(wallTimeInstant(`${next}T08:00`, zone).toISOString());

    await clockTo(`${next}T07:59`);
    expect(await textsTo(member)).toHaveLength(0);
    await clockTo(`${next}T08:00`);
    const texts = await textsTo(member);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.MessageBody).toMatch(/^Changed: your group now meets .*19:30/);
    expect(await heldTexts(o)).toHaveLength(0);

    // The schedule fires again (at least once, as Scheduler): nothing more is sent.
    await publish([held!]);
    await engine.settle();
    await publish([held!]);
    await engine.settle();
    expect(await textsTo(member)).toHaveLength(1);
    expect(await noticeEmailsTo(member)).toHaveLength(1);
  });

  test("a further change before 08:00 supersedes the held text: only the latest is texted", async () => {
    const { ports } = started();
    const { o, g, member } = await aMember();
    const day = aDayAhead();
    const next = dayAfter(day);
    const session = await scheduleSession(ports, o, g, {
      title: "Monthly meeting",
      startLocal: `${next}T19:00`,
      durationMinutes: 90,
      duties: [],
    });
    await clockTo(`${day}T23:00`);
    await rescheduleSession(ports, o, g, session.id, { startLocal: `${next}T19:30` });
    await engine.settle();
    await clockTo(`${next}T01:00`);
    await cancelSession(ports, o, g, session.id, "venue closed");
    await engine.settle();

    expect((await heldTexts(o)).map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { sessionId: session.id, sessionVersion: 2, notice: "moved" },
        { sessionId: session.id, sessionVersion: 3, notice: "cancelled" },
      ]),
    );
    expect(await noticeEmailsTo(member)).toHaveLength(2);
    expect(await textsTo(member)).toHaveLength(0);

    await clockTo(`${next}T08:00`);
    const texts = await textsTo(member);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.MessageBody).toMatch(/^Cancelled: /);
    expect(await heldTexts(o)).toHaveLength(0);
  });

  test("a change at 22:00 two hours before the session is texted at once", async () => {
    const { ports } = started();
    const { o, g, member } = await aMember();
    const day = aDayAhead();
    const next = dayAfter(day);
    const session = await scheduleSession(ports, o, g, {
      title: "Monthly meeting",
      startLocal: `${next}T00:00`,
      durationMinutes: 90,
      duties: [],
    });
    await clockTo(`${day}T22:00`);
    // Moved to noon: 08:00 would leave 4 hours before the new start, but it was to start at midnight.
    await rescheduleSession(ports, o, g, session.id, { startLocal: `${next}T12:00` });
    await engine.settle();

    expect(await textsTo(member)).toHaveLength(1);
    expect(await noticeEmailsTo(member)).toHaveLength(1);
    expect(await heldTexts(o)).toHaveLength(0);
  });
});
