import EmailReplyParser from "email-reply-parser";
import { addressParser, type Address } from "postal-mime";
import { htmlToText } from "./html-text.ts";
import {
  decodeEncodedWords,
  fieldValue,
  readMimeMessage,
  type HeaderField,
  type MimeMessage,
} from "./mime-message.ts";

/**
 * Reading an inbound reply: the MIME parsed, who sent it, whether a machine wrote it, and
 * the text the member typed (not the quoted email, not the signature). Pure apart from
 * parsing: no store, no mail sent, nothing logged (the body and the addresses are personal
 * data; callers log the outcome's kind only).
 */

/** What was read from a reply that could be parsed. */
export interface Reply {
  kind: "reply";
  /** The Message-ID header as written (angle brackets kept), null when the mail has none. */
  messageId: string | null;
  /** The sender's address only, lower-cased. */
  from: string;
  /** Every To address, lower-cased (the reply address carries the ballot token). */
  to: string[];
  subject: string;
  inReplyTo: string | null;
  references: string[];
  /** An auto-reply, out-of-office, bounce or other machine-written mail: never counted or answered. */
  autoSubmitted: boolean;
  /** Only what the person typed; an empty string when they typed nothing. */
  typedText: string;
  /** The calendar parts of the mail (a calendar's Accept/Decline/Tentative is one), as text. */
  calendar: string[];
}

/** The raw mail exceeds the size limit; it was not parsed. */
export interface OversizedReply {
  kind: "oversized";
  bytes: number;
  limitBytes: number;
}

/** The mail could not be parsed, or names no single sender to attribute it to. */
export interface MalformedReply {
  kind: "malformed";
  reason: "unparseable" | "no-sender";
}

export type ReplyReading = Reply | OversizedReply | MalformedReply;

export interface ReplyLimits {
  /** Largest raw mail read, in bytes; a larger one is `oversized` without being parsed. */
  maxBytes: number;
}

export const defaultReplyLimits: Readonly<ReplyLimits> = { maxBytes: 10 * 1024 * 1024 };

/**
 * Reads a raw reply. Never throws for bad input: an oversized or malformed mail is an
 * outcome the caller acts on. (The reading is synchronous; the promise keeps the contract.)
 */
export function readReply(raw: Buffer | string, limits: Partial<ReplyLimits> = {}): Promise<ReplyReading> {
  return Promise.resolve(read(raw, limits));
}

function read(raw: Buffer | string, limits: Partial<ReplyLimits>): ReplyReading {
  const { maxBytes } = { ...defaultReplyLimits, ...limits };
  const bytes = typeof raw === "string" ? Buffer.byteLength(raw, "utf8") : raw.length;
  if (bytes > maxBytes) return { kind: "oversized", bytes, limitBytes: maxBytes };

  let mail: MimeMessage | null;
  try {
    mail = readMimeMessage(typeof raw === "string" ? Buffer.from(raw, "utf8") : raw);
  } catch {
    mail = null; // a defect, not an outcome of any input: still never thrown at the caller
  }
  // Anything reads as a message; one without a single header field is not a mail.
  if (mail === null) return { kind: "malformed", reason: "unparseable" };
  const { fields } = mail;

  const from = senderOf(fieldValue(fields, "from"));
  if (from === null) return { kind: "malformed", reason: "no-sender" };
  const subject = decodeEncodedWords(fieldValue(fields, "subject") ?? "");

  return {
    kind: "reply",
    messageId: messageIdOf(fieldValue(fields, "message-id")),
    from,
    to: fields.filter((field) => field.name === "to").flatMap((field) => addressesOf(field.value)),
    subject,
    inReplyTo: messageIdOf(fieldValue(fields, "in-reply-to")),
    references: fields
      .filter((field) => field.name === "references")
      .flatMap((field) => field.value.split(/\s+/))
      .map(messageIdOf)
      .filter((id) => id !== null),
    autoSubmitted: isAutomatic(fields, subject, from),
    typedText: typedTextOf(mail),
    calendar: mail.calendar,
  };
}

/** A message id with its angle brackets, however it was written; null when empty. */
function messageIdOf(value: string | undefined): string | null {
  const id = value?.trim().replace(/^<|>$/g, "") ?? "";
  return id === "" ? null : `<${id}>`;
}

// ---------------------------------------------------------------------------------------
// Addresses

/** The single From mailbox, lower-cased; null when there is none, a group, or several. */
function senderOf(from: string | undefined): string | null {
  const mailboxes: Address[] = from === undefined ? [] : addressParser(from);
  if (mailboxes.length !== 1) return null;
  const address = mailboxes[0]?.address?.trim().toLowerCase() ?? "";
  return /^[^@\s]+@[^@\s]+$/.test(address) ? address : null;
}

/** Every address of an address list, group members included, lower-cased. */
function addressesOf(field: string): string[] {
  return addressParser(field)
    .flatMap((entry) => entry.group ?? [entry])
    .map((mailbox) => mailbox.address.trim().toLowerCase())
    .filter((address) => address !== "");
}

