import { describe, expect, it } from "vitest";
import { readChoice } from "#inbound/read-choice.ts";
import { defaultReplyLimits, readReply, type Reply } from "#inbound/read-reply.ts";

const proposal = { kind: "proposal" } as const;

/** A mail as a client sends it: headers (CRLF), a blank line, the body. */
function mail(headers: Record<string, string> | string[], body = ""): string {
  const lines = Array.isArray(headers) ? headers : Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

const replyHeaders = {
  From: '"Member One" <Member.One@Example.ORG>',
  To: "vote+abc123@reply.convene.test",
  Subject: "Re: Vote: a designated facilitator?",
  "Message-ID": "<reply-1@mail.example.org>",
  "In-Reply-To": "<ballot-1@convene.test>",
  References: "<ballot-1@convene.test>",
  "MIME-Version": "1.0",
};

const plain = (body: string, extra: Record<string, string> = {}) =>
  mail({ ...replyHeaders, "Content-Type": "text/plain; charset=utf-8", ...extra }, body);

async function readOk(raw: Buffer | string): Promise<Reply> {
  const reading = await readReply(raw);
  if (reading.kind !== "reply") throw new Error(`expected a reply, got ${reading.kind}`);
  return reading;
}

describe("the reply's envelope", () => {
  it("gives the ids, the sender's address only and lower-cased, and every To address", async () => {
    const reply = await readOk(
      mail(
        {
          ...replyHeaders,
          To: '"Ballot" <Vote+ABC@Reply.Convene.test>, friends: a@x.org, B@Y.org;',
          References: "<first@x> <ballot-1@convene.test>",
          "Content-Type": "text/plain",
        },
        "Yes\r\n",
      ),
    );
    expect(reply).toMatchObject({
      kind: "reply",
      messageId: "<reply-1@mail.example.org>",
      from: "member.one@example.org",
      to: ["vote+abc@reply.convene.test", "a@x.org", "b@y.org"],
      subject: "Re: Vote: a designated facilitator?",
      inReplyTo: "<ballot-1@convene.test>",
      references: ["<first@x>", "<ballot-1@convene.test>"],
      autoSubmitted: false,
      typedText: "Yes",
    });
  });

  it("gives null ids and no references when the mail has none", async () => {
    const reply = await readOk(mail({ From: "member@example.org", "Content-Type": "text/plain" }, "No\r\n"));
    expect(reply).toMatchObject({ messageId: null, inReplyTo: null, references: [], subject: "", to: [] });
  });

  it("gives a single References id as a list", async () => {
    const reply = await readOk(plain("Yes\r\n"));
    expect(reply.references).toEqual(["<ballot-1@convene.test>"]);
  });

  it("decodes an encoded-word subject", async () => {
    const reply = await readOk(plain("Yes\r\n", { Subject: "=?ISO-8859-1?Q?Re:_Caf=E9_or_library=3F?=" }));
    expect(reply.subject).toBe("Re: Café or library?");
  });
});

describe("what the member typed", () => {
  it("is the text above the quoted ballot, without the attribution or the quote", async () => {
    const reply = await readOk(
      plain(
        "Yes please!\r\n\r\nOn Mon, 3 Mar 2025 at 10:00, Convene <vote@convene.test> wrote:\r\n> Reply NO or YES\r\n",
      ),
    );
    expect(reply.typedText).toBe("Yes please!");
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "choice", value: "yes" });
  });

  it("leaves out the signature", async () => {
    const reply = await readOk(plain("No\r\n\r\n-- \r\nSam\r\nYes, this is my signature\r\n"));
    expect(reply.typedText).toBe("No");
  });

  it("leaves out 'Sent from my phone' lines", async () => {
    const reply = await readOk(plain("Abstain\r\n\r\nSent from my iPhone\r\n"));
    expect(reply.typedText).toBe("Abstain");
  });

  it("leaves out an Outlook-style quoted message under a separator", async () => {
    const reply = await readOk(
      plain(
        "2\r\n\r\n________________________________\r\nFrom: Convene <vote@convene.test>\r\nSent: 3 March 2025\r\nTo: Member\r\nSubject: Vote\r\n\r\nReply 1, 2 or 3\r\n",
      ),
    );
    expect(reply.typedText).toBe("2");
  });

  it("is empty when the member typed nothing above the quote", async () => {
    const reply = await readOk(
      plain("\r\nOn Mon, 3 Mar 2025, Convene <vote@convene.test> wrote:\r\n> Yes or no?\r\n"),
    );
    expect(reply.typedText).toBe("");
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "empty" });
  });

  it("is empty for an empty body", async () => {
    const reply = await readOk(plain(""));
    expect(reply.typedText).toBe("");
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "empty" });
  });

  it("is empty when only a signature was sent", async () => {
    const reply = await readOk(plain("\r\nSent from my iPhone\r\n"));
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "empty" });
  });

  it("keeps two choices typed in one reply, which then read as ambiguous", async () => {
    const yesNo = await readOk(
      plain("Yes. No.\r\n\r\nOn Mon, Convene <vote@convene.test> wrote:\r\n> ballot\r\n"),
    );
    expect(readChoice(yesNo.typedText, proposal)).toEqual({ kind: "ambiguous", candidates: ["yes", "no"] });
    const twoOptions = await readOk(plain("2 and 3\r\n"));
    expect(readChoice(twoOptions.typedText, { kind: "choice", options: ["A", "B", "C"] })).toEqual({
      kind: "ambiguous",
      candidates: ["B", "C"],
    });
  });

  it("reads only the start of a very long body, quickly", async () => {
    // The trimmer's patterns are quadratic in a line's length: an unbounded line would hang it.
    const hostile = `Yes\r\n\r\nFrom:${" [".repeat(2_000_000)}\r\n`;
    const started = performance.now();
    const reply = await readOk(plain(hostile));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "choice", value: "yes" });
  }, 20_000);

  it("reads a body of many blank lines quickly", async () => {
    // Runs of blank lines make the trimmer's "^\s*" patterns quadratic.
    const started = performance.now();
    const reply = await readOk(plain(`No${"\r\n".repeat(20_000)}> quoted\r\n`));
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(reply.typedText).toBe("No");
  }, 20_000);
});

