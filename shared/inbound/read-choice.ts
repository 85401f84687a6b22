/**
 * Which choice a member's typed reply expresses, read conservatively: a ballot counts only
 * when the reply says one thing plainly, and anything else earns a short explanation instead
 * (bad input is named, never guessed). Pure: text in, reading out.
 *
 * The rule: only the first line with a letter or a digit is read. It is where people put a
 * one-word answer, and lines further down are explanations, sign-offs or client furniture
 * that the reply trimmer missed. English only, as the ballot emails are.
 */

export type BallotKind = { kind: "proposal" } | { kind: "choice"; options: readonly string[] };

export type ProposalAnswer = "yes" | "no" | "abstain";

export type ChoiceReading =
  /** One choice: "yes" | "no" | "abstain" for a proposal, the option as given for a choice vote. */
  | { kind: "choice"; value: string }
  /** More than one choice in the line, in ballot order. */
  | { kind: "ambiguous"; candidates: string[] }
  /** Something was typed, but no choice can be read from it. */
  | { kind: "unreadable" }
  /** Nothing was typed. */
  | { kind: "empty" };

export function readChoice(typedText: string, ballot: BallotKind): ChoiceReading {
  if (ballot.kind === "proposal") return readAnswer(typedText, proposalAnswers);
  const line = firstLine(typedText);
  if (line === null) return typedText.trim() === "" ? { kind: "empty" } : { kind: "unreadable" };
  return readOption(line, ballot.options);
}

/**
 * The answers of a question asked by email, and the phrases that give each (word sequences;
 * the longest match wins, so "not coming" is not "coming"). `answers` is their order in an
 * ambiguous reading.
 */
export interface AnswerPhrases<A extends string> {
  answers: readonly A[];
  phrases: ReadonlyArray<readonly [A, string]>;
}

/**
 * One answer of `table` read from a reply's first line, by the rules of a proposal's yes / no /
 * abstain: the answer leads the line, and fillers ("please", "thanks") may surround it.
 */
export function readAnswer<A extends string>(typedText: string, table: AnswerPhrases<A>): ChoiceReading {
  const line = firstLine(typedText);
  if (line === null) return typedText.trim() === "" ? { kind: "empty" } : { kind: "unreadable" };
  return readPhrases(line, table);
}

/**
 * Whether a reply to a call for volunteers says the member steps forward ("I volunteer",
 * "I'll do it", "Count me in"). Read from the first line, like a choice; a negation or a
 * question anywhere in that line ("I can't do it", "Could I volunteer?", "Who will volunteer") is not
 * volunteering.
 */
export function readVolunteering(typedText: string): boolean {
  const line = firstLine(typedText);
  if (line === null || line.includes("?")) return false;
  const text = ` ${tokens(line).join(" ")} `;
  // "I can't do it", "Sorry, I won't volunteer", "Someone else should volunteer".
  const declines =
    / (not|no|never|cannot|cant|wont|unable|sorry|unfortunately|afraid|someone|somebody|anyone|who) |n't /;
  if (declines.test(text)) return false;
  return volunteering.some((phrase) => text.includes(` ${phrase} `));
}

const volunteering = [
  "volunteer",
  "volunteering",
  "count me in",
  "i can do it",
  "i'll do it",
  "i will do it",
  "i can do that",
  "i'll do that",
  "i will do that",
  "i can take it on",
  "i'll take it on",
  "i will take it on",
  "happy to do it",
  "happy to help",
];

// ---------------------------------------------------------------------------------------
// Lines and words

/** The first line holding a letter or a digit, trimmed; null when there is none. */
function firstLine(typedText: string): string | null {
  const line = typedText.split(/\r?\n/).find((candidate) => /[\p{L}\p{N}]/u.test(candidate));
  return line === undefined ? null : line.trim();
}