// ---------------------------------------------------------------------------------------
// Machine-written mail (RFC 3834 and the conventions that predate it)

/**
 * Out-of-office subjects, at the start of the subject only: an auto-responder puts its prefix
 * first ("Automatic reply: Re: …"), while a member's "Re: Out of office cover" is a reply.
 */
const outOfOfficeSubject = new RegExp(
  "^\\s*(?:" +
    [
      "out of (?:the )?office",
      "automatic reply",
      "auto[- ]?reply",
      "auto[- ]?response",
      "autoreply",
      "vacation reply",
      "abwesenheitsnotiz",
      "automatische antwort",
      "réponse automatique",
      "absence du bureau",
      "respuesta automática",
      "fuera de la oficina",
      "risposta automatica",
      "fuori sede",
      "automatisch antwoord",
      "afwezig",
      "resposta automática",
      "autosvar",
      "automatisk svar",
      "automaattinen vastaus",
      "odpowiedź automatyczna",
      "automatická odpověď",
      "automatikus válasz",
      "otomatik yanıt",
      "автоматический ответ",
      "автоматична відповідь",
      "自动回复",
      "自動回覆",
      "自動応答",
      "自動返信",
      "자동 회신",
    ].join("|") +
    ")(?=$|[\\s:：,.!\\-–—(\\[])",
  "iu",
);

const automaticPrecedence = new Set(["bulk", "junk", "list", "auto_reply"]);

function isAutomatic(fields: readonly HeaderField[], subject: string, from: string): boolean {
  const values = (name: string) =>
    fields
      .filter((field) => field.name === name)
      .map((field) => field.value.replace(/\s+/g, " ").toLowerCase());
  const token = (value: string) => value.split(";")[0]?.trim() ?? "";

  if (values("auto-submitted").some((value) => token(value) !== "no")) return true;
  if (values("precedence").some((value) => automaticPrecedence.has(token(value)))) return true;
  if (
    [...values("x-autoreply"), ...values("x-autorespond")].some((value) => !/^(no|false|0)?$/.test(value))
  ) {
    return true;
  }
  // Exchange marks its own out-of-office replies so; senders set it to ask for no auto-replies.
  const suppress = values("x-auto-response-suppress").flatMap((value) => value.split(/[\s,]+/));
  if (suppress.includes("all") || suppress.includes("oof")) return true;
  // A null reverse path is what RFC 3834 asks of responders and RFC 5321 of bounces.
  if (values("return-path").some((value) => value.replace(/\s/g, "") === "<>")) return true;

  // A bounce, delivery or read receipt, or abuse report (RFC 6522 multipart/report).
  if (values("content-type").some((value) => token(value) === "multipart/report")) return true;
  const localPart = from.slice(0, from.lastIndexOf("@"));
  if (localPart === "mailer-daemon" || localPart === "postmaster") return true;

  return outOfOfficeSubject.test(subject.normalize("NFC"));
}

// ---------------------------------------------------------------------------------------
// What the member typed

/**
 * The reply trimmer's regular expressions take time quadratic in a line's length, so it reads
 * at most this much (an answer is at the top of a reply) with lines cut to a sane length.
 */
const maxTrimmedChars = 16_384;
const maxLineChars = 1_000;

function typedTextOf(mail: MimeMessage): string {
  let body = mail.text;
  // An HTML-only reply (no text part, or an empty one) is converted to text first; its
  // blockquotes become "> " lines, which the trimmer recognises as quoted.
  if (body.trim() === "" && mail.html !== null) body = htmlToText(mail.html.slice(0, maxHtmlChars));
  return trimReply(body);
}

/** An answer is at the top of a reply; hostile markup beyond this is not read. */
const maxHtmlChars = 1_000_000;

/**
 * The typed part of a plain-text reply body. email-reply-parser (Crisp's port of GitHub's
 * email_reply_parser) removes quoted fragments, "On … wrote:" headers in a dozen languages and
 * common signatures; the rules before it cover what it leaves behind in the corpus of real
 * replies: attribution lines in other languages, header blocks and separators that start a
 * quoted message without "> " quoting.
 */
export function trimReply(body: string): string {
  const lines = normalise(body)
    .slice(0, maxTrimmedChars)
    .split("\n")
    .map((line) => (line.trim() === "" ? "" : line.slice(0, maxLineChars)))
    // Runs of blank lines make the trimmer's "^\s*" patterns quadratic; two say as much.
    .filter((line, i, all) => line !== "" || all[i - 1] !== "" || all[i - 2] !== "");
  const cut = cutAtQuotedMessage(lines);
  quoteAttributions(cut);
  const visible = new EmailReplyParser().read(cut.join("\n")).getVisibleText();
  return dropTrailingNoise(visible.split("\n"))
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}

function normalise(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      .replace(/\u00a0/g, " ")
      // Zero-width and direction marks (Windows Mail sprinkles them through dates).
      .replace(/[\u200b-\u200f\u202a-\u202e\u2060\ufeff\u00ad]/g, "")
  );
}

