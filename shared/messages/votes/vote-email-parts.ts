import type { Vote, VoteKind, VoteOption } from "#domain/vote.ts";
import { list, paragraph, type Block } from "#messages/email-kit/blocks.ts";

/**
 * What the vote emails share: the parts of a vote they show, their subject line, and how to
 * answer by reply.
 *
 * Privacy: a secret ballot's choice never appears in any email, and no email names who voted
 * what, whatever the secrecy.
 */

/** The parts of a vote these emails show; a VoteOpened snapshot or a stored Vote both fit. */
export type VoteForEmail = Pick<Vote, "question" | "kind" | "options" | "secrecy">;

/** Enough of the question to recognise it in an inbox list; the body carries all of it. */
const maxQuestionInSubject = 80;

/**
 * "Prefix: question", on one line (it travels in a header) and shortened at a word break,
 * counting user-perceived characters so an emoji or an accented letter is never cut in two.
 */
export function voteSubject(prefix: string, question: string): string {
  const oneLine = question
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const graphemes = [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(oneLine)].map(
    (s) => s.segment,
  );
  if (graphemes.length <= maxQuestionInSubject) return `${prefix}: ${oneLine}`;
  const cut = graphemes.slice(0, maxQuestionInSubject - 1).join("");
  const wordBreak = cut.lastIndexOf(" ");
  const shortened = wordBreak > maxQuestionInSubject / 2 ? cut.slice(0, wordBreak) : cut;
  return `${prefix}: ${shortened.replace(/[\s\p{P}]+$/u, "")}…`;
}

/**
 * Exactly what readChoice reads: the first line only; yes, no or abstain for a proposal; an
 * option's number (1–10, in ballot order) or its name otherwise.
 */
export function howToAnswer(kind: VoteKind, options: readonly VoteOption[], lead: string): Block[] {
  const firstLineOnly = paragraph(
    "We read only the first line of your reply, so put your answer there and nothing else.",
  );
  if (kind === "proposal")
    return [paragraph(`${lead} with just your answer on the first line: Yes, No or Abstain.`), firstLineOnly];
  const byChoice = `${lead} with just the number or the name of your choice`;
  if (options.length === 0) return [paragraph(`${byChoice} on the first line.`), firstLineOnly];
  return [
    list(
      options.map((option) => option.label),
      { numbered: true, lead: `${byChoice} on the first line:` },
    ),
    firstLineOnly,
  ];
}