describe("HTML-only replies", () => {
  const html =
    '<div dir="ltr">Yes</div><div class="gmail_quote">On Mon, Convene wrote:<blockquote>No</blockquote></div>';

  it("converts a text/html mail to text, leaving out the blockquote", async () => {
    const reply = await readOk(mail({ ...replyHeaders, "Content-Type": "text/html; charset=utf-8" }, html));
    expect(reply.typedText).toBe("Yes");
  });

  it.each([
    ["multipart/alternative with only HTML", "alternative", ""],
    [
      "multipart/mixed with an attachment",
      "mixed",
      "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n",
    ],
    [
      "multipart/related with an inline image",
      "related",
      "--b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n",
    ],
  ])("converts the HTML of %s (mailparser leaves its text empty)", async (_name, subtype, other) => {
    const body = `--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n${other}--b--\r\n`;
    const reply = await readOk(
      mail({ ...replyHeaders, "Content-Type": `multipart/${subtype}; boundary="b"` }, body),
    );
    expect(reply.typedText).toBe("Yes");
  });

  it("uses the HTML when the text part is empty", async () => {
    const body = `--b\r\nContent-Type: text/plain\r\n\r\n \r\n--b\r\nContent-Type: text/html\r\n\r\n${html}\r\n--b--\r\n`;
    const reply = await readOk(
      mail({ ...replyHeaders, "Content-Type": 'multipart/alternative; boundary="b"' }, body),
    );
    expect(reply.typedText).toBe("Yes");
  });

  it("prefers the text part to the HTML alternative", async () => {
    const body = `--b\r\nContent-Type: text/plain\r\n\r\nNo\r\n--b\r\nContent-Type: text/html\r\n\r\n${html}\r\n--b--\r\n`;
    const reply = await readOk(
      mail({ ...replyHeaders, "Content-Type": 'multipart/alternative; boundary="b"' }, body),
    );
    expect(reply.typedText).toBe("No");
  });

  it("cuts an Outlook reply at its horizontal rule, and drops link targets and images", async () => {
    const outlook =
      '<p>Option <a href="https://x.test/2">two</a><img src="cid:sig"></p><hr><p><b>From:</b> Convene<br><b>Sent:</b> today</p><p>Reply 1, 2 or 3</p>';
    const reply = await readOk(mail({ ...replyHeaders, "Content-Type": "text/html" }, outlook));
    expect(reply.typedText).toBe("Option two");
  });

  it("survives deeply nested markup", async () => {
    const nested = `Yes${"<div>".repeat(50_000)}x${"</div>".repeat(50_000)}`;
    const reply = await readOk(mail({ ...replyHeaders, "Content-Type": "text/html" }, nested));
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "choice", value: "yes" });
  }, 20_000);
});

