import { decodeText } from "./charset.ts";
import { unflow } from "./flowed-text.ts";

/**
 * A raw mail read just far enough to read a reply: its header fields and the text of its body
 * parts. Written here because the MIME parsers that decode charsets with TextDecoder (postal-mime)
 * decode and unwrap each text part internally, before a caller could correct windows-1252 on
 * Node 20 or keep format=flowed lines apart by quote depth, and the one that decodes them right
 * (mailparser) carries 1 MB of iconv-lite charset tables. So the structure is walked here and
 * every text part decoded from its own bytes (charset.ts, flowed-text.ts); addresses are left to
 * postal-mime's address parser (read-reply.ts). Linear in the size of the mail; never throws for
 * bad input.
 */

/** One header field: the name lower-cased, the value unfolded, 8-bit bytes read as UTF-8. */
export interface HeaderField {
  name: string;
  value: string;
}

export interface MimeMessage {
  /** The top-level header fields, in order; encoded words are left as written. */
  fields: HeaderField[];
  /** The inline text/plain parts, decoded, joined by a line break; "" when there are none. */
  text: string;
  /** The inline text/html parts, decoded, joined by a line break; null when there are none. */
  html: string | null;
  /** The calendar parts (text/calendar, application/ics; attached too), decoded: an iTIP reply. */
  calendar: string[];
}

/**
 * Reads a raw mail; null when it has no header field at all (it is no mail). Attachments,
 * embedded messages (message/rfc822, a forwarded mail) and non-text parts are not read.
 */
export function readMimeMessage(raw: Buffer): MimeMessage | null {
  // Latin-1 maps every byte to one character and back, so the structure is found in a string.
  const { fields, body } = splitEntity(raw.toString("latin1"));
  if (fields.length === 0) return null;
  const text: string[] = [];
  const html: string[] = [];
  const calendar: string[] = [];
  collectText(fields, body, 0, { text, html, calendar });
  return { fields, text: text.join("\n"), html: html.length > 0 ? html.join("\n") : null, calendar };
}

/** The first field of that name (lower case), or undefined. */
export const fieldValue = (fields: readonly HeaderField[], name: string): string | undefined =>
  fields.find((field) => field.name === name)?.value;

// ---------------------------------------------------------------------------------------
// Entities: header fields, then a body after the first empty line (RFC 5322 section 2.1)

function splitEntity(source: string): { fields: HeaderField[]; body: string } {
  const lines: string[] = [];
  let position = 0;
  let body = "";
  while (position < source.length) {
    const newline = source.indexOf("\n", position);
    const end = newline < 0 ? source.length : newline;
    const line = source.slice(position, source[end - 1] === "\r" ? end - 1 : end);
    position = end + 1;
    if (line === "") {
      body = source.slice(position);
      break;
    }
    lines.push(line);
  }
  return { fields: headerFields(lines), body };
}

function headerFields(lines: readonly string[]): HeaderField[] {
  // A line starting with a space or a tab continues the field above it (folding).
  const unfolded: string[] = [];
  for (const line of lines) {
    if ((line.startsWith(" ") || line.startsWith("\t")) && unfolded.length > 0)
      unfolded[unfolded.length - 1] += line;
    else unfolded.push(line);
  }
  const fields: HeaderField[] = [];
  for (const line of unfolded) {
    const colon = line.indexOf(":");
    // A line without a colon, or without a printable ASCII name before it, is no header field.
    const name = line.slice(0, Math.max(colon, 0)).trim().toLowerCase();
    if (!/^[!-9;-~]+$/.test(name)) continue;
    // Only spaces and tabs are trimmed: JavaScript's trim() would also take a 0xA0 byte, the
    // end of a UTF-8 "à" or "ł", for a no-break space.
    const value = trimSpaceAndTab(line.slice(colon + 1));
    // RFC 6532 allows UTF-8 in header fields; the Latin-1 string holds its bytes.
    fields.push({
      name,
      value: /[\u0080-\u00ff]/.test(value) ? Buffer.from(value, "latin1").toString("utf8") : value,
    });
  }
  return fields;
}

