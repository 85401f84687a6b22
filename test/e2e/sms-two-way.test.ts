import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// Two-way SMS end to end on the running platform: a member texts STOP (no more texts, one
// confirmation however often the text is delivered), HELP and START through the local stand-in
// for the SNS topic (/api/local/sms/inbound), then answers a call for volunteers "yes" and an
// RSVP "no" by replying to those texts; a member whose number fails shows as unreachable.

interface Sms {
  MessageId: string;
  DestinationPhoneNumber: string;
  MessageBody: string;
}
interface InboundOutcome {
  kind: string;
}

// Outside the demo's numbers (+44 7700 90xxxx) and the sink's failure numbers.
const sam = `+447911${String(Math.floor(Math.random() * 900_000) + 100_000)}`;
// The SMS sink's TEXT_INVALID range: accepted, then reported as a permanent failure.
const fay = "+447700900901";
const domain = `sms-${Date.now()}.example.org`;
const sending = "+447700900000";

let platform: Platform;
let local: ReturnType<typeof client>;
let api: ReturnType<typeof client>;
let base: string;
let path: string;
const ids: Record<string, string> = {};

const settle = async () => expect((await local.post("/api/local/settle")).status).toBe(200);
const now = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
const textsTo = async (phone: string) =>
  (await local.get<{ sms: Sms[] }>("/api/local/outbox")).body.sms.filter(
    (m) => m.DestinationPhoneNumber === phone,
  );
/** A text from `from`, as AWS publishes it; `id` again replays it, as a redelivery would. */
const text = async (from: string, body: string, options: { id?: string; replyTo?: string } = {}) => {
  const response = await local.post<InboundOutcome>("/api/local/sms/inbound", {
    originationNumber: from,
    destinationNumber: sending,
    messageKeyword: "",
    messageBody: body,
    inboundMessageId: options.id ?? randomUUID(),
    previousPublishedMessageId: options.replyTo ?? "",
  });
  expect(response.status).toBe(200);
  await settle();
  return response.body;
};

beforeAll(async () => {
  platform = await launchPlatform();
  local = client(platform.url);
  const token = async (body: object) =>
    (await local.post<{ token: string }>("/api/local/tokens", body)).body.token;
  const org = await local
    .withToken(await token({ role: "platform-admin" }))
    .post<{ id: string }>("/api/v1/organisations", { name: "Text Network" });
  api = local.withToken(await token({ role: "umbrella-admin", organisationId: org.body.id }));
  base = `/api/v1/organisations/${org.body.id}`;
  const group = await api.post<{ id: string }>(`${base}/groups`, {
    name: "Riverside Circle",
    timeZone: "Europe/London",
    leadershipModel: "collective",
  });
  path = `${base}/groups/${group.body.id}`;
  const members = [
    { who: "amy", email: `amy@${domain}`, reminders: [] },
    { who: "sam", email: `sam@${domain}`, phone: sam, reminders: [{ channel: "sms", offsetMinutes: 120 }] },
    // Her email bounces (SES's mailbox simulator) and her number fails: no channel is left.
    {
      who: "fay",
      email: `bounce+${Date.now()}@simulator.amazonses.com`,
      phone: fay,
      reminders: [
        { channel: "email", offsetMinutes: 2880 },
        { channel: "sms", offsetMinutes: 120 },
      ],
    },
  ];
  for (const { who, ...member } of members) {
    const created = await api.post<{ id: string }>(`${base}/members`, { name: `${who} Texter`, ...member });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids[who] = created.body.id;
    expect((await api.put(`${path}/members/${created.body.id}`)).status).toBe(204);
  }
  expect((await api.post(`${path}/roles`, { roleId: "refreshments" })).status).toBe(201);
  expect((await api.post(`${path}/roles/refreshments/holders`, { memberId: ids.amy })).status).toBe(201);
  await settle();
});

afterAll(async () => {
  expect(await platform?.stop()).toBe(0);
});

