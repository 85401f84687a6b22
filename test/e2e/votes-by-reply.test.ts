import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// Votes answered by replying to the ballot email, end to end: the API opens the vote, the
// ballots arrive in the SES emulator, members' replies go over real SMTP to the platform's
// inbound server, and the clock moves the vote to its reminder and its close.

interface OutboxEmail {
  to: string[];
  replyTo: string[];
  subject: string;
  text: string;
  html: string;
}
interface VoteView {
  id: string;
  status: string;
  closesAt: string;
  turnout: { ballots: number; share: number };
  ballots?: { memberId: string; optionId: string }[];
  result?: { outcome: { kind: string }; counts: Record<string, number> };
}

const domain = `votes-${Date.now()}.example.org`;
const address = (name: string) => `${name}@${domain}`;

let platform: Platform;
let api: ReturnType<typeof client>;
let local: ReturnType<typeof client>;
let base: string;
let smtp: ReturnType<typeof nodemailer.createTransport>;

const now = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
const advanceTo = async (instant: Date, marginMinutes = 1) => {
  const minutes = (instant.getTime() - (await now()).getTime()) / 60_000 + marginMinutes;
  expect(minutes).toBeGreaterThan(0);
  expect((await local.post("/api/local/clock/advance", { minutes })).status).toBe(200);
};
const settle = async () => expect((await local.post("/api/local/settle")).status).toBe(200);

const emailsTo = async (who: string) => {
  const { body } = await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox");
  return body.emails.filter((e) => e.to.join(",").includes(address(who)));
};
/** Reads what arrived for each person since the last call. */
const inbox = async () => {
  const seen = new Map<string, number>();
  for (const who of ["amy", "bob", "cy", "dee", "eli", "flo"]) seen.set(who, (await emailsTo(who)).length);
  return async (who: string) => {
    const all = await emailsTo(who);
    const fresh = all.slice(seen.get(who) ?? 0);
    seen.set(who, all.length);
    return fresh;
  };
};

