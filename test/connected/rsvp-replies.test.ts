import { randomBytes, randomUUID } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createReceiveReply, type InboundMail } from "#functions/receive-reply/handler.ts";
import { rsvpLinkRoutes } from "#functions/api/routes/rsvp-links.ts";
import { composeLocalRuntime, type LocalRuntime } from "#infra/local/composition-root.ts";
import { attachmentBytes, readSesStore } from "#infra/local/emulators/ses-local.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { uidOfSession } from "#calendar/uids.ts";
import { rsvpAsk } from "#delivery/send-rsvp-email.ts";
import { verifyRsvpLink } from "#links/rsvp-link.ts";
import { localDateTimeAt } from "#domain/local-time.ts";
import { countsOf, type RsvpRef } from "#domain/rsvp.ts";
import type { Session } from "#domain/session.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { setRsvpSettings } from "#use-cases/rsvp/set-rsvp-settings.ts";
import { rescheduleSession, scheduleSession } from "#use-cases/sessions/session-changes.ts";
import { recordingLog } from "./api-harness.ts";

// Answering an RSVP by reply, by the calendar's Accept/Decline and by a signed link, against
// DynamoDB Local and the SES emulator, with the local engine delivering the events (the
// confirmations and the offer of a freed place). Each trust rule would count wrongly without it.

const replyDomain = "reply.convene.test";
const domain = `rsvp-${randomUUID().slice(0, 8)}.example.org`;
const log = recordingLog();
let runtime: LocalRuntime;
let engine: LocalEngine;
let receive: (mail: InboundMail) => Promise<string>;
let organisationId: string;
let groupId: string;
const members: Record<string, string> = {};
const people = ["ann", "ben", "cat", "dan", "eve"] as const;
type Who = (typeof people)[number];

beforeAll(async () => {
  runtime = await composeLocalRuntime({
    endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
    tableName: `rsvp-${randomUUID()}`,
    settings: {
      publicBaseUrl: "http://127.0.0.1:3000",
      replyDomain,
      fromAddress: "Convene <r@convene.test>",
      linkSigningSecret: randomBytes(32),
    },
    log,
    retry: { maxAttempts: 2, baseDelayMs: 10 },
  });
  engine = new LocalEngine(runtime);
  receive = createReceiveReply(runtime.ports);
  organisationId = (await createOrganisation(runtime.ports, { name: "Reply Network" })).id;
  groupId = (
    await createGroup(runtime.ports, organisationId, {
      name: "Riverside Carers' Circle",
      timeZone: "Europe/London",
      leadershipModel: "collective",
    })
  ).id;
  for (const who of people) {
    const m = await createMember(runtime.ports, organisationId, {
      name: `${who} Person`,
      email: `${who}@${domain}`,
      reminders: [],
    });
    members[who] = m.id;
    await joinGroup(runtime.ports, organisationId, groupId, m.id);
  }
  await engine.settle();
});

afterAll(async () => {
  await engine.stop();
});

/** A session three days ahead at 19:00, asking for answers, with `capacity` places. */
const aSession = async (capacity: number) => {
  const inThreeDays = new Date(runtime.clock.now().getTime() + 3 * 86_400_000);
  const session = await scheduleSession(runtime.ports, organisationId, groupId, {
    title: `Monthly meeting ${randomUUID().slice(0, 4)}`,
    startLocal: `${localDateTimeAt(inThreeDays, "Europe/London").slice(0, 10)}T19:00`,
    durationMinutes: 90,
    duties: [],
  });
  await setRsvpSettings(
    runtime.ports,
    { organisationId, groupId, sessionId: session.id },
    { asked: true, capacity, reserved: 0 },
  );
  await engine.settle();
  return session;
};

const refOf = (session: Session, who: Who): RsvpRef => ({
  organisationId,
  groupId,
  sessionId: session.id,
  memberId: members[who]!,
});
/** What the reminder and every RSVP email carry for the member: the reply address and the three links. */
const askOf = (session: Session, who: Who) => rsvpAsk(runtime.ports, refOf(session, who));