const separatorLine = /^\s*[*_]*\s*(?:[-_=]{3,}|[-_=*]{3,}\s*\S.{6,}\S\s*[-_=*]{3,})\s*[*_]*\s*$/u;

/** Header names of an embedded message's header block, in the languages of the corpus and more. */
const headerName =
  "from|sent|date|to|cc|subject|reply-to|de|envoyé|à|objet|von|gesendet|datum|an|betreff|van|verzonden|aan" +
  "|onderwerp|da|inviato|data|a|oggetto|risposta|enviado|fecha|para|asunto|enviada|assunto|от|отправлено|дата" +
  "|кому|тема|копия|från|skickat|till|ämne|fra|sendt|til|emne|od|wysłano|do|temat|lähettäjä|lähetetty" +
  "|vastaanottaja|aihe|feladó|elküldve|címzett|tárgy|发件人|发送时间|收件人|主题|寄件者|差出人|送信日時|宛先|件名";
const headerLine = new RegExp(`^\\s*[*_]*(?:${headerName})[*_]*\\s*[:：][*_]*(?:\\s|$)`, "iu");

/** "… wrote:" in the languages of the corpus, at the end of an attribution line. */
const attributionVerb =
  /(?:wrote|écrit|schrieb|escribió|scritto|escreveu|schreef|geschreven|napisał(?:\(a\)|a)?|pisze|skrev|kirjoitti|написал|написала|написав|пише|写道|작성|のメッセージ)\s*[:：]\s*$/iu;
const quotedLine = /^\s*>/;
/** Signs that a line names a sender or a date: an address, a time, a year. */
const attributionMark = /@|<|\d{1,2}:\d{2}|\b\d{4}\b/u;

/**
 * Cuts the text at the first separator line ("-----Original Message-----", "________", a
 * forwarded-message banner), header block ("From: … / Sent: …" on consecutive lines) or
 * "… wrote:" attribution not followed by "> " quoting: what follows is a quoted or forwarded
 * message, or a signature. An attribution at the very top (the member wrote below it) is
 * dropped alone.
 */
function cutAtQuotedMessage(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (separatorLine.test(line)) return lines.slice(0, i);
    if (headerLine.test(line) && lines.slice(i + 1, i + 3).some((next) => headerLine.test(next))) {
      return lines.slice(0, i);
    }
    if (attributionVerb.test(line) && !quotedLine.test(line)) {
      const start = attributionStart(lines, i);
      if (start === null) continue;
      const next = lines.slice(i + 1).find((later) => later.trim() !== "");
      if (next !== undefined && quotedLine.test(next)) continue; // quoteAttributions' case
      const above = lines.slice(0, start);
      if (above.every((earlier) => earlier.trim() === "")) return cutAtQuotedMessage(lines.slice(i + 1));
      return above;
    }
  }
  return lines;
}

/**
 * The first line of the attribution ending at line `end`: up to two earlier lines of its
 * paragraph that name a sender or a date (clients wrap long attributions). Null when the
 * paragraph names neither, so "Here is what I wrote:" stays.
 */
function attributionStart(lines: string[], end: number): number | null {
  let start = end;
  while (start > end - 2 && start > 0 && attributionMark.test(lines[start - 1] ?? "")) start--;
  return attributionMark.test(lines.slice(start, end + 1).join(" ")) ? start : null;
}

/**
 * Marks as quoted the attribution before a "> " quote when the trimmer's own patterns miss it
 * (e.g. Russian "… пользователь … написал:", or "26.06.2014, 14:41, "Name" <addr>:"): the
 * paragraph's last line ends with a colon and it names a sender or a date. At most three lines,
 * as clients wrap long attributions.
 */
function quoteAttributions(lines: string[]): void {
  for (let i = 0; i < lines.length; i++) {
    const quote = lines[i] ?? "";
    if (!quotedLine.test(quote)) continue;
    let end = i - 1;
    while (end >= 0 && end >= i - 3 && (lines[end] ?? "").trim() === "") end--;
    const last = lines[end];
    if (end < 0 || last === undefined || quotedLine.test(last)) continue;
    // The colon ends the attribution, or starts the quote when a client wrapped "<addr>:" as ">:".
    if (!/[:：]\s*$/.test(last) && !/^\s*>\s*:\s*$/.test(quote)) continue;
    const start = attributionStart(lines, end);
    if (start === null) continue;
    for (let j = start; j <= end; j++) lines[j] = `> ${lines[j] ?? ""}`;
  }
}

/** Trailing lines with no letter or digit (rules, a Gmail tracker's "ᐧ") carry nothing typed. */
function dropTrailingNoise(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0) {
    const line = lines[end - 1] ?? "";
    if (/[\p{L}\p{N}]/u.test(line.replace(/\u1427/g, ""))) break;
    end--;
  }
  return lines.slice(0, end);
}