function trimSpaceAndTab(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === " " || text[start] === "\t")) start++;
  while (end > start && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
  return text.slice(start, end);
}

// ---------------------------------------------------------------------------------------
// The body's text parts

/** Deeper multipart nesting than any mail client writes; what lies below it is not read. */
const maxNesting = 16;

function collectText(
  fields: readonly HeaderField[],
  body: string,
  depth: number,
  into: { text: string[]; html: string[]; calendar: string[] },
): void {
  const type = structuredValue(fieldValue(fields, "content-type") ?? "");
  // RFC 2045: a part without a (readable) type is plain text.
  if (type.value === "") type.value = "text/plain";
  if (type.value.startsWith("multipart/")) {
    const boundary = type.params.get("boundary");
    if (!boundary || depth >= maxNesting) return;
    for (const part of partsOf(body, boundary)) {
      const entity = splitEntity(part);
      collectText(entity.fields, entity.body, depth + 1, into);
    }
    return;
  }
  // A calendar's Accept/Decline is a text/calendar part, which some clients attach as a file.
  if (type.value === "text/calendar" || type.value === "application/ics") {
    const bytes = transferDecoded(body, fieldValue(fields, "content-transfer-encoding"));
    into.calendar.push(decodeText(bytes, type.params.get("charset") ?? "utf-8"));
    return;
  }
  const disposition = structuredValue(fieldValue(fields, "content-disposition") ?? "").value;
  if (disposition === "attachment") return;
  if (type.value !== "text/plain" && type.value !== "text/html") return;

  const bytes = transferDecoded(body, fieldValue(fields, "content-transfer-encoding"));
  let text = decodeText(bytes, type.params.get("charset"));
  if (type.value === "text/html") {
    into.html.push(text);
    return;
  }
  if (type.params.get("format")?.toLowerCase() === "flowed")
    text = unflow(text, type.params.get("delsp")?.toLowerCase() === "yes");
  into.text.push(text);
}

/**
 * The parts of a multipart body (RFC 2046 section 5.1.1): between delimiter lines
 * "--boundary", up to "--boundary--" or, when a sender left that out, the end. The line break
 * before a delimiter belongs to the delimiter.
 */
function partsOf(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let start = -1;
  let position = 0;
  while (position < body.length) {
    const newline = body.indexOf("\n", position);
    const end = newline < 0 ? body.length : newline;
    if (body.startsWith(delimiter, position)) {
      const rest = body.slice(position + delimiter.length, end);
      const closing = rest.startsWith("--");
      if (/^[ \t\r]*$/.test(closing ? rest.slice(2) : rest)) {
        if (start >= 0) parts.push(body.slice(start, lineBreakBefore(body, position)));
        if (closing) return parts;
        start = end + 1;
      }
    }
    position = end + 1;
  }
  if (start >= 0 && start <= body.length) parts.push(body.slice(start));
  return parts;
}

function lineBreakBefore(body: string, position: number): number {
  if (body[position - 1] !== "\n") return position;
  return body[position - 2] === "\r" ? position - 2 : position - 1;
}

/** The body's bytes, with its Content-Transfer-Encoding undone; other encodings are raw bytes. */
function transferDecoded(body: string, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case "base64":
      // Node's decoder skips characters outside the alphabet but stops at padding, and some
      // encoders pad every line: each padded run is decoded on its own.
      return Buffer.concat(
        body
          .replace(/[^A-Za-z0-9+/=]/g, "")
          .split(/(?<==)(?=[^=])/)
          .map((run) => Buffer.from(run, "base64")),
      );
    case "quoted-printable":
      return Buffer.from(quotedPrintable(body), "latin1");
    default:
      return Buffer.from(body, "latin1");
  }
}

