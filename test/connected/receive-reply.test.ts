import { randomBytes, randomUUID } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createReceiveReply, type InboundMail } from "#functions/receive-reply/handler.ts";
import { composeLocalRuntime, type LocalRuntime } from "#infra/local/composition-root.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { ballotReplyAddress, newBallotToken } from "#domain/ballot-token.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { castBallot } from "#use-cases/votes/cast-ballot.ts";
import { openGroupVote, type OpenVoteInput } from "#use-cases/votes/vote-lifecycle.ts";
import { recordingLog } from "./api-harness.ts";

// Every trust rule of a reply to a ballot, against DynamoDB Local and the SES emulator: each
// would count a ballot wrongly, or answer the wrong person, without its check.

const replyDomain = "reply.convene.test";
const domain = `reply-${randomUUID().slice(0, 8)}.example.org`;
const log = recordingLog();
let runtime: LocalRuntime;
let engine: LocalEngine;
let receive: (mail: InboundMail) => Promise<string>;
let organisationId: string;
let groupId: string;
const members: Record<string, string> = {};

const vote = (overrides: Partial<OpenVoteInput> = {}) =>
  openGroupVote(runtime.ports, organisationId, groupId, "coordinator", {
    question: "Shall we meet fortnightly?",
    kind: "proposal",
    closesAt: new Date(runtime.clock.now().getTime() + 3 * 86_400_000).toISOString(),
    quorum: 0,
    threshold: 0.5,
    secrecy: "secret",
    reminderMinutesBeforeClose: 0,
    ...overrides,
  });

const tokenOf = (voteId: string, who: string) =>
  runtime.ports.votes.ballotToken(
    { organisationId, groupId, voteId, memberId: members[who]! },
    newBallotToken(),
  );

const mime = async (o: {
  from: string;
  to: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  messageId?: string;
  textEncoding?: string;
}) =>
  new MailComposer({
    from: o.from,
    to: o.to,
    subject: "Re: Your vote",
    messageId: o.messageId ?? `<${randomUUID()}@${domain}>`,
    headers: o.headers,
    ...(o.text !== undefined ? { text: o.text } : {}),
    ...(o.html !== undefined ? { html: o.html } : {}),
  })
    .compile()
    .build();

const mailTo = (token: string, raw: Buffer, extra: Partial<InboundMail> = {}): InboundMail => ({
  raw,
  recipients: [ballotReplyAddress(token, replyDomain)],
  ...extra,
});

const sentTo = async (who: string) =>
  (await readSesStore(inject("sesEndpoint"))).filter((e) =>
    e.destination.to.join(",").includes(`${who}@${domain}`),
  );

const ballotsOf = (voteId: string) => runtime.ports.votes.listBallots(organisationId, voteId);