describe("character sets", () => {
  const withCharset = (charset: string, encoding: string, body: Buffer) =>
    Buffer.concat([
      Buffer.from(
        mail({
          ...replyHeaders,
          "Content-Type": `text/plain; charset=${charset}`,
          "Content-Transfer-Encoding": encoding,
        }),
        "latin1",
      ),
      body,
    ]);

  it("decodes ISO-8859-1 (quoted-printable): an option name with an accent", async () => {
    const reply = await readOk(withCharset("ISO-8859-1", "quoted-printable", Buffer.from("Caf=E9 Nero\r\n")));
    expect(reply.typedText).toBe("Café Nero");
    expect(readChoice(reply.typedText, { kind: "choice", options: ["Library", "Café Nero"] })).toEqual({
      kind: "choice",
      value: "Café Nero",
    });
  });

  it("decodes Windows-1252 (8bit): curly quotes and a dash around the answer", async () => {
    const body = Buffer.from([
      0x93,
      ...Buffer.from("Yes"),
      0x94,
      0x20,
      0x96,
      ...Buffer.from(" of course\r\n"),
    ]);
    const reply = await readOk(withCharset("windows-1252", "8bit", body));
    expect(reply.typedText).toBe("\u201cYes\u201d \u2013 of course");
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "choice", value: "yes" });
  });

  it("decodes UTF-16 (base64, with a byte-order mark)", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Abstain\r\n", "utf16le")]);
    const reply = await readOk(withCharset("UTF-16", "base64", Buffer.from(utf16.toString("base64"))));
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "choice", value: "abstain" });
  });

  it("decodes Shift_JIS (8bit): an option named in Japanese", async () => {
    // 大阪 is 91 E5 8D E3 in Shift_JIS; ありがとう follows on the next line.
    const body = Buffer.from("91e58de30d0a82a082e882aa82c682a40d0a", "hex");
    const reply = await readOk(withCharset("Shift_JIS", "8bit", body));
    expect(reply.typedText).toBe("大阪\nありがとう");
    expect(readChoice(reply.typedText, { kind: "choice", options: ["東京", "大阪"] })).toEqual({
      kind: "choice",
      value: "大阪",
    });
  });

  it("reads an unknown charset without failing", async () => {
    const reply = await readOk(withCharset("x-unheard-of", "7bit", Buffer.from("Yes\r\n")));
    expect(reply.typedText).toBe("Yes");
  });
});

