import { readdirSync, readFileSync } from "node:fs";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { readChoice } from "#inbound/read-choice.ts";
import { readRsvp } from "#inbound/read-rsvp.ts";
import { readReply, trimReply, type Reply } from "#inbound/read-reply.ts";

// Real replies written by other projects' mail clients (../shared/corpus, read in place,
// never copied into the repo). See its README: in every talon reply the person typed "Hello";
// a vote reply is the same mail with "Hello" replaced by the choice.

const corpus = new URL("../../../shared/corpus/", import.meta.url);
const standardReplies = new URL("talon/standard_replies/", corpus);
const htmlReplies = new URL("talon/html_replies/", corpus);
const trimmerEmails = new URL("email_reply_trimmer/emails/", corpus);
const trimmerExpected = new URL("email_reply_trimmer/trimmed/", corpus);

const filesIn = (dir: URL, extension: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .sort();

/** Loose comparison, as the corpora's own tests do: all whitespace runs count as one space. */
const loosely = (text: string) => text.replace(/\s+/g, " ").trim();

async function readOk(raw: Buffer | string): Promise<Reply> {
  const reading = await readReply(raw);
  if (reading.kind !== "reply") throw new Error(`expected a reply, got ${reading.kind}`);
  return reading;
}

/**
 * Replaces the typed "Hello" with `typed` in every text/plain part of a raw mail: the first
 * "Hello" of the part's body, decoding and re-encoding a base64 part (android.eml). Bodies
 * in 7bit, 8bit and quoted-printable hold "Hello" literally in this corpus (no soft break
 * inside it), so they are edited in place. HTML alternatives are left saying "Hello": the
 * reader must take the text part when there is one, and the assertion proves it did.
 */
function replaceTypedHello(raw: Buffer, typed: string): Buffer {
  const source = raw.toString("latin1");
  const boundaries = [...source.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((match) => match[1] ?? "");
  const lines = source.split(/(?<=\n)/);
  const isBoundary = (line: string) =>
    boundaries.some((boundary) => line.trimEnd().startsWith(`--${boundary}`));

  // Split into segments: [headers, body] per MIME entity (the top one included).
  const segments: { delimiter: string; headers: string; body: string }[] = [];
  let current = { delimiter: "", headers: "", body: "" };
  let inHeaders = true;
  for (const line of lines) {
    if (isBoundary(line)) {
      segments.push(current);
      current = { delimiter: line, headers: "", body: "" };
      inHeaders = true;
    } else if (inHeaders) {
      current.headers += line;
      if (line.trim() === "") inHeaders = false;
    } else {
      current.body += line;
    }
  }
  segments.push(current);

  let replaced = 0;
  for (const segment of segments) {
    const contentType = /^content-type:\s*([^;\s]+)/im.exec(segment.headers)?.[1]?.toLowerCase();
    const isTopSinglePart = segment.delimiter === "" && !/multipart\//i.test(segment.headers);
    if (contentType !== "text/plain" && !(contentType === undefined && isTopSinglePart)) continue;
    if (/^content-transfer-encoding:\s*base64/im.test(segment.headers)) {
      const decoded = Buffer.from(segment.body.replace(/\s+/g, ""), "base64").toString("utf8");
      if (!decoded.includes("Hello")) continue;
      const encoded = Buffer.from(decoded.replace("Hello", typed), "utf8").toString("base64");
      segment.body = `${encoded.replace(/.{1,76}/g, "$&\r\n")}\r\n`;
    } else {
      if (!segment.body.includes("Hello")) continue;
      segment.body = segment.body.replace("Hello", typed);
    }
    replaced++;
  }
  if (replaced === 0) throw new Error("no text/plain part held the typed Hello");
  return Buffer.from(segments.map((s) => s.delimiter + s.headers + s.body).join(""), "latin1");
}

/** An HTML-only reply as a client would send it: one text/html part, base64 for 8-bit safety. */
function htmlOnlyMail(html: Buffer): Buffer {
  const headers = [
    "From: Member <member@example.org>",
    "To: vote+token@reply.example.org",
    "Subject: Re: Test message",
    "Message-ID: <html-reply@example.org>",
    "MIME-Version: 1.0",
    'Content-Type: text/html; charset="utf-8"',
    "Content-Transfer-Encoding: base64",
  ];
  const body = html.toString("base64").replace(/.{1,76}/g, "$&\r\n");
  return Buffer.from(`${headers.join("\r\n")}\r\n\r\n${body}`, "latin1");
}

const options = ["Monday", "Tuesday", "Wednesday"];

describe("talon standard replies (complete MIME from 11 clients)", () => {
  const files = filesIn(standardReplies, ".eml");

  it("has the 12 replies the corpus README describes", () => {
    expect(files).toHaveLength(12);
  });

  it.each(files)("%s: the typed text is Hello, without the quote or the signature", async (file) => {
    const reply = await readOk(readFileSync(new URL(file, standardReplies)));
    expect(loosely(reply.typedText)).toBe("Hello");
    expect(reply.autoSubmitted).toBe(false);
  });

  it.each(files)("%s: with Yes typed instead, the proposal reads yes", async (file) => {
    const raw = replaceTypedHello(readFileSync(new URL(file, standardReplies)), "Yes");
    const reply = await readOk(raw);
    expect(loosely(reply.typedText)).toBe("Yes");
    expect(readChoice(reply.typedText, { kind: "proposal" })).toEqual({ kind: "choice", value: "yes" });
  });

  it.each(files)("%s: with 2 typed instead, the choice vote reads option 2", async (file) => {
    const raw = replaceTypedHello(readFileSync(new URL(file, standardReplies)), "2");
    const reply = await readOk(raw);
    expect(loosely(reply.typedText)).toBe("2");
    expect(readChoice(reply.typedText, { kind: "choice", options })).toEqual({
      kind: "choice",
      value: "Tuesday",
    });
  });

  // "Are you coming?": each answer typed in each client's reply (an RSVP to a reminder).
  const rsvps = [
    ["I'll be there", "yes"],
    ["Sorry, can't make it", "no"],
    ["Maybe", "maybe"],
  ] as const;
  it.each(files.flatMap((file) => rsvps.map(([typed, answer]) => [file, typed, answer] as const)))(
    "%s: with %j typed instead, the RSVP reads %s",
    async (file, typed, answer) => {
      const raw = replaceTypedHello(readFileSync(new URL(file, standardReplies)), typed);
      const reply = await readOk(raw);
      expect(readRsvp(reply.typedText)).toEqual({ kind: "choice", value: answer });
    },
  );
});

/** The HTML alternative of each standard reply that has one (read once, before the tests). */
const htmlAlternatives = (
  await Promise.all(
    filesIn(standardReplies, ".eml").map(async (file) => {
      const parsed = await simpleParser(readFileSync(new URL(file, standardReplies)));
      return typeof parsed.html === "string" ? ([file, parsed.html] as const) : null;
    }),
  )
).filter((entry) => entry !== null);

describe("the HTML alternative of each talon standard reply, sent alone", () => {
  // outlook.eml's two alternatives differ: its HTML says this instead of "Hello".
  const typedIn = (file: string) => (file === "outlook.eml" ? "Allo! Follow up MIME!" : "Hello");

  it("has 7 replies with an HTML alternative", () => {
    expect(htmlAlternatives).toHaveLength(7);
  });

  it.each(htmlAlternatives)(
    "%s: the typed text is as in the text part, and Yes reads yes",
    async (file, html) => {
      const reply = await readOk(htmlOnlyMail(Buffer.from(html, "utf8")));
      expect(loosely(reply.typedText)).toBe(typedIn(file));
      const voted = await readOk(htmlOnlyMail(Buffer.from(html.replace(typedIn(file), "Yes"), "utf8")));
      expect(loosely(voted.typedText)).toBe("Yes");
      expect(readChoice(voted.typedText, { kind: "proposal" })).toEqual({ kind: "choice", value: "yes" });
    },
  );
});

describe("talon HTML-only replies (9 clients), each wrapped as a text/html mail", () => {
  const files = filesIn(htmlReplies, ".html");
  // talon's own test of these files: the reply is "Hi. I am fine.\n\nThanks,\nAlex".
  const typed = "Hi. I am fine. Thanks, Alex";

  it("has the 9 replies the corpus README describes", () => {
    expect(files).toHaveLength(9);
  });

  it.each(files)("%s: the typed text is the reply, without the quoted message", async (file) => {
    const reply = await readOk(htmlOnlyMail(readFileSync(new URL(file, htmlReplies))));
    expect(loosely(reply.typedText)).toBe(typed);
  });

  it.each(files)("%s: with Yes typed first, the proposal reads yes", async (file) => {
    const html = readFileSync(new URL(file, htmlReplies), "utf8").replace("Hi. I am fine.", "Yes");
    const reply = await readOk(htmlOnlyMail(Buffer.from(html, "utf8")));
    expect(loosely(reply.typedText)).toBe("Yes Thanks, Alex");
    expect(readChoice(reply.typedText, { kind: "proposal" })).toEqual({ kind: "choice", value: "yes" });
  });
});

/**
 * Where this reader and discourse's email_reply_trimmer disagree, with the reason. Most are
 * choices of purpose: Discourse keeps quotes the member typed around (a forum post quotes),
 * a vote reader wants only the member's own words; and the reply trimmer drops sign-offs
 * ("Best regards", "Cheers") as signatures. The test fails if a case leaves this list by
 * passing (remove it) or a new case fails (fix it, or add it here with its reason).
 */
const knownDifferences: Record<string, string> = {
  "quote_only.txt": "a reply that is only a quote has no typed text here; Discourse keeps the quote",
  "quote_and_text.txt": "the quote above the typed text is dropped; Discourse keeps it",
  "embedded_email_16.txt":
    "quoted lines are dropped and the '--' signature with it; Discourse keeps the quote",
  "embedded_email_17.txt": "the quote between two typed paragraphs and the 'Cheers' sign-off are dropped",
  "embedded_email_7.txt": "the '> ' quote is dropped and 'C>' (supercite) quoting is not recognised",
  "email_headers_5.txt": "'Best regards, //Jef' is dropped as a signature by the reply trimmer",
  "embedded_email_2.txt": "'Best Regards' is dropped as a signature by the reply trimmer",
  "embedded_email_swedish.txt": "'Best regards / Some One' is dropped as a signature by the reply trimmer",
  "forwarded_message.txt":
    "a forward with nothing typed above it has no typed text here; Discourse keeps the forward",
  "embedded_email_11.txt":
    "an attribution with no 'wrote' and no colon ('2016-03-03 17:21 GMT+01:00 Some One')",
  "embedded_email_12.txt": "an attribution broken over blank lines with its '> wrote:' looking like a quote",
  "embedded_email_4.txt": "a date-and-sender attribution without a colon, followed by '|' quoting",
};

describe("email_reply_trimmer plain-text replies (a dozen languages)", () => {
  const files = filesIn(trimmerEmails, ".txt").filter((file) => {
    try {
      readFileSync(new URL(file, trimmerExpected));
      return true;
    } catch {
      return false;
    }
  });

  it("has the 64 replies with an expected result", () => {
    expect(files).toHaveLength(64);
  });

  const agreeing = files.filter((file) => !(file in knownDifferences));
  const differing = files
    .filter((file) => file in knownDifferences)
    .map((file) => [file, knownDifferences[file] ?? ""] as const);

  it.each(agreeing)("%s: the typed text matches the expected trim", (file) => {
    const text = readFileSync(new URL(file, trimmerEmails), "utf8");
    const expected = readFileSync(new URL(file, trimmerExpected), "utf8");
    expect(loosely(trimReply(text))).toBe(loosely(expected));
  });

  it.each(differing)("%s: still differs, as listed: %s", (file) => {
    const text = readFileSync(new URL(file, trimmerEmails), "utf8");
    const expected = readFileSync(new URL(file, trimmerExpected), "utf8");
    expect(loosely(trimReply(text))).not.toBe(loosely(expected));
  });

  it("lists no more than 12 known differences, each a file of the corpus", () => {
    expect(Object.keys(knownDifferences).length).toBeLessThanOrEqual(12);
    for (const file of Object.keys(knownDifferences)) expect(files).toContain(file);
  });

  it("reads the same text through a whole mail as through the trimmer", async () => {
    const file = "embedded_email_french_1.txt";
    const text = readFileSync(new URL(file, trimmerEmails), "utf8");
    const raw = `From: member@example.org\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text}`;
    const reply = await readOk(Buffer.from(raw, "utf8"));
    expect(loosely(reply.typedText)).toBe(loosely(readFileSync(new URL(file, trimmerExpected), "utf8")));
  });
});