let sent = 0;
/** A reply as a mail client writes it: the typed text on top, the ballot quoted below. */
const reply = async (options: {
  from: string;
  ballot: OutboxEmail;
  typed: string;
  headers?: Record<string, string>;
  messageId?: string;
}) => {
  const messageId = options.messageId ?? `<reply-${++sent}-${Date.now()}@${domain}>`;
  const quoted = options.ballot.text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  const raw = await new MailComposer({
    from: options.from,
    to: options.ballot.replyTo[0],
    subject: `Re: ${options.ballot.subject}`,
    messageId,
    inReplyTo: "<ballot@convene.localhost>",
    headers: options.headers,
    text: `${options.typed}\n\nOn Tue, 1 Dec 2026 at 10:00, Convene wrote:\n${quoted}\n`,
  })
    .compile()
    .build();
  await smtp.sendMail({ envelope: { from: options.from, to: [options.ballot.replyTo[0]!] }, raw });
  return { raw, messageId };
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
    .post<{ id: string }>("/api/v1/organisations", { name: "Votes Network" });
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

const groupWith = async (name: string, people: string[]) => {
  const group = await api.post<{ id: string }>(`${base}/groups`, { name, timeZone: "Europe/London" });
  const ids: Record<string, string> = {};
  for (const who of people) {
    const member = await api.post<{ id: string }>(`${base}/members`, {
      name: `${who[0]!.toUpperCase()}${who.slice(1)} Tester`,
      email: address(who),
    });
    ids[who] = member.body.id;
    expect((await api.put(`${base}/groups/${group.body.id}/members/${member.body.id}`)).status).toBe(204);
  }
  return { path: `${base}/groups/${group.body.id}`, ids };
};

describe("a secret proposal answered by reply", () => {
  it("counts authenticated replies once, explains the rest, reminds non-voters, and closes with a tally", async () => {
    const next = await inbox();
    const { path } = await groupWith("Leadership Circle", ["amy", "bob", "cy", "dee"]);
    const closesAt = new Date((await now()).getTime() + 3 * 86_400_000);
    const opened = await api.post<VoteView>(`${path}/votes`, {
      question: "Shall we have a designated facilitator?",
      kind: "proposal",
      closesAt: closesAt.toISOString(),
      quorum: 0.5,
      threshold: 0.5,
      secrecy: "secret",
      reminderMinutesBeforeClose: 1440,
    });
    expect(opened.status).toBe(201);
    const votePath = `${path}/votes/${opened.body.id}`;
    await settle();

    // Every member has a ballot whose Reply-To carries their own token.
    const ballots: Record<string, OutboxEmail> = {};
    for (const who of ["amy", "bob", "cy", "dee"]) {
      const mail = await next(who);
      expect(mail).toHaveLength(1);
      ballots[who] = mail[0]!;
      expect(mail[0]!.subject).toBe("Your vote: Shall we have a designated facilitator?");
      expect(mail[0]!.replyTo[0]).toMatch(/^ballot\+[a-z2-7]{26}@reply\.convene\.localhost$/);
      expect(mail[0]!.text).toMatch(/Yes, No or Abstain/);
      expect(mail[0]!.text).toContain("/api/v1/ballot?token=");
    }
    expect(new Set(Object.values(ballots).map((b) => b.replyTo[0])).size).toBe(4);

    // Amy votes "YES please", then changes her mind: the later reply replaces the first.
    await reply({ from: address("amy"), ballot: ballots.amy!, typed: "YES please" });
    await settle();
    const confirmation = await next("amy");
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.subject).toMatch(/^Vote counted/);
    expect(confirmation[0]!.text).not.toMatch(/You voted Yes/i); // secret: the choice is not repeated
    await reply({ from: address("amy"), ballot: ballots.amy!, typed: "No" });
    await settle();
    expect(await next("amy")).toHaveLength(1);
    expect((await api.get<VoteView>(votePath)).body.turnout.ballots).toBe(1);

    // Bob's "Yes!" is delivered twice with the same Message-ID: it counts once, confirmed once.
    const bobs = await reply({ from: address("bob"), ballot: ballots.bob!, typed: "Yes!" });
    await smtp.sendMail({
      envelope: { from: address("bob"), to: [ballots.bob!.replyTo[0]!] },
      raw: bobs.raw,
    });
    await settle();
    expect(await next("bob")).toHaveLength(1);
    const afterBob = (await api.get<VoteView>(votePath)).body;
    expect(afterBob.turnout.ballots).toBe(2);
    expect(afterBob.ballots).toBeUndefined(); // a secret ballot's choices never leave the store

    // A reply to Cy's ballot from another address is not counted; Cy is told, the forger is not.
    await reply({ from: "mallory@attacker.example", ballot: ballots.cy!, typed: "Yes" });
    await settle();
    const toCy = await next("cy");
    expect(toCy).toHaveLength(1);
    expect(toCy[0]!.text).toMatch(/different email address/);
    expect(toCy[0]!.text).not.toContain("mallory");

    // Dee's out-of-office is recognised and never answered; her unreadable and two-choice replies are explained.
    await reply({
      from: address("dee"),
      ballot: ballots.dee!,
      typed: "I am away until Monday.",
      headers: { "Auto-Submitted": "auto-replied" },
    });
    await settle();
    expect(await next("dee")).toEqual([]);
    await reply({ from: address("dee"), ballot: ballots.dee!, typed: "maybe" });
    await reply({ from: address("dee"), ballot: ballots.dee!, typed: "yes and no" });
    await settle();
    expect((await next("dee")).map((e) => e.subject)).toEqual([
      expect.stringMatching(/not counted/i),
      expect.stringMatching(/not counted/i),
    ]);
    expect((await api.get<VoteView>(votePath)).body.turnout.ballots).toBe(2);

    // A day before the close, the members who have not voted (Cy and Dee) are reminded.
    await advanceTo(new Date(closesAt.getTime() - 86_400_000));
    for (const who of ["amy", "bob"]) expect(await next(who)).toEqual([]);
    for (const who of ["cy", "dee"])
      expect((await next(who)).map((e) => e.subject)).toEqual([expect.stringMatching(/reminder|still/i)]);

    // Dee votes with a link: following it only shows a confirmation page; the POST counts.
    const link = /(http:\/\/\S+\/api\/v1\/ballot\?token=\S+)/.exec(
      ballots.dee!.text.split("\n").find((l) => l.includes("Yes") && l.includes("ballot?token=")) ??
        ballots.dee!.text,
    )?.[1];
    expect(link).toBeDefined();
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await api.get<VoteView>(votePath)).body.turnout.ballots).toBe(2);
    expect((await fetch(link!, { method: "POST" })).status).toBe(200);
    await settle();
    expect(await next("dee")).toHaveLength(1);
    expect((await api.get<VoteView>(votePath)).body.turnout.ballots).toBe(3);

    // The close: Yes (Bob, Dee) 2, No (Amy) 1, turnout 3 of 4 → passed. Everyone hears it.
    await advanceTo(closesAt);
    const closed = (await api.get<VoteView>(votePath)).body;
    expect(closed.status).toBe("closed");
    expect(closed.result).toMatchObject({
      outcome: { kind: "passed" },
      counts: { yes: 2, no: 1, abstain: 0 },
    });
    for (const who of ["amy", "bob", "cy", "dee"]) {
      const result = await next(who);
      expect(result).toHaveLength(1);
      expect(result[0]!.text).toMatch(/Passed: 2 yes, 1 no/);
      for (const name of ["Amy", "Bob", "Dee"]) expect(result[0]!.text).not.toContain(`${name} Tester`);
    }

    // A reply after the close is explained, not counted.
    await reply({ from: address("cy"), ballot: ballots.cy!, typed: "Yes" });
    await settle();
    expect((await next("cy"))[0]!.text).toMatch(/closed/i);
    expect((await api.get<VoteView>(votePath)).body.result!.counts.yes).toBe(2);
  });
});