describe("a member who chose texts", () => {
  it("texts STOP: confirmed once however often it arrives, and sent nothing more until START", async () => {
    const stop = randomUUID();
    expect(await text(sam, "Stop", { id: stop })).toMatchObject({ kind: "opted-out" });
    await text(sam, "Stop", { id: stop }); // AWS delivers it again
    const confirmations = (await textsTo(sam)).filter((m) => m.MessageBody.includes("no more texts"));
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.MessageBody).toContain("Text Network");

    // A session now reaches Sam by no text at all.
    const day = new Date((await now()).getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    const session = await api.post<{ id: string; startsAt: string }>(`${path}/sessions`, {
      title: "Quiet evening",
      startLocal: `${day}T19:00`,
    });
    expect(session.status).toBe(201);
    await settle();
    const before = (await textsTo(sam)).length;
    const toReminder = Date.parse(session.body.startsAt) - 2 * 3_600_000 + 60_000 - (await now()).getTime();
    expect((await local.post("/api/local/clock/advance", { minutes: toReminder / 60_000 })).status).toBe(200);
    await settle();
    expect(await textsTo(sam)).toHaveLength(before);
  });

  it("texts HELP and is told who is sending and how to stop; START turns texts back on, confirmed", async () => {
    expect(await text(sam, "HELP")).toMatchObject({ kind: "help" });
    const help = (await textsTo(sam)).at(-1)!;
    expect(help.MessageBody).toContain("Text Network");
    expect(help.MessageBody).toContain("Reply STOP");
    expect(await text(sam, "start")).toMatchObject({ kind: "opted-in" });
    expect((await textsTo(sam)).at(-1)!.MessageBody).toContain("texts are back on");
  });

  it("answers a call for volunteers YES by text, and is recorded as a volunteer", async () => {
    expect((await api.delete(`${path}/roles/refreshments/holders/${ids.amy}`)).status).toBe(204);
    await settle();
    const call = (await textsTo(sam)).find((m) => m.MessageBody.includes("needs a new"));
    expect(call?.MessageBody).toMatch(/Reply YES$/);
    expect(call!.MessageBody).not.toContain("Riverside");
    expect(await text(sam, "Yes, I can do it", { replyTo: call!.MessageId })).toMatchObject({
      kind: "received",
    });
    const role = await api.get<{ volunteers: { memberId: string }[] }>(`${path}/roles/refreshments`);
    expect(role.body.volunteers.map((v) => v.memberId)).toEqual([ids.sam]);
  });

  it("answers an RSVP NO by text, replying to the reminder that asks", async () => {
    const day = new Date((await now()).getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    const session = await api.post<{ id: string; startsAt: string }>(`${path}/sessions`, {
      title: "Monthly meeting",
      startLocal: `${day}T19:00`,
    });
    expect(session.status).toBe(201);
    const sessionPath = `${path}/sessions/${session.body.id}`;
    expect((await api.put(`${sessionPath}/rsvp-settings`, { asked: true })).status).toBe(200);
    await settle();
    const toReminder = Date.parse(session.body.startsAt) - 2 * 3_600_000 + 60_000 - (await now()).getTime();
    expect((await local.post("/api/local/clock/advance", { minutes: toReminder / 60_000 })).status).toBe(200);
    await settle();
    const reminder = (await textsTo(sam)).findLast((m) => m.MessageBody.includes("Reply YES, NO or MAYBE"));
    expect(reminder, "the reminder that asks").toBeDefined();
    expect(reminder!.MessageBody).not.toContain("Monthly meeting"); // neutral by default
    expect(await text(sam, "no sorry", { replyTo: reminder!.MessageId })).toMatchObject({ kind: "received" });
    const rsvps = await api.get<{ counts: Record<string, number> }>(`${sessionPath}/rsvps`);
    expect(rsvps.body.counts).toEqual({ yes: 0, maybe: 0, no: 1, waiting: 0 });
    // Confirmed by text, where it was given, and not by email besides.
    expect((await textsTo(sam)).at(-1)!.MessageBody).toContain("you're down as not coming");
    const { body } = await local.get<{ emails: { to: string[]; subject: string }[] }>("/api/local/outbox");
    expect(
      body.emails.filter((e) => e.to.join().includes(`sam@${domain}`) && e.subject.startsWith("Your answer")),
    ).toEqual([]);
  });
});

describe("a member whose number fails", () => {
  it("shows as unreachable on the overview once her email bounced and her text failed", async () => {
    const overview = await api.get<{ groups: { groupId: string; unreachableMembers: number }[] }>(
      `${base}/overview`,
    );
    const group = overview.body.groups.find((g) => path.endsWith(g.groupId));
    expect(group?.unreachableMembers).toBe(1);
    // Her one failed text was the last: nothing more is sent to the number.
    const failed = (await textsTo(fay)).length;
    expect(failed).toBeGreaterThan(0);
    const day = new Date((await now()).getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    const session = await api.post<{ startsAt: string }>(`${path}/sessions`, {
      title: "Another evening",
      startLocal: `${day}T19:00`,
    });
    await settle();
    const toReminder = Date.parse(session.body.startsAt) - 2 * 3_600_000 + 60_000 - (await now()).getTime();
    expect((await local.post("/api/local/clock/advance", { minutes: toReminder / 60_000 })).status).toBe(200);
    await settle();
    expect(await textsTo(fay)).toHaveLength(failed);
  });
});
