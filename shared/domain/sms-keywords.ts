/**
 * The opt-out words AWS End User Messaging SMS honours on its own (its managed opt-out list);
 * Convene honours the same ones, so what the member sees and what Convene records agree.
 */
export const optOutKeywords = [
  "STOP",
  "ARRET",
  "CANCEL",
  "END",
  "OPT-OUT",
  "OPTOUT",
  "QUIT",
  "REMOVE",
  "TD",
  "UNSUBSCRIBE",
] as const;
export const helpKeywords = ["HELP"] as const;
export const optInKeywords = ["START", "UNSTOP"] as const;

/** The longest text AWS delivers as one inbound message (ten concatenated segments at most). */
export const maxInboundSmsLength = 1600;

/** What an inbound text asks for, keywords first (in the order AWS applies them). */
export type InboundSms =
  | { kind: "opt-out"; keyword: (typeof optOutKeywords)[number] }
  | { kind: "help" }
  | { kind: "opt-in"; keyword: (typeof optInKeywords)[number] }
  /** Anything else, trimmed, for the steps that read answers; written as the member wrote it. */
  | { kind: "answer"; text: string }
  /** Nothing but whitespace: nothing to act on. */
  | { kind: "empty" }
  /** Longer than any inbound SMS can be: not read as an answer (no keyword at its start either). */
  | { kind: "too-long"; length: number };

/**
 * Reads an inbound text. A keyword counts when it is the first word, whatever its case, with
 * whitespace, punctuation or symbols around it ("Stop.", " stop please", "🛑 STOP"), but not
 * inside a longer word ("stopping"). Full-width and accented forms ("ＳＴＯＰ", "Arrêt") are
 * read as the plain letters, as phones' keyboards produce them. Non-GSM texts (emoji, other
 * scripts) are answers like any other, kept as written. Length is counted in code points.
 */
export function readInboundSms(body: string): InboundSms {
  const length = [...body].length;
  if (length > maxInboundSmsLength) return { kind: "too-long", length };
  if (body.trim() === "") return { kind: "empty" };
  const word = firstWord(body) ?? "";
  // Text without a letter or digit ("👍", "?") is an answer: its reader decides.
  const optOut = optOutKeywords.find((k) => k === word);
  if (optOut) return { kind: "opt-out", keyword: optOut };
  if ((helpKeywords as readonly string[]).includes(word)) return { kind: "help" };
  const optIn = optInKeywords.find((k) => k === word);
  if (optIn) return { kind: "opt-in", keyword: optIn };
  return { kind: "answer", text: body.trim() };
}

/**
 * The first word in upper case plain letters, or undefined when the text has no letter or
 * digit. "OPT-OUT" and "OPT OUT" are read as one word, as carriers do.
 */
function firstWord(body: string): string | undefined {
  const plain = body
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/^[^\p{L}\p{N}]+/u, "");
  if (plain === "") return undefined;
  const optOutPhrase = /^OPT[\s_-]+OUT(?![\p{L}\p{N}])/u.exec(plain);
  if (optOutPhrase) return "OPT-OUT";
  return /^[\p{L}\p{N}]+/u.exec(plain)?.[0];
}