/** Quoted-printable (RFC 2045 section 6.7) on a Latin-1 string, giving a Latin-1 string of the bytes. */
function quotedPrintable(body: string): string {
  const lines = body.split("\n").map((line) => {
    // Trailing whitespace was added in transport; a soft line break is "=" at the end.
    let end = line.length;
    while (end > 0 && " \t\r".includes(line[end - 1] ?? "")) end--;
    return line.slice(0, end);
  });
  let joined = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.endsWith("=")) joined += line.slice(0, -1);
    else joined += i < lines.length - 1 ? `${line}\r\n` : line;
  }
  return joined.replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// ---------------------------------------------------------------------------------------
// Structured field values: "type/subtype; name=value; name="quoted value""

export interface StructuredValue {
  /** The value before the first ";", lower-cased. */
  value: string;
  /** Parameters by lower-cased name; RFC 2231 continuations and extended values are joined and decoded. */
  params: Map<string, string>;
}

const parameter = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)(?:"|$)|([^;\s]*))/g;

export function structuredValue(field: string): StructuredValue {
  const semicolon = field.indexOf(";");
  const value = (semicolon < 0 ? field : field.slice(0, semicolon)).replace(/\(.*$/, "").trim().toLowerCase();
  const sections = new Map<string, { index: number; text: string; extended: boolean }[]>();
  for (const match of field.slice(Math.max(semicolon, 0)).matchAll(parameter)) {
    const [, rawName = "", quoted, token] = match;
    const text = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : (token ?? "");
    // RFC 2231: name*=charset'language'%XX, and name*0, name*1* … for a value split in sections.
    const section = /^(.*?)(?:\*(\d+))?(\*)?$/.exec(rawName.toLowerCase());
    const name = section?.[1] ?? rawName.toLowerCase();
    const list = sections.get(name) ?? [];
    list.push({ index: Number(section?.[2] ?? 0), text, extended: section?.[3] === "*" });
    sections.set(name, list);
  }
  const params = new Map<string, string>();
  for (const [name, list] of sections) {
    list.sort((a, b) => a.index - b.index);
    const joined = list
      .map((part, i) => {
        if (!part.extended) return part.text;
        const encoded = i === 0 ? part.text.replace(/^[^']*'[^']*'/, "") : part.text;
        return encoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
          String.fromCharCode(parseInt(hex, 16)),
        );
      })
      .join("");
    params.set(name, joined);
  }
  return { value, params };
}

// ---------------------------------------------------------------------------------------
// Encoded words in unstructured fields (RFC 2047), e.g. the Subject

const encodedWord = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;

/**
 * Decodes the encoded words of a field such as the Subject, through the same charset decoding
 * as bodies. Whitespace between two encoded words is not text (section 6.2), and adjacent words
 * in one charset are decoded together, as clients split multibyte characters across them.
 */
export function decodeEncodedWords(field: string): string {
  /** Decoded text, and the bytes of encoded words not yet decoded, all in one charset. */
  const words = { decoded: "", charset: "", bytes: [] as Buffer[] };
  const flush = () => {
    if (words.bytes.length > 0) words.decoded += decodeText(Buffer.concat(words.bytes), words.charset);
    words.bytes = [];
  };
  /** Where the previous encoded word ended; -1 before the first. */
  let last = -1;
  for (const match of field.matchAll(encodedWord)) {
    const [word, rawCharset = "", encoding = "", text = ""] = match;
    const between = field.slice(Math.max(last, 0), match.index);
    const adjacent = last >= 0 && /^\s*$/.test(between);
    // "charset*language" (RFC 2231 section 5): the language is not needed.
    const charset = rawCharset.split("*")[0]?.toLowerCase() ?? "";
    if (!adjacent || charset !== words.charset) flush();
    if (!adjacent) words.decoded += between;
    words.charset = charset;
    words.bytes.push(
      encoding.toLowerCase() === "b"
        ? Buffer.from(text, "base64")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            "latin1",
          ),
    );
    last = match.index + word.length;
  }
  flush();
  return words.decoded + field.slice(Math.max(last, 0));
}
