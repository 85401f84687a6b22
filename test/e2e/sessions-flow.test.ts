import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPortFree } from "#infra/local/emulators/process-group.ts";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// The session-scheduled flow end to end, through HTTP only, against the platform as `npm
// start` runs it: DynamoDB Local, the SES emulator, the SMS sink, the bus, the stream poller
// and the scheduler. The clock is moved with /api/local/clock/advance, which returns once
// everything that fell due has been processed. The demo organisation is seeded too; this
// test only looks at mail for its own addresses.

interface OutboxEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  attachments: { contentType: string; content: string; filename?: string }[];
}
interface OutboxSms {
  DestinationPhoneNumber: string;
  MessageBody: string;
}
interface SessionView {
  id: string;
  version: number;
  startsAt: string;
  status: string;
}

const domain = `e2e-${Date.now()}.example.org`;
const address = (name: string) => `${name}@${domain}`;
const phones = { ben: "+447700900101", cat: "+447700900102" };

let platform: Platform;
let api: ReturnType<typeof client>;
let local: ReturnType<typeof client>;
let base: string;

const now = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
/** Moves the platform's clock to `instant` (plus a margin) and waits until all is processed. */
const advanceTo = async (instant: Date, marginMinutes = 1) => {
  const minutes = (instant.getTime() - (await now()).getTime()) / 60_000 + marginMinutes;
  expect(minutes).toBeGreaterThan(0);
  const r = await local.post("/api/local/clock/advance", { minutes });
  expect(r.status).toBe(200);
};

/** Everything sent so far to this test's people, oldest first. */
const outbox = async () => {
  const { body } = await local.get<{ emails: OutboxEmail[]; sms: OutboxSms[] }>("/api/local/outbox");
  return {
    emails: body.emails.filter((e) => e.to.some((t) => t.includes(domain))),
    sms: body.sms.filter((s) => Object.values(phones).includes(s.DestinationPhoneNumber)),
  };
};

/** Reads what arrived since the last call (the first call: since the inbox was opened). */
const inbox = async () => {
  const baseline = await outbox();
  let seenEmails = baseline.emails.length;
  let seenSms = baseline.sms.length;
  return async () => {
    const all = await outbox();
    const fresh = { emails: all.emails.slice(seenEmails), sms: all.sms.slice(seenSms) };
    seenEmails = all.emails.length;
    seenSms = all.sms.length;
    return fresh;
  };
};

const recipients = (emails: OutboxEmail[]) =>
  emails.map((e) => e.to.join(",").replace(/.*<|>.*/g, "")).sort();

const parseIcs = (email: OutboxEmail) => {
  const part = email.attachments.find((a) => a.contentType === "text/calendar");
  expect(part, "the email carries a text/calendar part").toBeDefined();
  const calendar = new ICAL.Component(ICAL.parse(part!.content) as unknown[]);
  const event = calendar.getFirstSubcomponent("vevent")!;
  const dtstart = event.getFirstProperty("dtstart")!;
  return {
    method: calendar.getFirstPropertyValue("method"),
    uid: event.getFirstPropertyValue("uid"),
    sequence: event.getFirstPropertyValue("sequence"),
    status: event.getFirstPropertyValue("status"),
    tzid: dtstart.getParameter("tzid"),
    localStart: (dtstart.getFirstValue() as ICAL.Time).toString(),
    vtimezone: calendar.getFirstSubcomponent("vtimezone")?.getFirstPropertyValue("tzid"),
  };
};

const londonDate = (instant: Date, plusDays: number) =>
  new Date(instant.getTime() + plusDays * 86_400_000).toLocaleDateString("en-CA", {
    timeZone: "Europe/London",
  });

beforeAll(async () => {
  platform = await launchPlatform();
  const anonymous = client(platform.url);
  local = anonymous;
  const platformToken = (
    await anonymous.post<{ token: string }>("/api/local/tokens", { role: "platform-admin" })
  ).body.token;
  const org = await anonymous
    .withToken(platformToken)
    .post<{ id: string }>("/api/v1/organisations", { name: "E2E Network" });
  expect(org.status).toBe(201);
  const adminToken = (
    await anonymous.post<{ token: string }>("/api/local/tokens", {
      role: "umbrella-admin",
      organisationId: org.body.id,
    })
  ).body.token;
  api = anonymous.withToken(adminToken);
  base = `/api/v1/organisations/${org.body.id}`;
});

