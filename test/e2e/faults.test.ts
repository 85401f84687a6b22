import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// A bad day at AWS, locally: 20 % of the application's SES, SMS and DynamoDB calls are refused
// with each service's throttling error, and one member's address is rejected every time. The
// flows still end with every message delivered exactly once; the rejected address's messages
// land in the dead-letter store with their reason, and once the address is fixed a redrive
// completes them, still once each.

const domain = `faults-${Date.now()}.example.org`;
const stuck = `stuck@${domain}`;
const transient = { ses: 0.2, sms: 0.2, dynamodb: 0.2 };

let platform: Platform;
let local: ReturnType<typeof client>;
let api: ReturnType<typeof client>;
let groupPath = "";
const members: { email: string; phone?: string }[] = [];

interface FaultReport {
  injected: { transient: Record<string, number>; permanent: Record<string, number> };
}
interface DeadLetter {
  id: string;
  target: string;
  reason: string;
}

/** Under faults an API call may itself be refused (500, nothing written): a client tries again. */
const withRetry = async <T>(call: () => Promise<{ status: number; body: T }>, ok: number) => {
  for (let attempt = 1; ; attempt++) {
    const r = await call();
    if (r.status === ok || attempt === 5) return r;
  }
};

const now = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
const advanceMinutes = async (minutes: number) =>
  expect((await local.post("/api/local/clock/advance", { minutes })).status).toBe(200);

/** How many emails (by subject) and SMS (by text) each of this test's people received. */
const received = async (subject: RegExp, sms?: RegExp) => {
  const { body } = await local.get<{
    emails: { to: string[]; subject: string }[];
    sms: { DestinationPhoneNumber: string; MessageBody: string }[];
  }>("/api/local/outbox");
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const e of body.emails)
    if (subject.test(e.subject))
      for (const to of e.to.map((t) => t.replace(/.*<|>.*/g, ""))) if (to.endsWith(domain)) add(to);
  for (const s of body.sms)
    if (sms?.test(s.MessageBody) && members.some((m) => m.phone === s.DestinationPhoneNumber))
      add(s.DestinationPhoneNumber);
  return counts;
};

const everyoneOnce = (counts: Map<string, number>, expected: string[]) =>
  expect(Object.fromEntries(expected.map((k) => [k, counts.get(k) ?? 0]))).toEqual(
    Object.fromEntries(expected.map((k) => [k, 1])),
  );

beforeAll(async () => {
  platform = await launchPlatform(undefined, {
    // The rejected address from the start, set through the environment; the transient faults
    // are switched on through the API once the group is set up.
    CONVENE_FAULTS: JSON.stringify({ permanent: { emails: [stuck] }, seed: 11 }),
  });
  local = client(platform.url);
  const platformToken = (await local.post<{ token: string }>("/api/local/tokens", { role: "platform-admin" }))
    .body.token;
  const org = await withRetry(
    () =>
      local
        .withToken(platformToken)
        .post<{ id: string }>("/api/v1/organisations", { name: "Faulty Network" }),
    201,
  );
  expect(org.status).toBe(201);
  const token = (
    await local.post<{ token: string }>("/api/local/tokens", {
      role: "umbrella-admin",
      organisationId: org.body.id,
    })
  ).body.token;
  api = local.withToken(token);
  const base = `/api/v1/organisations/${org.body.id}`;
  const group = await withRetry(
    () => api.post<{ id: string }>(`${base}/groups`, { name: "Thursday Group", timeZone: "Europe/London" }),
    201,
  );
  expect(group.status).toBe(201);
  groupPath = `${base}/groups/${group.body.id}`;
  for (let i = 0; i < 24; i++) {
    // Every other member also has an SMS reminder (12 texts, their retries included).
    const phone = i % 2 === 0 ? `+4477009002${String(i).padStart(2, "0")}` : undefined;
    members.push({ email: i === 5 ? stuck : `m${i}@${domain}`, ...(phone ? { phone } : {}) });
  }
  await Promise.all(
    members.map(async (m, i) => {
      const created = await withRetry(
        () =>
          api.post<{ id: string }>(`${base}/members`, {
            name: `Member ${i}`,
            email: m.email,
            ...(m.phone ? { phone: m.phone } : {}),
            reminders: [
              { channel: "email", offsetMinutes: 1440 },
              ...(m.phone ? [{ channel: "sms", offsetMinutes: 120 }] : []),
            ],
          }),
        201,
      );
      expect(created.status).toBe(201);
      expect((await withRetry(() => api.put(`${groupPath}/members/${created.body.id}`), 204)).status).toBe(
        204,
      );
    }),
  );
});