const mime = (o: { from: string; to: string; text?: string; calendar?: string; messageId?: string }) =>
  new MailComposer({
    from: o.from,
    to: o.to,
    subject: "Re: Monthly meeting",
    messageId: o.messageId ?? `<${randomUUID()}@${domain}>`,
    text: o.text ?? "",
    ...(o.calendar ? { icalEvent: { method: "REPLY", content: o.calendar } } : {}),
  })
    .compile()
    .build();

const reply = async (
  session: Session,
  who: Who,
  text: string,
  extra: { from?: string; messageId?: string } = {},
) => {
  const { replyTo } = await askOf(session, who);
  const raw = await mime({
    from: extra.from ?? `${who}@${domain}`,
    to: replyTo,
    text,
    messageId: extra.messageId,
  });
  return { raw, mail: { raw, recipients: [replyTo] } satisfies InboundMail };
};

/** An iTIP REPLY as Google Calendar writes it (folded ATTENDEE line). */
const itip = (uid: string, attendee: string, partstat: "ACCEPTED" | "DECLINED" | "TENTATIVE") =>
  [
    "BEGIN:VCALENDAR",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "VERSION:2.0",
    "METHOD:REPLY",
    "BEGIN:VEVENT",
    `DTSTAMP:${runtime.clock.now().toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`,
    `UID:${uid}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${partstat};CN=Someone`,
    ` Person;X-NUM-GUESTS=0:mailto:${attendee}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");

const calendarReply = async (session: Session, who: Who, ics: string) => {
  const { replyTo } = await askOf(session, who);
  const raw = await mime({ from: `${who}@${domain}`, to: replyTo, calendar: ics, text: "Accepted" });
  return receive({ raw, recipients: [replyTo] });
};

const linkOf = async (session: Session, who: Who, answer: "yes" | "no" | "maybe") =>
  new URL((await askOf(session, who)).links[answer]);

const links = () => rsvpLinkRoutes(runtime.ports);
const answerOf = async (session: Session, who: Who) =>
  (await runtime.ports.rsvps.getRsvp(organisationId, session.id, members[who]!))?.answer;
const countsFor = async (session: Session) =>
  countsOf((await runtime.ports.rsvps.getPlaces(organisationId, session.id))!);
const emailsTo = async (who: Who, subjectStart: string, session: Session) =>
  (await readSesStore(inject("sesEndpoint"))).filter(
    (e) =>
      e.destination.to.join(",").includes(`${who}@${domain}`) &&
      e.subject.startsWith(subjectStart) &&
      e.subject.includes(session.title),
  );

describe("answering by reply, calendar and link", () => {
  it("records each way, confirms each answer once, and offers a freed place to the first waiting, who accepts", async () => {
    const session = await aSession(3);
    // By reply, delivered twice: acts once.
    const ann = await reply(
      session,
      "ann",
      "Yes, see you there!\n\nOn Monday Convene wrote:\n> Reply yes, no or maybe",
    );
    expect(await receive(ann.mail)).toBe("recorded");
    expect(await receive(ann.mail)).toBe("duplicate-message");
    // By the calendar's Accept: the invite's UID, the member as attendee.
    expect(
      await calendarReply(session, "ben", itip(uidOfSession(session), `ben@${domain}`, "ACCEPTED")),
    ).toBe("recorded");
    // By link: GET shows a page and changes nothing; POST records.
    const cat = await linkOf(session, "cat", "yes");
    const page = await links().request(`/rsvp-answer${cat.search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm");
    expect(await answerOf(session, "cat")).toBeUndefined();
    expect((await links().request(`/rsvp-answer${cat.search}`, { method: "POST" })).status).toBe(200);
    expect(await runtime.ports.rsvps.getRsvp(organisationId, session.id, members.cat!)).toMatchObject({
      answer: "yes",
      source: "link",
    });
    // Beyond the three places: the waiting list.
    expect(await receive((await reply(session, "dan", "yes")).mail)).toBe("recorded");
    expect(await receive((await reply(session, "eve", "Count me in")).mail)).toBe("recorded");
    expect(await countsFor(session)).toEqual({ yes: 3, maybe: 0, no: 0, waiting: 2 });
    await engine.settle();
    for (const who of people) expect(await emailsTo(who, "Your answer:", session), who).toHaveLength(1);
    const [waiting] = await emailsTo("dan", "Your answer:", session);
    expect(waiting!.body.text).toContain("waiting list");
    expect(waiting!.replyTo.join()).toMatch(/^rsvp\+[a-z2-7]{26}@reply\.convene\.test$/);

    // Ann declines in her calendar: the place goes to Dan, offered once by email.
    expect(
      await calendarReply(session, "ann", itip(uidOfSession(session), `ann@${domain}`, "DECLINED")),
    ).toBe("recorded");
    expect(await answerOf(session, "ann")).toBe("no");
    await engine.settle();
    const offers = await emailsTo("dan", "A place for you:", session);
    expect(offers).toHaveLength(1);
    expect(await emailsTo("eve", "A place for you:", session)).toHaveLength(0);
    // Dan accepts by reply.
    expect(await receive((await reply(session, "dan", "Yes please")).mail)).toBe("recorded");
    expect(await countsFor(session)).toEqual({ yes: 3, maybe: 0, no: 1, waiting: 1 });
    const places = await runtime.ports.rsvps.getPlaces(organisationId, session.id);
    expect(places!.holders.find((h) => h.memberId === members.dan)?.status).toBe("going");
  });
});