describe("an open choice vote", () => {
  it("closes early once everyone has voted, and shows open choices in the API", async () => {
    const next = await inbox();
    const { path, ids } = await groupWith("Venue Group", ["eli", "flo"]);
    const opened = await api.post<VoteView>(`${path}/votes`, {
      question: "Where shall we meet?",
      kind: "choice",
      options: ["Library", "Community Centre", "Online"],
      closesAt: new Date((await now()).getTime() + 7 * 86_400_000).toISOString(),
      quorum: 0.5,
      threshold: 0.5,
      secrecy: "open",
    });
    expect(opened.status).toBe(201);
    await settle();
    const eli = (await next("eli"))[0]!;
    const flo = (await next("flo"))[0]!;
    expect(eli.text).toMatch(/1\. Library/);

    await reply({ from: address("eli"), ballot: eli, typed: "2" });
    await reply({ from: address("flo"), ballot: flo, typed: "Option 2, the community centre" });
    await settle();

    const vote = (await api.get<VoteView>(`${path}/votes/${opened.body.id}`)).body;
    expect(vote.status).toBe("closed");
    expect(vote.result!.outcome).toEqual({ kind: "chosen", optionId: "2" });
    expect(vote.ballots?.map((b) => [b.memberId, b.optionId]).sort()).toEqual(
      [
        [ids.eli, "2"],
        [ids.flo, "2"],
      ].sort(),
    );
    const eliMail = await next("eli");
    expect(eliMail.map((e) => e.subject)).toEqual([
      expect.stringMatching(/^Vote counted/),
      expect.stringMatching(/result|closed|chosen/i),
    ]);
    expect(eliMail[0]!.text).toContain("Community Centre"); // open ballot: the confirmation repeats the choice
  });

  it("leaves no dead letters and logs no addresses or bodies", async () => {
    expect((await local.get<{ items: unknown[] }>("/api/local/dead-letters")).body.items).toEqual([]);
    // The structured log is in the state folder's file; the terminal must not hold it either.
    const logs = platform.logs() + platform.output();
    expect(platform.logs()).toContain('"outcome":"counted"');
    for (const secret of [domain, "mallory", "YES please", "Shall we have", "Tester"])
      expect(logs).not.toContain(secret);
  });
});