describe("auto-replies and bounces are recognised", () => {
  const autoSubmitted = async (raw: string) => (await readOk(raw)).autoSubmitted;

  it("a member's ordinary reply is not automatic", async () => {
    expect(await autoSubmitted(plain("Yes\r\n"))).toBe(false);
  });

  it.each([
    ["Auto-Submitted", "auto-replied"],
    ["Auto-Submitted", 'auto-generated; owner-email="x@y.org"'],
    ["Auto-Submitted", "auto-notified"],
    ["Precedence", "bulk"],
    ["Precedence", "junk"],
    ["Precedence", "list"],
    ["Precedence", "auto_reply"],
    ["X-Autoreply", "yes"],
    ["X-Autorespond", "Vacation"],
    ["X-Auto-Response-Suppress", "All"],
    ["X-Auto-Response-Suppress", "DR, OOF, AutoReply"],
    ["Return-Path", "<>"],
  ])("%s: %s", async (header, value) => {
    expect(await autoSubmitted(plain("I am away until Monday.\r\n", { [header]: value }))).toBe(true);
  });

  it.each([
    ["Auto-Submitted", "no"],
    ["Precedence", "first-class"],
    ["X-Auto-Response-Suppress", "DR, RN, NRN"],
    ["X-Autoreply", "no"],
  ])("but not %s: %s", async (header, value) => {
    expect(await autoSubmitted(plain("Yes\r\n", { [header]: value }))).toBe(false);
  });

  it("a second Precedence header counts too", async () => {
    const raw = mail(
      [
        ...Object.entries(replyHeaders).map(([k, v]) => `${k}: ${v}`),
        "Precedence: normal",
        "Precedence: bulk",
      ],
      "x",
    );
    expect(await autoSubmitted(raw)).toBe(true);
  });

  it.each([
    "Out of Office: Re: Vote: a designated facilitator?",
    "Out of the office",
    "Automatic reply: Re: Vote",
    "Auto-Reply: away",
    "Abwesenheitsnotiz: Re: Abstimmung",
    "Automatische Antwort: Re: Vote",
    "Réponse automatique : Re: Vote",
    "=?UTF-8?Q?R=C3=A9ponse_automatique=3A_Re=3A_Vote?=",
    "Respuesta automática: Re: Vote",
    "Risposta automatica: Re: Vote",
    "Automatisch antwoord: Re: Vote",
    "Autosvar: Re: Vote",
    "Automatisk svar: Re: Vote",
    "Automaattinen vastaus: Re: Vote",
    "Автоматический ответ: Re: Vote",
    "自動返信: Re: Vote",
  ])("an out-of-office subject: %s", async (subject) => {
    expect(await autoSubmitted(plain("I am away.\r\n", { Subject: subject }))).toBe(true);
  });

  it.each(["Re: Out of office cover on Thursdays", "Re: Vote: automatic reply settings?", "Re: Outstanding"])(
    "not a member's subject that merely mentions it: %s",
    async (subject) => {
      expect(await autoSubmitted(plain("Yes\r\n", { Subject: subject }))).toBe(false);
    },
  );

  it("a delivery-status report (bounce)", async () => {
    const body =
      "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n" +
      "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; x@y.org\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
      "--b--\r\n";
    const raw = mail(
      {
        ...replyHeaders,
        From: "Mail Delivery System <bounces@mx.example.org>",
        "Content-Type": 'multipart/report; report-type=delivery-status; boundary="b"',
      },
      body,
    );
    expect(await autoSubmitted(raw)).toBe(true);
  });

  it.each(["MAILER-DAEMON@mx.example.org", "postmaster@example.org"])("mail from %s", async (from) => {
    expect(await autoSubmitted(plain("Undeliverable\r\n", { From: from }))).toBe(true);
  });
});

describe("oversized mail", () => {
  it("is rejected before parsing above 10 MB, with the sizes", async () => {
    const raw = Buffer.alloc(defaultReplyLimits.maxBytes + 1, "a");
    expect(await readReply(raw)).toEqual({ kind: "oversized", bytes: 10_485_761, limitBytes: 10_485_760 });
  });

  it("is read at exactly the limit", async () => {
    const head = plain("Yes\r\n\r\n");
    const raw = Buffer.concat([Buffer.from(head), Buffer.alloc(1024 - head.length, "x")]);
    expect((await readReply(raw, { maxBytes: 1024 })).kind).toBe("reply");
  });

  it("counts a string in UTF-8 bytes, not characters", async () => {
    const raw = plain("é".repeat(600));
    expect(raw.length).toBeLessThan(1000);
    expect(await readReply(raw, { maxBytes: 1000 })).toMatchObject({ kind: "oversized" });
  });
});

describe("malformed mail", () => {
  it.each([
    ["an empty input", ""],
    ["bytes that are no mail", Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x0d, 0x00, 0x80])],
    ["text with no header section", "Yes, I vote yes\r\n"],
  ])("%s is unparseable", async (_name, raw) => {
    expect(await readReply(raw)).toEqual({ kind: "malformed", reason: "unparseable" });
  });

  it.each([
    ["no From header", { To: "vote@reply.test", Subject: "Re: Vote" }],
    ["a From with no address", { From: "not an address" }],
    ["a From that is an empty group", { From: "undisclosed-recipients:;" }],
    ["two From mailboxes", { From: "a@example.org, b@example.org" }],
  ])("%s has no sender to attribute it to", async (_name, headers) => {
    expect(await readReply(mail(headers, "Yes\r\n"))).toEqual({ kind: "malformed", reason: "no-sender" });
  });

  it("a multipart mail without its closing boundary is still read", async () => {
    const raw = mail(
      { ...replyHeaders, "Content-Type": 'multipart/alternative; boundary="b"' },
      "--b\r\nContent-Type: text/plain\r\n\r\nYes\r\n",
    );
    expect((await readOk(raw)).typedText).toBe("Yes");
  });

  it("a body that is not the base64 it claims is read as whatever it decodes to, without failing", async () => {
    const reply = await readOk(plain("!!!not*base64***\r\n", { "Content-Transfer-Encoding": "base64" }));
    expect(readChoice(reply.typedText, proposal)).toEqual({ kind: "unreadable" });
  });
});