/** Lower-case words: letters, digits, apostrophes inside words and "#" before a number. */
function tokens(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[^\p{L}\p{N}'#]+/gu, " ")
    .split(" ")
    .map((word) => word.replace(/^'+|'+$/g, ""))
    .filter((word) => word !== "");
}

// ---------------------------------------------------------------------------------------
// Proposals: yes / no / abstain

/**
 * Phrases for each answer, as word sequences. Deliberately short: "ok", "sure", "+1" or a
 * thumbs-up are not read as a vote (they often acknowledge rather than decide), and neither
 * is "aye", which members rarely write and "aye aye" muddles.
 */
const answerPhrases: ReadonlyArray<readonly [ProposalAnswer, string]> = [
  ["yes", "yes"],
  ["yes", "y"],
  ["yes", "yeah"],
  ["yes", "yep"],
  ["yes", "yup"],
  ["yes", "agree"],
  ["yes", "agreed"],
  ["yes", "approve"],
  ["yes", "in favour"],
  ["yes", "in favor"],
  ["no", "no"],
  ["no", "n"],
  ["no", "nope"],
  ["no", "nah"],
  ["no", "nay"],
  ["no", "against"],
  ["no", "disagree"],
  ["no", "oppose"],
  ["no", "reject"],
  ["no", "not in favour"],
  ["no", "not in favor"],
  ["abstain", "abstain"],
  ["abstain", "abstaining"],
  ["abstain", "abstention"],
];

/** Phrases that look like an answer but are not one; their fragment is not read. */
const notAnswers = ["no vote", "no idea", "no opinion", "no preference", "no problem", "no worries"];

/** Words that may surround an answer without changing it: "I vote yes please", "Yes, thanks!". */
const fillers = new Set(
  (
    "i i'd i'll i'm i've id ill im am will would say vote votes voting my is it's its from me " +
    "please pls plz thanks thank you thx ta cheers definitely absolutely certainly of course " +
    "indeed very much totally fully completely the a oh well then too also hi hello hey dear sorry afraid"
  ).split(" "),
);
const connectors = new Set(["and", "or", "&", "but"]);

/** Sentence breaks split a line into fragments: "Yes. No" is two answers, "Yes, please" one. */
const fragmentBreak = /[.,!?;:…()[\]{}"“”/\\|]+|\s[-–—]+\s|\s[-–—]+$|^[-–—]+\s/u;

const proposalAnswers: AnswerPhrases<ProposalAnswer> = {
  answers: ["yes", "no", "abstain"],
  phrases: answerPhrases,
};

type FragmentReading<A extends string> =
  | { kind: "answers"; answers: Set<A> }
  /** Only fillers: "Thanks". */
  | { kind: "neutral" }
  /** Words that are neither an answer nor a filler: "No idea", "Yes if it's cheaper". */
  | { kind: "prose" };

function readPhrases<A extends string>(line: string, table: AnswerPhrases<A>): ChoiceReading {
  const fragments = line.split(fragmentBreak).map((fragment) => readFragment(fragment, table.phrases));
  const first = fragments.find((fragment) => fragment.kind !== "neutral");
  // The answer must lead the line; an answer later in prose is too uncertain to count.
  if (first?.kind !== "answers") return { kind: "unreadable" };
  const answers = new Set<A>();
  for (const fragment of fragments) {
    if (fragment.kind === "answers") for (const answer of fragment.answers) answers.add(answer);
  }
  const candidates = table.answers.filter((answer) => answers.has(answer));
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { kind: "choice", value: only };
  return { kind: "ambiguous", candidates };
}

function readFragment<A extends string>(
  fragment: string,
  phrases: AnswerPhrases<A>["phrases"],
): FragmentReading<A> {
  const words = tokens(fragment);
  const text = ` ${words.join(" ")} `;
  if (notAnswers.some((phrase) => text.includes(` ${phrase} `))) return { kind: "prose" };
  const answers = new Set<A>();
  let i = 0;
  while (i < words.length) {
    const match = longestAnswerAt(words, i, phrases);
    if (match !== null) {
      answers.add(match.answer);
      i += match.length;
    } else if (fillers.has(words[i] ?? "") || connectors.has(words[i] ?? "")) {
      i += 1;
    } else {
      return { kind: "prose" };
    }
  }
  return answers.size === 0 ? { kind: "neutral" } : { kind: "answers", answers };
}

function longestAnswerAt<A extends string>(
  words: string[],
  at: number,
  phrases: AnswerPhrases<A>["phrases"],
): { answer: A; length: number } | null {
  let best: { answer: A; length: number } | null = null;
  for (const [answer, phrase] of phrases) {
    const phraseWords = phrase.split(" ");
    const matches = phraseWords.every((word, offset) => isWord(words[at + offset], word));
    if (matches && (best === null || phraseWords.length > best.length)) {
      best = { answer, length: phraseWords.length };
    }
  }
  return best;
}

/** A word, allowing a stretched "yesss" or "nooo" as people type them. */
function isWord(typed: string | undefined, word: string): boolean {
  if (typed === undefined) return false;
  if (typed === word) return true;
  if (word === "yes") return /^y+e+s+$/.test(typed);
  if (word === "no") return /^n+o+$/.test(typed);
  return false;
}

// ---------------------------------------------------------------------------------------
// Choice votes: an option's number or its name

const numberWords = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const numberLeads = new Set(["option", "number", "choice", "no", "#"]);

/**
 * Reads "2", "#2", "option 2", "Option two", "number 2", or the option's name (case and
 * punctuation aside, as whole words). Names are matched first and their words set aside, so
 * "Thursday 6pm" names an option rather than the number 6. A number outside the ballot makes
 * the line unreadable; two different options, by number or name, make it ambiguous.
 */
function readOption(line: string, options: readonly string[]): ChoiceReading {
  let words = tokens(line);
  const chosen = new Set<number>();

  // Longest names first, so "Community Centre" wins over an option called "Centre".
  const names = options
    .map((option, index) => ({ index, words: tokens(option) }))
    .filter((name) => name.words.length > 0)
    .sort((a, b) => b.words.length - a.words.length);
  for (const name of names) {
    for (let at = 0; at + name.words.length <= words.length; at++) {
      if (name.words.every((word, offset) => words[at + offset] === word)) {
        chosen.add(name.index);
        words = [...words.slice(0, at), "\u0000", ...words.slice(at + name.words.length)];
      }
    }
  }

  const remaining = words.filter((word) => word !== "\u0000");
  const onlyWord = remaining.filter((word) => !fillers.has(word) && !numberLeads.has(word));
  let outOfRange = false;
  remaining.forEach((word, at) => {
    const previous = remaining[at - 1];
    let number: number | null = null;
    const digits = /^#?(\d{1,3})$/.exec(word);
    if (digits?.[1] !== undefined) number = Number(digits[1]);
    else if (numberWords.includes(word) && (numberLeads.has(previous ?? "") || onlyWord.length === 1)) {
      number = numberWords.indexOf(word) + 1;
    }
    if (number === null) return;
    if (number >= 1 && number <= options.length) chosen.add(number - 1);
    else outOfRange = true;
  });

  if (outOfRange || chosen.size === 0) return { kind: "unreadable" };
  const candidates = [...chosen].sort((a, b) => a - b).map((index) => options[index] ?? "");
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { kind: "choice", value: only };
  return { kind: "ambiguous", candidates };
}
