import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// Who is coming, end to end: a session with three places asks its five members, who answer by
// replying (over real SMTP to the platform's inbound server), with their calendar's Accept and
// by the signed links; one cancels, and the first on the waiting list is offered the place by
// email and takes it.

interface OutboxEmail {
  to: string[];
  replyTo: string[];
  subject: string;
  text: string;
}
interface RsvpSummary {
  asked: boolean;
  capacity?: number;
  counts: { yes: number; maybe: number; no: number; waiting: number };
  answers?: unknown[];
}

const domain = `rsvp-${Date.now()}.example.org`;
const address = (name: string) => `${name}@${domain}`;
const people = ["amy", "bob", "cy", "dee", "eli"];

let platform: Platform;
let api: ReturnType<typeof client>;
let local: ReturnType<typeof client>;
let base: string;
let smtp: ReturnType<typeof nodemailer.createTransport>;

const settle = async () => expect((await local.post("/api/local/settle")).status).toBe(200);
const emailsTo = async (who: string, subjectStart: string) => {
  const { body } = await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox");
  return body.emails.filter(
    (e) => e.to.join(",").includes(address(who)) && e.subject.startsWith(subjectStart),
  );
};

let sent = 0;
/** A reply as a mail client writes it, to the email's Reply-To; with `calendar`, an iTIP REPLY part too. */
const reply = async (to: string, from: string, typed: string, calendar?: string) => {
  const raw = await new MailComposer({
    from,
    to,
    subject: "Re: Monthly meeting",
    messageId: `<rsvp-${++sent}-${Date.now()}@${domain}>`,
    text: `${typed}\n\nOn Tue, 1 Dec 2026 at 10:00, Convene wrote:\n> Reply "yes", "no" or "maybe"\n`,
    ...(calendar ? { icalEvent: { method: "REPLY", content: calendar } } : {}),
  })
    .compile()
    .build();
  await smtp.sendMail({ envelope: { from, to: [to] }, raw });
};