describe("an offer nobody answers", () => {
  it("lapses at its end (the schedule fires once) and passes to the next waiting, each emailed once", async () => {
    const session = await aSession(1);
    expect(await receive((await reply(session, "ann", "yes")).mail)).toBe("recorded");
    expect(await receive((await reply(session, "ben", "yes")).mail)).toBe("recorded");
    expect(await receive((await reply(session, "cat", "yes")).mail)).toBe("recorded");
    expect(await receive((await reply(session, "ann", "Sorry, can't make it")).mail)).toBe("recorded");
    await engine.settle();
    expect(await emailsTo("ben", "A place for you:", session)).toHaveLength(1);
    const places = await runtime.ports.rsvps.getPlaces(organisationId, session.id);
    const offerEndsAt = Date.parse(places!.holders.find((h) => h.memberId === members.ben)!.offerEndsAt!);
    // Ben says nothing; the offer's end comes and the schedule fires.
    await engine.advance(offerEndsAt - runtime.clock.now().getTime() + 60_000);
    await engine.settle();
    const after = await runtime.ports.rsvps.getPlaces(organisationId, session.id);
    expect(after!.holders.map((h) => [h.memberId, h.status])).toEqual([[members.cat, "offered"]]);
    expect(await emailsTo("cat", "A place for you:", session)).toHaveLength(1);
    expect(await emailsTo("ben", "A place for you:", session)).toHaveLength(1);
    expect(await countsFor(session)).toEqual({ yes: 0, maybe: 0, no: 1, waiting: 1 });
  });
});