afterAll(async () => {
  const code = await platform?.stop();
  expect(code).toBe(0);
  // Every process it started has gone: each port is free again (no stray java).
  for (const port of platform.ports) await expect(assertPortFree(port)).resolves.toBeUndefined();
});

describe("a session scheduled, rescheduled and cancelled", () => {
  it("reminds every member on their channels at their offsets, moves with a reschedule and stops at a cancellation", async () => {
    const next = await inbox();
    const group = await api.post<{ id: string }>(`${base}/groups`, {
      name: "Tuesday Carers",
      timeZone: "Europe/London",
    });
    expect(group.status).toBe(201);
    const groupPath = `${base}/groups/${group.body.id}`;

    const people = {
      ann: {
        name: "Ann Adams",
        email: address("ann"),
        reminders: [{ channel: "email", offsetMinutes: 2880 }],
      },
      ben: {
        name: "Ben Brown",
        email: address("ben"),
        phone: phones.ben,
        reminders: [
          { channel: "email", offsetMinutes: 2880 },
          { channel: "sms", offsetMinutes: 120 },
        ],
        quietHours: { start: "21:00", end: "08:00" },
      },
      cat: {
        name: "Cat Chen",
        email: address("cat"),
        phone: phones.cat,
        reminders: [{ channel: "sms", offsetMinutes: 180 }],
      },
      dan: {
        name: "Dan Doyle",
        email: address("dan"),
        reminders: [{ channel: "email", offsetMinutes: 1440 }],
      },
    };
    const ids: Record<string, string> = {};
    for (const [key, person] of Object.entries(people)) {
      const created = await api.post<{ id: string }>(`${base}/members`, person);
      expect(created.status).toBe(201);
      ids[key] = created.body.id;
      expect((await api.put(`${groupPath}/members/${created.body.id}`)).status).toBe(204);
    }

    // A session five days ahead at 09:00 London time, Ben bringing refreshments.
    const day = londonDate(await now(), 5);
    const scheduled = await api.post<SessionView>(`${groupPath}/sessions`, {
      title: "Carers' check-in",
      startLocal: `${day}T09:00`,
      venue: { name: "Library, Room 3" },
      facilitatorMemberId: ids.ann,
      duties: [{ kind: "refreshments", holderMemberId: ids.ben }],
    });
    expect(scheduled.status).toBe(201);
    const session = scheduled.body;
    const start = new Date(session.startsAt);
    const hour = 3_600_000;

    // Nothing before the first instant: 48 hours before the start.
    await advanceTo(new Date(start.getTime() - 48 * hour), -1);
    expect(await next()).toEqual({ emails: [], sms: [] });

    // At 48 hours: Ann's and Ben's email reminders, each with a calendar invite.
    await advanceTo(new Date(start.getTime() - 48 * hour));
    let fresh = await next();
    expect(recipients(fresh.emails)).toEqual([address("ann"), address("ben")]);
    expect(fresh.sms).toEqual([]);
    for (const email of fresh.emails) {
      expect(email.subject).toContain("Carers' check-in");
      expect(email.text).toContain("09:00");
      expect(email.text).toContain("Library, Room 3");
      expect(email.html).toContain('<html lang="en"');
      const ics = parseIcs(email);
      expect(ics).toMatchObject({
        method: "REQUEST",
        uid: `${session.id}@convene`,
        sequence: 0,
        tzid: "Europe/London",
        vtimezone: "Europe/London",
      });
      expect(ics.localStart).toBe(`${day}T09:00:00`);
    }
    const bens = fresh.emails.find((e) => e.to.join().includes(address("ben")))!;
    expect(bens.text).toContain("You're down for: bringing refreshments.");
    const anns = fresh.emails.find((e) => e.to.join().includes(address("ann")))!;
    expect(anns.text).toContain("facilitating the session");

    // At 24 hours: Dan's email. He unsubscribes with the link in it.
    await advanceTo(new Date(start.getTime() - 24 * hour));
    fresh = await next();
    expect(recipients(fresh.emails)).toEqual([address("dan")]);
    const link = /Unsubscribe: (\S+)/.exec(fresh.emails[0]!.text)?.[1];
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/unsubscribe\?token=/);
    // The same link as a one-click unsubscribe (RFC 8058), which mail clients offer as a button.
    expect(fresh.emails[0]!.headers).toMatchObject({
      "List-Unsubscribe": `<${link}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    const confirmPage = await fetch(link!);
    expect(confirmPage.status).toBe(200);
    expect(await confirmPage.text()).toContain('<form method="post"');
    expect(
      (await api.get<{ unsubscribed: string[] }>(`${base}/members/${ids.dan}`)).body.unsubscribed,
    ).toEqual([]);
    const oneClick = await fetch(link!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(
      (await api.get<{ unsubscribed: string[] }>(`${base}/members/${ids.dan}`)).body.unsubscribed,
    ).toEqual(["email"]);

    // Rescheduled to two days later at 18:00: members are told at once with an updated invite.
    const movedDay = londonDate(start, 2);
    const moved = await api.post<SessionView>(`${groupPath}/sessions/${session.id}/reschedule`, {
      startLocal: `${movedDay}T18:00`,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.version).toBe(2);
    await local.post("/api/local/settle");
    fresh = await next();
    expect(recipients(fresh.emails)).toEqual([address("ann"), address("ben"), address("cat")]);
    for (const email of fresh.emails) {
      expect(email.subject).toMatch(/^Changed: /);
      expect(parseIcs(email)).toMatchObject({ method: "REQUEST", uid: `${session.id}@convene`, sequence: 1 });
      expect(parseIcs(email).localStart).toBe(`${movedDay}T18:00:00`);
    }
    expect(fresh.sms.map((s) => s.DestinationPhoneNumber).sort()).toEqual([phones.ben, phones.cat]);

    // The old time passes: the SMS reminders planned for it (Ben's moved out of his quiet
    // hours to 20:59 the evening before, Cat's at 06:00) are never sent.
    await advanceTo(new Date(start.getTime() + hour));
    expect(await next()).toEqual({ emails: [], sms: [] });

    // The new time's reminders: emails at 48 hours (not Dan's: he unsubscribed)...
    const newStart = new Date(moved.body.startsAt);
    await advanceTo(new Date(newStart.getTime() - 48 * hour));
    fresh = await next();
    expect(recipients(fresh.emails)).toEqual([address("ann"), address("ben")]);
    for (const email of fresh.emails) expect(parseIcs(email).sequence).toBe(1);
    await advanceTo(new Date(newStart.getTime() - 24 * hour));
    expect(await next()).toEqual({ emails: [], sms: [] });
    // ...Cat's SMS at 3 hours, Ben's at 2 hours (16:00, outside his quiet hours).
    await advanceTo(new Date(newStart.getTime() - 3 * hour));
    fresh = await next();
    expect(fresh.sms.map((s) => s.DestinationPhoneNumber)).toEqual([phones.cat]);
    expect(fresh.sms[0]!.MessageBody).toContain("18:00");
    expect(fresh.sms[0]!.MessageBody.length).toBeLessThanOrEqual(160);
    await advanceTo(new Date(newStart.getTime() - 2 * hour));
    fresh = await next();
    expect(fresh.sms.map((s) => s.DestinationPhoneNumber)).toEqual([phones.ben]);
    expect(fresh.emails).toEqual([]);

    // Upcoming sessions list the moved session once.
    const upcoming = await api.get<{ items: SessionView[] }>(`${groupPath}/sessions`);
    expect(upcoming.body.items.map((s) => [s.id, s.version])).toEqual([[session.id, 2]]);
  });

  it("a cancelled session tells members with an ICS cancellation, and nothing more follows", async () => {
    const next = await inbox();
    const group = await api.post<{ id: string }>(`${base}/groups`, {
      name: "Thursday Carers",
      timeZone: "Europe/London",
    });
    const groupPath = `${base}/groups/${group.body.id}`;
    const eve = await api.post<{ id: string }>(`${base}/members`, {
      name: "Eve Evans",
      email: address("eve"),
      reminders: [
        { channel: "email", offsetMinutes: 2880 },
        { channel: "email", offsetMinutes: 60 },
      ],
    });
    await api.put(`${groupPath}/members/${eve.body.id}`);
    const day = londonDate(await now(), 4);
    const created = await api.post<SessionView>(`${groupPath}/sessions`, {
      title: "Thursday meeting",
      startLocal: `${day}T19:00`,
    });
    expect(created.status).toBe(201);
    const cancelled = await api.post<SessionView>(`${groupPath}/sessions/${created.body.id}/cancel`, {
      reason: "Venue closed",
    });
    expect(cancelled.body).toMatchObject({ status: "cancelled", version: 2 });
    await local.post("/api/local/settle");

    const fresh = await next();
    const eves = fresh.emails.filter((e) => e.to.join().includes(address("eve")));
    expect(eves).toHaveLength(1);
    expect(eves[0]!.subject).toMatch(/^Cancelled: Thursday meeting/);
    expect(parseIcs(eves[0]!)).toMatchObject({
      method: "CANCEL",
      status: "CANCELLED",
      uid: `${created.body.id}@convene`,
      sequence: 1,
    });

    await advanceTo(new Date(new Date(created.body.startsAt).getTime() + 3_600_000));
    const after = (await next()).emails.filter((e) => e.to.join().includes(address("eve")));
    expect(after).toEqual([]);
    const upcoming = await api.get<{ items: SessionView[] }>(`${groupPath}/sessions`);
    expect(upcoming.body.items).toEqual([]);
  });

  it("a member who joins later, or changes their preferences, gets reminders for upcoming sessions", async () => {
    const next = await inbox();
    const group = await api.post<{ id: string }>(`${base}/groups`, {
      name: "Saturday Walkers",
      timeZone: "America/New_York",
    });
    const groupPath = `${base}/groups/${group.body.id}`;
    const day = new Date((await now()).getTime() + 6 * 86_400_000).toLocaleDateString("en-CA", {
      timeZone: "America/New_York",
    });
    const created = await api.post<SessionView>(`${groupPath}/sessions`, {
      title: "Saturday walk",
      startLocal: `${day}T10:00`,
    });
    expect(created.status).toBe(201);
    const start = new Date(created.body.startsAt);

    // Fay joins after the session was scheduled; Gus is a member whose offset changes.
    const fay = await api.post<{ id: string }>(`${base}/members`, {
      name: "Fay Fox",
      email: address("fay"),
      reminders: [{ channel: "email", offsetMinutes: 4320 }],
    });
    const gus = await api.post<{ id: string }>(`${base}/members`, {
      name: "Gus Grant",
      email: address("gus"),
      reminders: [{ channel: "email", offsetMinutes: 2880 }],
    });
    for (const id of [fay.body.id, gus.body.id])
      expect((await api.put(`${groupPath}/members/${id}`)).status).toBe(204);
    const changed = await api.patch(`${base}/members/${gus.body.id}`, {
      reminders: [{ channel: "email", offsetMinutes: 1440 }],
    });
    expect(changed.status).toBe(200);
    await local.post("/api/local/settle");

    await advanceTo(new Date(start.getTime() - 72 * 3_600_000));
    expect(recipients((await next()).emails)).toEqual([address("fay")]);
    await advanceTo(new Date(start.getTime() - 48 * 3_600_000));
    expect(recipients((await next()).emails)).toEqual([]);
    await advanceTo(new Date(start.getTime() - 24 * 3_600_000));
    expect(recipients((await next()).emails)).toEqual([address("gus")]);
  });

  it("logs no names, addresses, phone numbers or message bodies", () => {
    // The structured log is in the state folder's file; the terminal must not hold it either.
    const logs = platform.logs() + platform.output();
    expect(platform.logs()).toContain('"message":"reminders sent"'); // the logs are there to be read
    for (const secret of [
      domain,
      "Ann Adams",
      "Ben",
      "Cat Chen",
      "Dan Doyle",
      "Eve Evans",
      phones.ben,
      phones.cat,
      "Carers' check-in",
      "Library",
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  it("counts every message the providers accepted in MessagesSent, by channel", async () => {
    const { body: sent } = await local.get<{ emails: unknown[]; sms: unknown[] }>("/api/local/outbox");
    const { body } = await local.get<{
      items: { metric: string; dimensions: Record<string, string>; value: number }[];
    }>("/api/local/metrics");
    const count = (channel: string) =>
      body.items.find((m) => m.metric === "MessagesSent" && m.dimensions.channel === channel)?.value;
    expect(sent.emails.length).toBeGreaterThan(0);
    expect(sent.sms.length).toBeGreaterThan(0);
    expect(count("email")).toBe(sent.emails.length);
    expect(count("sms")).toBe(sent.sms.length);
  });

  it("leaves no dead letters behind", async () => {
    const { body } = await local.get<{ items: unknown[] }>("/api/local/dead-letters");
    expect(body.items).toEqual([]);
  });
});