beforeAll(async () => {
  runtime = await composeLocalRuntime({
    endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
    tableName: `reply-${randomUUID()}`,
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
      name: "Reply Group",
      timeZone: "Europe/London",
      leadershipModel: "collective",
    })
  ).id;
  for (const who of ["ann", "ben", "cat"]) {
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

describe("a reply to a ballot", () => {
  it("counts once per message, and a later reply replaces the earlier ballot", async () => {
    const v = await vote();
    await engine.settle();
    const token = await tokenOf(v.id, "ann");
    const raw = await mime({
      from: `Ann <ann@${domain}>`,
      to: ballotReplyAddress(token, replyDomain),
      text: "Yes!\n\nOn Monday Convene wrote:\n> No",
    });
    expect(await receive(mailTo(token, raw))).toBe("counted");
    expect(await receive(mailTo(token, raw))).toBe("duplicate-message");
    expect((await ballotsOf(v.id)).map((b) => b.optionId)).toEqual(["yes"]);
    const later = await mime({
      from: `ann@${domain}`,
      to: ballotReplyAddress(token, replyDomain),
      text: "no",
    });
    expect(await receive(mailTo(token, later))).toBe("replaced");
    expect((await ballotsOf(v.id)).map((b) => b.optionId)).toEqual(["no"]);
  });

  it("counts each reply that changed nothing in RepliesRefused, by reason, and no other", async () => {
    const refused = (reason: string) =>
      runtime.metrics.snapshot().find((m) => m.metric === "RepliesRefused" && m.dimensions.reason === reason)
        ?.value ?? 0;
    const [unknown, fromOther] = [refused("unknown-token"), refused("not-from-member")];
    const all = () => runtime.metrics.snapshot().filter((m) => m.metric === "RepliesRefused");
    const total = () => all().reduce((sum, m) => sum + m.value, 0);
    const raw = await mime({ from: `ben@${domain}`, to: "x", text: "yes" });
    expect(await receive({ raw, recipients: [ballotReplyAddress(newBallotToken(), replyDomain)] })).toBe(
      "unknown-token",
    );
    expect(refused("unknown-token")).toBe(unknown + 1);
    const v = await vote();
    await engine.settle();
    const token = await tokenOf(v.id, "ben");
    const before = total();
    expect(await receive(mailTo(token, raw))).toBe("counted");
    expect(await receive(mailTo(token, raw))).toBe("duplicate-message");
    expect(total()).toBe(before); // acted on, then a redelivery: neither is a refusal
    const forged = await mime({ from: "mallory@attacker.example", to: "x", text: "no" });
    expect(await receive(mailTo(token, forged))).toBe("not-from-member");
    expect(refused("not-from-member")).toBe(fromOther + 1);
    // Reasons are outcome names only: nothing of the mail or the member is a dimension.
    for (const m of all()) expect(Object.keys(m.dimensions)).toEqual(["reason"]);
  });

  it("counts only for the vote whose token it carries", async () => {
    const [x, y] = [await vote(), await vote({ question: "Another question?" })];
    await engine.settle();
    const token = await tokenOf(x.id, "ben");
    expect(await receive(mailTo(token, await mime({ from: `ben@${domain}`, to: "x", text: "yes" })))).toBe(
      "counted",
    );
    expect(await ballotsOf(x.id)).toHaveLength(1);
    expect(await ballotsOf(y.id)).toHaveLength(0);
  });

  it("ignores unknown tokens and addresses on other domains, and answers nobody", async () => {
    const before = (await sentTo("ann")).length;
    const raw = await mime({ from: `ann@${domain}`, to: "x", text: "yes" });
    expect(await receive({ raw, recipients: [ballotReplyAddress(newBallotToken(), replyDomain)] })).toBe(
      "unknown-token",
    );
    const v = await vote();
    await engine.settle();
    const token = await tokenOf(v.id, "ann");
    expect(await receive({ raw, recipients: [`ballot+${token}@elsewhere.example`] })).toBe("unknown-token");
    expect(await ballotsOf(v.id)).toHaveLength(0);
    await engine.settle();
    expect((await sentTo("ann")).length).toBe(before + 1); // only the new ballot itself
  });

  it("does not count a reply from another address, and tells the member, not the sender", async () => {
    const v = await vote();
    await engine.settle();
    const token = await tokenOf(v.id, "cat");
    const before = (await sentTo("cat")).length;
    const forged = await mime({ from: "mallory@attacker.example", to: "x", text: "yes" });
    expect(await receive(mailTo(token, forged))).toBe("not-from-member");
    expect(await receive(mailTo(token, forged))).toBe("not-from-member");
    expect(await ballotsOf(v.id)).toHaveLength(0);
    const told = (await sentTo("cat")).slice(before);
    expect(told).toHaveLength(1); // the same message explained once
    expect(told[0]!.body.text).toMatch(/different email address/);
    expect(
      (await readSesStore(inject("sesEndpoint"))).some((e) => e.destination.to.join().includes("mallory")),
    ).toBe(false);
  });

  it("never counts or answers auto-replies and bounces", async () => {
    const v = await vote();
    await engine.settle();
    const token = await tokenOf(v.id, "ann");
    const before = (await sentTo("ann")).length;
    const machineHeaders: Record<string, string>[] = [
      { "Auto-Submitted": "auto-replied" },
      { Precedence: "bulk" },
      { "X-Autoreply": "yes" },
    ];
    for (const headers of machineHeaders) {
      expect(
        await receive(mailTo(token, await mime({ from: `ann@${domain}`, to: "x", text: "Yes", headers }))),
      ).toBe("auto-reply");
    }
    const outOfOffice = await new MailComposer({
      from: `ann@${domain}`,
      to: "x",
      subject: "Out of Office: back Monday",
      text: "Yes",
    })
      .compile()
      .build();
    expect(await receive(mailTo(token, outOfOffice))).toBe("auto-reply");
    const bounce = Buffer.from(
      `From: MAILER-DAEMON@${domain}\r\nTo: x@y\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nyes\r\n--b--\r\n`,
    );
    expect(await receive(mailTo(token, bounce))).toBe("auto-reply");
    expect(await ballotsOf(v.id)).toHaveLength(0);
    expect((await sentTo("ann")).length).toBe(before);
  });

  it("explains unreadable, empty and two-choice replies, and counts none", async () => {
    const v = await vote();
    await engine.settle();
    const token = await tokenOf(v.id, "ben");
    const cases: [string, string][] = [
      ["perhaps, let me think", "unreadable"],
      ["", "empty"],
      ["yes and no", "ambiguous"],
    ];
    for (const [text, outcome] of cases) {
      expect(await receive(mailTo(token, await mime({ from: `ben@${domain}`, to: "x", text })))).toBe(
        outcome,
      );
    }
    expect(await ballotsOf(v.id)).toHaveLength(0);
  });

  it("reads HTML-only replies and replies in other charsets", async () => {
    const v = await vote({ kind: "choice", options: ["Café Nero", "Library"], question: "Where?" });
    await engine.settle();
    const html = await mime({
      from: `ann@${domain}`,
      to: "x",
      html: "<div dir=ltr>Library</div><blockquote>Where? 1. Café Nero</blockquote>",
    });
    expect(await receive(mailTo(await tokenOf(v.id, "ann"), html))).toBe("counted");
    const latin1 = Buffer.concat([
      Buffer.from(
        `From: ben@${domain}\r\nTo: x@y\r\nSubject: Re\r\nMessage-ID: <${randomUUID()}@x>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
      ),
      Buffer.from("Caf\xe9 Nero\r\n", "latin1"),
    ]);
    expect(await receive(mailTo(await tokenOf(v.id, "ben"), latin1))).toBe("counted");
    const ballots = await ballotsOf(v.id);
    expect(Object.fromEntries(ballots.map((b) => [b.memberId, b.optionId]))).toEqual({
      [members.ann!]: "2",
      [members.ben!]: "1",
    });
  });

  it("holds a ballot whose DMARC check failed until the member confirms it with a link", async () => {
    const v = await vote();
    await engine.settle();
    const token = await tokenOf(v.id, "cat");
    const before = (await sentTo("cat")).length;
    const raw = await mime({ from: `cat@${domain}`, to: "x", text: "yes" });
    expect(await receive(mailTo(token, raw, { dmarcVerdict: "FAIL" }))).toBe("held-for-confirmation");
    expect(await ballotsOf(v.id)).toHaveLength(0);
    const told = (await sentTo("cat")).slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]!.body.text).toMatch(/\/api\/v1\/ballot\?token=/);
    expect(
      await receive(
        mailTo(token, await mime({ from: `cat@${domain}`, to: "x", text: "yes" }), {
          dmarcVerdict: "PASS",
        }),
      ),
    ).toBe("counted");
  });

  it("rejects oversized and malformed mail without parsing it into a ballot", async () => {
    const v = await vote();
    await engine.settle();
    const token = await tokenOf(v.id, "ann");
    expect(await receive(mailTo(token, Buffer.alloc(10 * 1024 * 1024 + 1, "a")))).toBe("oversized");
    expect(await receive(mailTo(token, Buffer.from("\x00\x01 not a mail at all")))).toBe("malformed");
    expect(await ballotsOf(v.id)).toHaveLength(0);
  });

  it("does not count a reply once the vote's closing time has come", async () => {
    const v = await vote({ closesAt: new Date(runtime.clock.now().getTime() + 3_600_000).toISOString() });
    await engine.settle();
    const token = await tokenOf(v.id, "ben");
    runtime.clock.advance(2 * 3_600_000); // past the close, before the close has run
    expect(await receive(mailTo(token, await mime({ from: `ben@${domain}`, to: "x", text: "yes" })))).toBe(
      "vote-closed",
    );
    expect(await ballotsOf(v.id)).toHaveLength(0);
  });

  it("recognises a counted reply delivered again after the close, and does not say it was not counted", async () => {
    const v = await vote({ closesAt: new Date(runtime.clock.now().getTime() + 3_600_000).toISOString() });
    await engine.settle();
    const token = await tokenOf(v.id, "cat");
    const raw = await mime({ from: `cat@${domain}`, to: "x", text: "no" });
    expect(await receive(mailTo(token, raw))).toBe("counted");
    await engine.settle();
    const notCounted = async () =>
      (await sentTo("cat")).filter((e) => e.subject.startsWith("Your reply was not counted"));
    const before = (await notCounted()).length;

    // Mail is delivered at least once: the same message again, past the close but before it has
    // run, then once the vote is closed and tallied.
    runtime.clock.advance(2 * 3_600_000);
    expect(await receive(mailTo(token, raw))).toBe("duplicate-message");
    await engine.settle(); // the close runs
    expect((await runtime.ports.votes.getVote(organisationId, groupId, v.id))?.status).toBe("closed");
    expect(await receive(mailTo(token, raw))).toBe("duplicate-message");
    await engine.settle();
    expect((await ballotsOf(v.id)).map((b) => b.optionId)).toEqual(["no"]);
    expect(await notCounted()).toHaveLength(before);

    // A new message after the close is still refused, and explained.
    const late = await mime({ from: `cat@${domain}`, to: "x", text: "yes" });
    expect(await receive(mailTo(token, late))).toBe("vote-closed");
    expect(await notCounted()).toHaveLength(before + 1);
  });

  it("knows a message it counted when the vote has closed in between (the store's own check)", async () => {
    const v = await vote({ closesAt: new Date(runtime.clock.now().getTime() + 3_600_000).toISOString() });
    await engine.settle();
    const ref = { organisationId, groupId, voteId: v.id, memberId: members.ann! };
    const ann = (await runtime.ports.store.getMember(organisationId, members.ann!))!;
    const key = `message-${randomUUID()}`;
    expect(await castBallot(runtime.ports, v, ann, ref, "yes", key)).toBe("counted");
    await engine.advance(2 * 3_600_000); // past the close, and the close has run
    expect(await castBallot(runtime.ports, v, ann, ref, "yes", key)).toBe("duplicate-message");
    expect(await castBallot(runtime.ports, v, ann, ref, "no", `message-${randomUUID()}`)).toBe("vote-closed");
    expect((await ballotsOf(v.id)).map((b) => b.optionId)).toEqual(["yes"]);
  });

  it("logged no address, name or body", () => {
    const logged = JSON.stringify(log.lines);
    expect(logged).toContain('"outcome"');
    for (const secret of [domain, "mallory", "Person", "Café", "perhaps"])
      expect(logged).not.toContain(secret);
  });
});
