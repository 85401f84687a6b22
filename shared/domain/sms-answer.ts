import { readAnswer, readVolunteering, type AnswerPhrases } from "#inbound/read-choice.ts";

/** What a member's text answers, before it is matched to a question. */
export type SmsAnswer =
  | { kind: "yes" | "no" | "maybe" }
  /** A pick from a numbered menu ("Reply 1 for …"): 1-based. */
  | { kind: "pick"; number: number }
  /** Both yes and no, or words that say neither: never guessed. */
  | { kind: "unreadable" };

/**
 * What people text back to "Reply YES, NO or MAYBE", to a call for volunteers and to an offer.
 * A text is read as strictly as an email reply (read-choice.ts: the answer leads the first line,
 * the longest phrase wins), with the short forms texts use ("can't", "cant", "I can do it").
 */
const smsPhrases: AnswerPhrases<"yes" | "no" | "maybe"> = {
  answers: ["yes", "no", "maybe"],
  phrases: [
    ...(["yes", "y", "yeah", "yep", "yup", "yes please", "coming", "be there", "see you there"] as const).map(
      (p) => ["yes", p] as const,
    ),
    ...(["count me in", "accept"] as const).map((p) => ["yes", p] as const),
    ...(
      [
        "no",
        "n",
        "nope",
        "nah",
        "can't",
        "cant",
        "cannot",
        "can not",
        "not coming",
        "can't come",
        "can't make it",
        "cannot make it",
        "won't be there",
        "won't make it",
        "not be there",
        "decline",
      ] as const
    ).map((p) => ["no", p] as const),
    ...(["maybe", "perhaps", "possibly", "not sure", "unsure", "might"] as const).map(
      (p) => ["maybe", p] as const,
    ),
  ],
};

/** The longest numbered menu we send: a bare number beyond it is not a pick. */
export const maxMenuPicks = 9;

/**
 * Reads an answer from a text: a bare number is a menu pick; "I can do it" and the like say yes
 * (volunteering, read as email replies are); otherwise one of yes / no / maybe must lead the text.
 * A text saying two answers ("yes no", "yes or maybe") is unreadable, not guessed.
 */
export function readSmsAnswer(text: string): SmsAnswer {
  const trimmed = text.trim().replace(/[.!)]+$/u, "");
  if (/^#?\d{1,2}$/u.test(trimmed)) {
    const number = Number(trimmed.replace("#", ""));
    return number >= 1 && number <= maxMenuPicks ? { kind: "pick", number } : { kind: "unreadable" };
  }
  if (readVolunteering(text)) return { kind: "yes" };
  const reading = readAnswer(text, smsPhrases);
  if (reading.kind !== "choice") return { kind: "unreadable" };
  return { kind: reading.value as "yes" | "no" | "maybe" };
}
