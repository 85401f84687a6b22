import EmailReplyParser from "email-reply-parser";
import { convert as htmlToText, type HtmlToTextOptions } from "html-to-text";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";

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
 * outcome the caller acts on.
 */
export async function readReply(
  raw: Buffer | string,
  limits: Partial<ReplyLimits> = {},
): Promise<ReplyReading> {
  const { maxBytes } = { ...defaultReplyLimits, ...limits };
  const bytes = typeof raw === "string" ? Buffer.byteLength(raw, "utf8") : raw.length;
  if (bytes > maxBytes) return { kind: "oversized", bytes, limitBytes: maxBytes };

  let mail: ParsedMail;
  try {
    // mailparser decodes transfer encodings and charsets (iconv-lite); converting HTML is
    // left to typedTextOf, which also handles multipart mail that has no text part.
    mail = await simpleParser(raw, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
  } catch {
    return { kind: "malformed", reason: "unparseable" };
  }
  // mailparser reads anything as a message; one without a single header field is not a mail.
  if (mail.headers.size === 0) return { kind: "malformed", reason: "unparseable" };

  const from = senderOf(mail.from);
  if (from === null) return { kind: "malformed", reason: "no-sender" };

  return {
    kind: "reply",
    messageId: mail.messageId?.trim() || null,
    from,
    to: addressesOf(mail.to),
    subject: mail.subject ?? "",
    inReplyTo: mail.inReplyTo?.trim() || null,
    references: typeof mail.references === "string" ? [mail.references] : (mail.references ?? []),
    autoSubmitted: isAutomatic(mail, from),
    typedText: typedTextOf(mail),
  };
}

// ---------------------------------------------------------------------------------------
// Addresses

/** The single From mailbox, lower-cased; null when there is none, a group, or several. */
function senderOf(from: AddressObject | undefined): string | null {
  const mailboxes = from?.value ?? [];
  if (mailboxes.length !== 1) return null;
  const address = mailboxes[0]?.address?.trim().toLowerCase() ?? "";
  return /^[^@\s]+@[^@\s]+$/.test(address) ? address : null;
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const addresses: string[] = [];
  const visit = (entries: AddressObject["value"]) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address) addresses.push(entry.address.trim().toLowerCase());
    }
  };
  for (const object of objects) visit(object.value);
  return addresses;
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

function isAutomatic(mail: ParsedMail, from: string): boolean {
  const values = (name: string) =>
    mail.headerLines
      .filter((header) => header.key === name)
      .map((header) =>
        header.line
          .slice(header.line.indexOf(":") + 1)
          .replace(/\s+/g, " ")
          .trim()
          .toLowerCase(),
      );
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

  return outOfOfficeSubject.test((mail.subject ?? "").normalize("NFC"));
}

// ---------------------------------------------------------------------------------------
// What the member typed

/**
 * The reply trimmer's regular expressions take time quadratic in a line's length, so it reads
 * at most this much (an answer is at the top of a reply) with lines cut to a sane length.
 */
const maxTrimmedChars = 16_384;
const maxLineChars = 1_000;

const htmlOptions: HtmlToTextOptions = {
  wordwrap: false,
  // The limits guard against hostile markup; a reply's typed text is at its top.
  limits: { maxDepth: 1_000, maxChildNodes: 10_000, ellipsis: "" },
  selectors: [
    { selector: "a", options: { ignoreHref: true } },
    { selector: "img", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "head", format: "skip" },
    // Headings keep their case: "YES" and "Yes" read the same, but a name may not.
    ...["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({ selector, options: { uppercase: false } })),
    // A horizontal rule is where Outlook-style clients start the quoted message: a separator line.
    { selector: "hr", options: { length: 32 } },
  ],
};

function typedTextOf(mail: ParsedMail): string {
  let body = mail.text ?? "";
  // An HTML-only reply (no text part, or an empty one) is converted to text first; its
  // blockquotes become "> " lines, which the trimmer recognises as quoted.
  if (body.trim() === "" && typeof mail.html === "string") {
    const html = mail.html.slice(0, maxHtmlChars);
    try {
      // htmlparser2 takes time quadratic in nesting depth; hostile nesting loses its structure.
      body = htmlToText(
        nestsDeeperThan(html, maxHtmlDepth) ? html.replace(/<[^>]*>/g, "<br>") : html,
        htmlOptions,
      );
    } catch {
      body = "";
    }
  }
  return trimReply(body);
}

const maxHtmlChars = 1_000_000;
const maxHtmlDepth = 1_000;
/** Elements that never hold content, or that the parser closes when a sibling opens. */
const flatElements = new Set(
  "area base br col embed hr img input link meta param source track wbr p li dt dd option tr td th".split(
    " ",
  ),
);

/** A linear, approximate count of element nesting (a guard, not a parser). */
function nestsDeeperThan(html: string, limit: number): boolean {
  let depth = 0;
  for (const tag of html.matchAll(/<(\/?)([a-z][a-z0-9:-]*)[^>]*?(\/?)>/gi)) {
    const [, closing, name = "", selfClosing] = tag;
    if (flatElements.has(name.toLowerCase()) || selfClosing === "/") continue;
    depth = closing === "/" ? Math.max(0, depth - 1) : depth + 1;
    if (depth > limit) return true;
  }
  return false;
}

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
