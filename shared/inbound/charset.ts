/**
 * Text in a mail's declared charset, decoded with the runtime's own TextDecoder: Node's full
 * ICU holds every WHATWG encoding, so no charset tables are bundled. Every runtime is Node 24
 * (Lambda's, and the npm `node` package for npm start, test and bench), whose decoder reads
 * windows-1252's bytes 0x80-0x9F right; Node 20's read them as C1 controls (nodejs/node#56542).
 */

/**
 * Labels mail clients write that are not WHATWG labels, by their compact form (lower case,
 * letters and digits only, no "x-" or "cs" prefix), with the WHATWG encoding that decodes them.
 */
const legacyLabels: Record<string, string> = {
  shiftjis: "shift_jis",
  eucjp: "euc-jp",
  euckr: "euc-kr",
  uhc: "euc-kr",
  iso2022jp: "iso-2022-jp",
  // The -1/-2 supersets: the Japanese in them decodes, anything else becomes U+FFFD.
  iso2022jp1: "iso-2022-jp",
  iso2022jp2: "iso-2022-jp",
  ucs2: "utf-16le",
};

/** Windows code pages (cp932, ms936, windows-949 …) that WHATWG names otherwise. */
const codePages: Record<string, string> = { 932: "shift_jis", 936: "gbk", 949: "euc-kr", 950: "big5" };

/** The WHATWG encoding a charset label names, or null for a label no decoder knows. */
export function encodingOf(charset: string | undefined): string | null {
  const label = (charset ?? "")
    .trim()
    .replace(/^["']+|["']+$/g, "")
    .toLowerCase();
  if (label === "") return null;
  const compact = label.replace(/^(?:x-|cs)/, "").replace(/[^a-z0-9]/g, "");
  const candidates = [
    label,
    compact,
    legacyLabels[compact],
    compact.replace(
      /^(?:win|windows|cp|ms)(\d{3,4})$/,
      (_, page: string) => codePages[page] ?? `windows-${page}`,
    ),
    compact.replace(/^iso8859(\d{1,2})$/, "iso-8859-$1"),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return new TextDecoder(candidate).encoding;
    } catch {
      // not a label this runtime knows: try the next spelling
    }
  }
  return null;
}

/** Labels that promise 7-bit ASCII, which WHATWG maps to windows-1252. */
const asciiLabel = /^(?:us-?ascii|ascii|ansi_x3\.4-1968|iso646-us|csascii|7bit)$/i;

/**
 * Decodes `bytes` written in `charset`. A byte-order mark overrides the label (as WHATWG's
 * decode does). Text that has no usable label (none, an unknown one, or ASCII with 8-bit bytes
 * in it) is read as UTF-8 when it is valid UTF-8, as windows-1252 otherwise: the two encodings
 * such mislabelled mail is really in. Never throws.
 */
export function decodeText(bytes: Uint8Array, charset: string | undefined): string {
  const bom = byteOrderMark(bytes);
  if (bom) return new TextDecoder(bom).decode(bytes);
  const label = charset?.trim().replace(/^["']+|["']+$/g, "");
  const encoding = label && !asciiLabel.test(label) ? encodingOf(label) : null;
  if (encoding !== null) return new TextDecoder(encoding).decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

function byteOrderMark(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}