/** Google Calendar's Accept or Decline of the invite. */
const itip = (uid: string, who: string, partstat: "ACCEPTED" | "DECLINED") =>
  [
    "BEGIN:VCALENDAR",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "VERSION:2.0",
    "METHOD:REPLY",
    "BEGIN:VEVENT",
    `DTSTAMP:${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`,
    `UID:${uid}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${partstat};CN=${who}:mailto:${address(who)}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");

/** Follows a link from an email: the page first (which changes nothing), then its Confirm button. */
const follow = async (text: string, label: string) => {
  const url = new RegExp(`${label}: (\\S+)`).exec(text)?.[1];
  expect(url, label).toBeDefined();
  const page = await fetch(url!);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Confirm");
  return (await fetch(url!, { method: "POST" })).status;
};

beforeAll(async () => {
  platform = await launchPlatform();
  local = client(platform.url);
  smtp = nodemailer.createTransport({
    host: "127.0.0.1",
    port: platform.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  const platformToken = (await local.post<{ token: string }>("/api/local/tokens", { role: "platform-admin" }))
    .body.token;
  const org = await local
    .withToken(platformToken)
    .post<{ id: string }>("/api/v1/organisations", { name: "Rsvp Network" });
  const adminToken = (
    await local.post<{ token: string }>("/api/local/tokens", {
      role: "umbrella-admin",
      organisationId: org.body.id,
    })
  ).body.token;
  api = local.withToken(adminToken);
  base = `/api/v1/organisations/${org.body.id}`;
});

afterAll(async () => {
  smtp?.close();
  expect(await platform?.stop()).toBe(0);
});

describe("a session with three places and five members", () => {
  it("fills by reply, calendar and link; a cancellation offers the place to the first waiting, who takes it", async () => {
    const group = await api.post<{ id: string }>(`${base}/groups`, {
      name: "Riverside Circle",
      timeZone: "Europe/London",
    });
    const path = `${base}/groups/${group.body.id}`;
    const ids: Record<string, string> = {};
    for (const who of people) {
      const member = await api.post<{ id: string }>(`${base}/members`, {
        name: `${who} Tester`,
        email: address(who),
      });
      expect((await api.put(`${path}/members/${member.body.id}`)).status).toBe(204);
      ids[who] = member.body.id;
    }
    const day = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
    const session = await api.post<{ id: string }>(`${path}/sessions`, {
      title: "Monthly meeting",
      startLocal: `${day}T19:00`,
      facilitatorMemberId: ids.bob,
    });
    expect(session.status).toBe(201);
    const sessionPath = `${path}/sessions/${session.body.id}`;
    expect((await api.put(`${sessionPath}/rsvp-settings`, { asked: true, capacity: 3 })).status).toBe(200);
    // The session moves: every member's notice asks, with their own reply address and links.
    expect((await api.post(`${sessionPath}/reschedule`, { startLocal: `${day}T18:30` })).status).toBe(200);
    await settle();
    const asks: Record<string, OutboxEmail> = {};
    for (const who of people) {
      const [notice] = await emailsTo(who, "");
      expect(notice, who).toBeDefined();
      expect(notice!.replyTo[0]).toMatch(/^rsvp\+[a-z2-7]{26}@/);
      expect(notice!.text).toContain('Reply "yes", "no" or "maybe"');
      asks[who] = notice!;
    }
    const uid = `${session.body.id}@convene`;

    await reply(asks.amy!.replyTo[0]!, address("amy"), "Yes, see you there");
    await reply(
      asks.bob!.replyTo[0]!,
      address("bob"),
      "Accepted: Monthly meeting",
      itip(uid, "bob", "ACCEPTED"),
    );
    expect(await follow(asks.cy!.text, "Yes, I'm coming")).toBe(200);
    await reply(asks.dee!.replyTo[0]!, address("dee"), "yes");
    expect(await follow(asks.eli!.text, "Yes, I'm coming")).toBe(200);
    await settle();
    const summary = async () => (await api.get<RsvpSummary>(`${sessionPath}/rsvps`)).body;
    expect((await summary()).counts).toEqual({ yes: 3, maybe: 0, no: 0, waiting: 2 });
    expect((await summary()).answers).toBeUndefined(); // an umbrella admin sees counts only
    for (const who of people) expect(await emailsTo(who, "Your answer:"), who).toHaveLength(1);
    expect((await emailsTo("dee", "Your answer:"))[0]!.text).toContain("waiting list");

    // Amy cancels in her calendar: Dee, first on the waiting list, is offered the place.
    await reply(asks.amy!.replyTo[0]!, address("amy"), "Declined", itip(uid, "amy", "DECLINED"));
    await settle();
    const [offer] = await emailsTo("dee", "A place for you:");
    expect(offer).toBeDefined();
    expect(await emailsTo("eli", "A place for you:")).toHaveLength(0);
    expect(await follow(offer!.text, "Yes, I'm coming")).toBe(200);
    await settle();
    expect((await summary()).counts).toEqual({ yes: 3, maybe: 0, no: 1, waiting: 1 });

    // A day before, Bob, who facilitates, hears who is coming, with names (the default lets
    // a group's organisers see them); nobody else gets the summary.
    const { body: clock } = await local.get<{ now: string }>("/api/local/clock");
    const { body: held } = await api.get<{ startsAt: string }>(sessionPath);
    const toSummary = Date.parse(held.startsAt) - 86_400_000 + 60_000 - Date.parse(clock.now);
    expect(toSummary).toBeGreaterThan(0);
    expect((await local.post("/api/local/clock/advance", { minutes: toSummary / 60_000 })).status).toBe(200);
    await settle();
    const summaries = await emailsTo("bob", "Who's coming: Monthly meeting");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.text).toContain("3 people coming");
    expect(summaries[0]!.text).toContain("1 person not coming");
    expect(summaries[0]!.text).toContain("1 person waiting for a place");
    for (const who of ["bob", "cy", "dee"]) expect(summaries[0]!.text).toContain(`${who} Tester`);
    expect(summaries[0]!.text).not.toContain("eli Tester");
    for (const who of people.filter((p) => p !== "bob"))
      expect(await emailsTo(who, "Who's coming"), who).toHaveLength(0);
  });
});