afterAll(async () => {
  expect(await platform?.stop()).toBe(0);
});

describe("with 20 % of SES, SMS and DynamoDB calls failing", () => {
  const emails = () => members.map((m) => m.email).filter((e) => e !== stuck);
  const phones = () => members.flatMap((m) => (m.phone ? [m.phone] : []));

  it("sends every reminder and every ballot and result exactly once; the rejected address is dead-lettered", async () => {
    const on = await local.put("/api/local/faults", { transient, permanent: { emails: [stuck] }, seed: 11 });
    expect(on.status).toBe(200);
    const start = new Date((await now()).getTime() + 3 * 86_400_000);
    const day = start.toLocaleDateString("en-CA", { timeZone: "Europe/London" });
    const session = await withRetry(
      () =>
        api.post<{ startsAt: string }>(`${groupPath}/sessions`, {
          title: "Faulty evening",
          startLocal: `${day}T19:00`,
        }),
      201,
    );
    expect(session.status).toBe(201);
    const closesAt = new Date((await now()).getTime() + 2 * 86_400_000).toISOString();
    const vote = await withRetry(
      () =>
        api.post<{ id: string }>(`${groupPath}/votes`, {
          question: "Keep meeting on Thursdays?",
          kind: "proposal",
          closesAt,
          reminderMinutesBeforeClose: 0,
        }),
      201,
    );
    expect(vote.status).toBe(201);
    // Past the vote's close and both reminders of the session (the SMS one 2 hours before it):
    // to half an hour before it starts, whatever the time of day the test runs at.
    const startsAt = Date.parse(session.body.startsAt);
    await advanceMinutes((startsAt - (await now()).getTime()) / 60_000 - 30);

    // Texts are neutral (no title): the group's one session's reminder.
    everyoneOnce(await received(/^Reminder: Faulty evening/, /^Reminder: your group meets/), [
      ...emails(),
      ...phones(),
    ]);
    everyoneOnce(await received(/^Your vote: Keep meeting/), emails());
    everyoneOnce(await received(/^Vote result: Keep meeting/), emails());
    expect((await received(/Faulty evening|Keep meeting/)).get(stuck)).toBeUndefined();

    const report = (await local.get<FaultReport>("/api/local/faults")).body;
    for (const service of ["ses", "sms", "dynamodb"])
      expect(report.injected.transient[service]).toBeGreaterThan(0);
    expect(report.injected.permanent.ses).toBeGreaterThan(0);

    const letters = (await local.get<{ items: DeadLetter[] }>("/api/local/dead-letters")).body.items;
    expect(letters.map((l) => l.target).sort()).toEqual([
      "announce-vote-outcome",
      "send-ballots",
      "send-session-reminders",
    ]);
    // The reason names the provider's error (MessageRejected; a throttle that outlasted every
    // retry in the same attempt could be named instead), never the address.
    for (const letter of letters) {
      expect(letter.reason).toMatch(/^DeliveriesIncompleteError: \d+ of \d+ messages were not sent \(\w+\)$/);
      expect(letter.reason).not.toContain(domain);
    }
    expect(letters.some((l) => l.reason.endsWith("(MessageRejected)"))).toBe(true);
  });

  it("completes the dead-lettered deliveries once the address is accepted again, still once each", async () => {
    const put = await local.put("/api/local/faults", { transient, seed: 12 });
    expect(put.status).toBe(200);
    const letters = (await local.get<{ items: DeadLetter[] }>("/api/local/dead-letters")).body.items;
    for (const letter of letters)
      expect((await local.post(`/api/local/dead-letters/${letter.id}/redrive`)).status).toBe(200);
    expect((await local.get<{ items: unknown[] }>("/api/local/dead-letters")).body.items).toEqual([]);

    const all = [...emails(), stuck];
    everyoneOnce(await received(/^Reminder: Faulty evening/, /^Reminder: your group meets/), [
      ...all,
      ...phones(),
    ]);
    everyoneOnce(await received(/^Vote result: Keep meeting/), all);
    // The ballot's redrive came after the vote had closed: a ballot for a closed vote is not sent.
    everyoneOnce(await received(/^Your vote: Keep meeting/), emails());
    expect((await received(/^Your vote: Keep meeting/)).get(stuck)).toBeUndefined();
  });
});