describe("asking", () => {
  it("a session that asks: its notice says reply yes, no or maybe, to the member's RSVP address, and its invite asks the calendar", async () => {
    const session = await aSession(3);
    const later = `${session.startLocal.slice(0, 11)}20:00`;
    await rescheduleSession(runtime.ports, organisationId, groupId, session.id, { startLocal: later });
    await engine.settle();
    const moved = (await readSesStore(inject("sesEndpoint"))).find(
      (e) => e.destination.to.join().includes(`eve@${domain}`) && e.subject.includes(session.title),
    )!;
    const { replyTo } = await askOf(session, "eve");
    expect(moved.replyTo).toEqual([replyTo]);
    expect(moved.body.text).toContain('Reply "yes", "no" or "maybe"');
    // Three signed links, each for Eve's answer to this session (issued at send time, so read back).
    const urls = [...moved.body.text!.matchAll(/(http:\/\/\S+\/api\/v1\/rsvp-answer\?token=\S+)/g)].map(
      (m) => m[1]!,
    );
    const read = await Promise.all(
      urls.map((url) =>
        verifyRsvpLink(new URL(url).searchParams.get("token")!, runtime.ports.settings.linkSigningSecret),
      ),
    );
    expect(read.map((r) => r.answer)).toEqual(["yes", "no", "maybe"]);
    for (const r of read)
      expect(await runtime.ports.rsvps.resolveRsvpToken(r.rsvpToken)).toEqual(refOf(session, "eve"));
    const invite = moved.attachments.find((a) => a.contentType.startsWith("text/calendar"))!;
    const ics = attachmentBytes(invite).toString("utf8").replace(/\r\n /g, "");
    expect(ics).toMatch(/ATTENDEE;[^\r\n]*RSVP=TRUE[^\r\n]*:MAILTO:eve@/);
    expect(ics).toContain(`:mailto:${replyTo}`);
    // The calendar's Accept of that very invite records a yes.
    const uid = /\r\nUID:([^\r\n]+)/.exec(ics)![1]!;
    expect(await calendarReply(session, "eve", itip(uid, `eve@${domain}`, "ACCEPTED"))).toBe("recorded");
    expect(await answerOf(session, "eve")).toBe("yes");
  });

  it("a session that does not ask keeps its notices as they were", async () => {
    const session = await aSession(3);
    await setRsvpSettings(
      runtime.ports,
      { organisationId, groupId, sessionId: session.id },
      { asked: false, reserved: 0 },
    );
    await rescheduleSession(runtime.ports, organisationId, groupId, session.id, {
      startLocal: `${session.startLocal.slice(0, 11)}20:00`,
    });
    await engine.settle();
    const moved = (await readSesStore(inject("sesEndpoint"))).find(
      (e) => e.destination.to.join().includes(`eve@${domain}`) && e.subject.includes(session.title),
    )!;
    expect(moved.replyTo.join()).not.toContain("rsvp+");
    expect(moved.body.text).not.toContain("maybe");
    const ics = attachmentBytes(
      moved.attachments.find((a) => a.contentType.startsWith("text/calendar"))!,
    ).toString("utf8");
    expect(ics).toContain("RSVP=FALSE");
  });
});

describe("replies that record nothing", () => {
  it("an ambiguous reply is explained once, nothing recorded", async () => {
    const session = await aSession(3);
    const ambiguous = await reply(session, "ann", "yes no");
    expect(await receive(ambiguous.mail)).toBe("ambiguous");
    expect(await receive(ambiguous.mail)).toBe("duplicate-message");
    expect(await answerOf(session, "ann")).toBeUndefined();
    const explained = await emailsTo("ann", "Your answer wasn't recorded:", session);
    expect(explained).toHaveLength(1);
    expect(explained[0]!.body.text).toContain("more than one thing");
  });

  it("a calendar reply for another event or from another attendee, or mail from another address, counts nothing", async () => {
    const session = await aSession(3);
    expect(await calendarReply(session, "ben", itip("another@convene", `ben@${domain}`, "ACCEPTED"))).toBe(
      "unknown-event",
    );
    expect(
      await calendarReply(session, "ben", itip(uidOfSession(session), `cat@${domain}`, "ACCEPTED")),
    ).toBe("other-attendee");
    expect(await receive((await reply(session, "ben", "yes", { from: `someone@${domain}` })).mail)).toBe(
      "not-from-member",
    );
    expect(await answerOf(session, "ben")).toBeUndefined();
    expect(await countsFor(session)).toEqual({ yes: 0, maybe: 0, no: 0, waiting: 0 });
  });

  it("a link that was tampered with is refused with a page, nothing recorded", async () => {
    const session = await aSession(3);
    const link = await linkOf(session, "eve", "maybe");
    const tampered = `/rsvp-answer?token=${encodeURIComponent(`${link.searchParams.get("token")!.slice(0, -2)}xx`)}`;
    expect((await links().request(tampered, { method: "POST" })).status).toBe(400);
    expect(await answerOf(session, "eve")).toBeUndefined();
  });
});
