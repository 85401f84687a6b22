import type { Vote, VoteKind, VoteOption, VoteResult } from "#domain/vote.ts";
import { describeThreshold } from "#domain/vote-threshold.ts";
import {
  esc,
  footerHtml,
  footerText,
  greeting,
  linkHtml,
  page,
  requireLinkable,
  styles,
  type RenderedEmail,
} from "./email-layout.ts";

/**
 * The emails of a vote (issue 4, DESIGN flow 3): the ballot, the reminder to non-voters, the
 * answers to a member's reply, the result and the cancellation. Each is described once as a
 * list of blocks and written out as plain text and HTML from that list, so both bodies carry
 * the same facts.
 *
 * Privacy: a secret ballot's choice never appears in any email, and no email names who voted
 * what, whatever the secrecy. The how-to-answer wording matches what readChoice reads: the
 * first line only, "yes", "no" or "abstain" for a proposal, an option's number (1–10) or name
 * for a choice or an election.
 */

/** The parts of a vote these emails show; a VoteOpened snapshot or a stored Vote both fit. */
export type VoteForEmail = Pick<Vote, "question" | "kind" | "options" | "secrecy">;

/** A signed link to the page that confirms one option (a link alone never casts a vote). */
export interface OptionLink {
  option: VoteOption;
  url: string;
}

export interface BallotEmailInput {
  vote: VoteForEmail;
  groupName: string;
  memberFirstName: string;
  /** The close as the member should read it, already formatted in the group's time zone. */
  closesAtLocal: string;
  /** Exactly one http(s) link per option of the vote. */
  optionLinks: readonly OptionLink[];
  /** The member's signed unsubscribe link (http or https), when they may opt out. */
  unsubscribeUrl?: string;
}

export type VoteReminderInput = BallotEmailInput;

export interface BallotConfirmationInput {
  vote: VoteForEmail;
  groupName: string;
  memberFirstName: string;
  /** The option counted. Ignored for a secret ballot, whose confirmation never repeats it. */
  optionLabel?: string | undefined;
  /** The ballot replaced an earlier one by the same member. */
  replaced: boolean;
  closesAtLocal: string;
}

/** Why a member's reply was not counted; each earns its own short explanation. */
export type ReplyNotCountedReason =
  "unreadable" | "ambiguous" | "empty" | "vote-closed" | "not-from-member" | "held-for-confirmation";

export interface ReplyNotCountedInput {
  vote?: VoteForEmail;
  groupName?: string;
  memberFirstName?: string;
  reason: ReplyNotCountedReason;
  /** The options to repeat; the vote's own when omitted. */
  options?: readonly VoteOption[];
  /** Required for "held-for-confirmation": the http(s) link that confirms the held ballot. */
  confirmUrl?: string;
}

export interface VoteResultEmailInput {
  vote: VoteForEmail & Pick<Vote, "quorum" | "threshold">;
  groupName: string;
  memberFirstName: string;
  result: VoteResult;
  /** The result in one line, from describeResult. */
  describe: string;
  /** Labels to show per option id; the vote's own labels where one is missing. */
  optionLabels?: Readonly<Record<string, string>>;
  unsubscribeUrl?: string;
}

export interface VoteCancelledEmailInput {
  vote: Pick<Vote, "question">;
  groupName: string;
  memberFirstName: string;
  /** The coordinator's reason, shown as given. */
  reason?: string;
  unsubscribeUrl?: string;
}

/** The ballot: the question, the options, how to answer by reply or by link, and the close. */
export function renderBallotEmail(input: BallotEmailInput): RenderedEmail {
  const { vote, groupName } = input;
  return renderVoteEmail({
    subject: subjectLine("Your vote", vote.question),
    heading: `Your vote in ${groupName}`,
    memberFirstName: input.memberFirstName,
    blocks: [
      { kind: "p", text: `${groupName} is holding a vote, and your voice counts. The question is:` },
      { kind: "strong", text: vote.question },
      ...ballotBody(input),
    ],
    groupName,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

/** To a member who has not voted yet, a set time before the close; the same how-to as the ballot. */
export function renderVoteReminder(input: VoteReminderInput): RenderedEmail {
  const { vote, groupName } = input;
  return renderVoteEmail({
    subject: subjectLine("Reminder to vote", vote.question),
    heading: `Reminder: your vote in ${groupName}`,
    memberFirstName: input.memberFirstName,
    blocks: [
      {
        kind: "p",
        text: `You haven't voted yet in ${groupName}'s vote, and it closes on ${input.closesAtLocal}. The question is:`,
      },
      { kind: "strong", text: vote.question },
      ...ballotBody(input),
    ],
    groupName,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

/**
 * Sent after each counted ballot. An open ballot repeats the choice so the member can check
 * it; a secret ballot never does, even to the member (an inbox is not always private).
 */
export function renderBallotConfirmation(input: BallotConfirmationInput): RenderedEmail {
  const { vote, closesAtLocal } = input;
  const label = vote.secrecy === "open" ? input.optionLabel : undefined;
  const counted =
    label === undefined
      ? `Your vote on “${vote.question}” has been counted.`
      : endSentence(`You voted ${label} on “${vote.question}”`);
  const secrecy = vote.secrecy === "secret" ? ["Your choice is secret, so we don't repeat it here."] : [];
  const replaced = input.replaced ? ["It replaces your earlier vote."] : [];

  return renderVoteEmail({
    subject: subjectLine("Vote counted", vote.question),
    heading: "Your vote has been counted",
    memberFirstName: input.memberFirstName,
    blocks: [
      { kind: "p", text: [counted, ...replaced, ...secrecy].join(" ") },
      { kind: "p", text: `To change your vote, reply again before ${closesAtLocal}, when the vote closes.` },
    ],
    groupName: input.groupName,
  });
}

/**
 * A short, kind explanation of why a reply did not count and what to do. "not-from-member" goes
 * to the member's registered address and never names the address the reply came from.
 */
export function renderReplyNotCounted(input: ReplyNotCountedInput): RenderedEmail {
  const { vote } = input;
  const options = input.options ?? vote?.options;
  const kind = vote?.kind ?? (options !== undefined && isProposal(options) ? "proposal" : "choice");
  const about = vote === undefined ? "" : ` on “${vote.question}”`;
  const answerAgain = (): Block[] => howToAnswer(kind, options ?? [], "To vote, reply to your ballot email");

  const explanation: Record<ReplyNotCountedReason, () => Block[]> = {
    unreadable: () => [
      { kind: "p", text: `We couldn't read a choice in your reply${about}, so it was not counted.` },
      ...answerAgain(),
    ],
    ambiguous: () => [
      {
        kind: "p",
        text: `Your reply${about} seemed to give more than one choice, so it was not counted. Please choose just one.`,
      },
      ...answerAgain(),
    ],
    empty: () => [
      { kind: "p", text: `We couldn't find an answer in your reply${about}, so it was not counted.` },
      ...answerAgain(),
    ],
    "vote-closed": () => [
      { kind: "p", text: `The vote${about} has closed, so your reply was not counted.` },
      { kind: "p", text: "Thank you for taking part." },
    ],
    "not-from-member": () => [
      {
        kind: "p",
        text: "We received a reply to your ballot from a different email address, so it was not counted.",
      },
      { kind: "p", text: "To vote, reply from the address this ballot was sent to." },
    ],
    "held-for-confirmation": () => {
      const confirmUrl = requireLinkable(input.confirmUrl ?? "", "the confirmation link");
      return [
        {
          kind: "p",
          text: `We could not verify that your reply${about} came from you, so we have not counted it yet.`,
        },
        {
          kind: "p",
          text: "If you sent it, follow this link and confirm your vote on the page it opens:",
        },
        { kind: "links", links: [{ label: "Confirm my vote", url: confirmUrl }] },
        { kind: "p", text: "If you did not send it, you can ignore this email: it will not be counted." },
      ];
    },
  };

  return renderVoteEmail({
    subject:
      vote === undefined
        ? "Your reply was not counted"
        : subjectLine("Your reply was not counted", vote.question),
    heading: "Your reply was not counted",
    memberFirstName: input.memberFirstName ?? "",
    blocks: explanation[input.reason](),
    groupName: input.groupName,
  });
}

/** Everyone's result: the outcome, counts per option, turnout and quorum. It never lists voters. */
export function renderVoteResult(input: VoteResultEmailInput): RenderedEmail {
  const { vote, result, groupName } = input;
  const labelOf = (option: VoteOption) => input.optionLabels?.[option.id] ?? option.label;
  const needed = `at least ${Math.round(vote.quorum * 100)}% of members had to take part`;
  const quorum =
    vote.quorum === 0
      ? "Quorum: none was required."
      : result.quorumMet
        ? `Quorum: met (${needed}).`
        : `Quorum: not met (${needed}), so the vote made no decision.`;

  return renderVoteEmail({
    subject: subjectLine("Vote result", vote.question),
    heading: `The result of ${groupName}'s vote`,
    memberFirstName: input.memberFirstName,
    blocks: [
      { kind: "p", text: `${groupName}'s vote has closed. The question was:` },
      { kind: "strong", text: vote.question },
      { kind: "h2", text: "Result" },
      { kind: "p", text: input.describe },
      { kind: "p", text: ruleText(vote) },
      { kind: "h2", text: "Votes per option" },
      {
        kind: "ul",
        items: vote.options.map((option) => `${labelOf(option)}: ${result.counts[option.id] ?? 0}`),
      },
      { kind: "h2", text: "Turnout" },
      {
        kind: "p",
        text: `${result.ballots} of ${result.eligible} eligible members took part, abstentions included.`,
      },
      { kind: "p", text: quorum },
      { kind: "p", text: "This email gives totals only: it never shows who voted what." },
    ],
    groupName,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

/** Which threshold decided the vote, in one sentence: members should not have to guess "carried". */
function ruleText(vote: Pick<Vote, "kind" | "threshold">): string {
  const share = `${describeThreshold(vote.threshold)} of the votes`;
  switch (vote.kind) {
    case "proposal":
      return `The rule: the proposal needed ${share} for or against it to pass; abstentions count towards turnout only.`;
    case "choice":
      return `The rule: an option needed ${share} to be chosen.`;
    case "election":
      return `The rule: a candidate needed ${share} to be elected.`;
  }
}

/** Tells members a vote was cancelled: nothing is counted and there will be no result. */
export function renderVoteCancelled(input: VoteCancelledEmailInput): RenderedEmail {
  const { vote, groupName } = input;
  const reason = input.reason?.trim();
  return renderVoteEmail({
    subject: subjectLine("Vote cancelled", vote.question),
    heading: `Vote cancelled in ${groupName}`,
    memberFirstName: input.memberFirstName,
    blocks: [
      { kind: "p", text: `${groupName}'s vote on this question has been cancelled:` },
      { kind: "strong", text: vote.question },
      ...(reason ? [{ kind: "p", text: `The reason given: ${reason}` } as const] : []),
      {
        kind: "p",
        text: "No votes will be counted and there will be no result. You don't need to do anything.",
      },
    ],
    groupName,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

// ---------------------------------------------------------------------------------------
// The ballot's body, shared by the ballot and the reminder

function ballotBody(input: BallotEmailInput): Block[] {
  const { vote, closesAtLocal } = input;
  const links = optionLinksOf(vote, input.optionLinks);
  return [
    { kind: "h2", text: "How to vote" },
    ...howToAnswer(vote.kind, vote.options, "Reply to this email"),
    { kind: "h2", text: "Or choose with a link" },
    {
      kind: "p",
      text: "Each link opens a page where you will be asked to confirm your choice; your vote is not cast until you do.",
    },
    { kind: "links", links },
    { kind: "h2", text: "When the vote closes" },
    { kind: "p", text: `The vote closes on ${closesAtLocal}.` },
    { kind: "p", text: "You can change your vote by replying again until the vote closes." },
    { kind: "h2", text: vote.secrecy === "secret" ? "A secret ballot" : "An open ballot" },
    {
      kind: "p",
      text:
        vote.secrecy === "secret"
          ? "Nobody, not even the coordinators, will see how you voted. Only the totals are shared."
          : "This is an open ballot: the group's coordinators can see how you voted. Emails about the result give totals only.",
    },
  ];
}

/**
 * Exactly what readChoice reads: the first line only; yes, no or abstain for a proposal; an
 * option's number (1–10, in ballot order) or its name otherwise.
 */
function howToAnswer(kind: VoteKind, options: readonly VoteOption[], lead: string): Block[] {
  const firstLineOnly: Block = {
    kind: "p",
    text: "We read only the first line of your reply, so put your answer there and nothing else.",
  };
  if (kind === "proposal") {
    return [
      { kind: "p", text: `${lead} with just your answer on the first line: Yes, No or Abstain.` },
      firstLineOnly,
    ];
  }
  if (options.length === 0) {
    return [
      { kind: "p", text: `${lead} with just the number or the name of your choice on the first line.` },
      firstLineOnly,
    ];
  }
  return [
    { kind: "p", text: `${lead} with just the number or the name of your choice on the first line:` },
    { kind: "ol", items: options.map((option) => option.label) },
    firstLineOnly,
  ];
}

/** One link per option, in ballot order; anything else is a caller's mistake. */
function optionLinksOf(vote: VoteForEmail, optionLinks: readonly OptionLink[]): Link[] {
  const byId = new Map(optionLinks.map((link) => [link.option.id, link.url]));
  if (byId.size !== optionLinks.length || optionLinks.length !== vote.options.length)
    throw new RangeError("a ballot needs exactly one link per option");
  return vote.options.map((option) => {
    const url = byId.get(option.id);
    if (url === undefined) throw new RangeError("a ballot needs exactly one link per option");
    return { label: `Choose ${option.label}`, url: requireLinkable(url, "an option link") };
  });
}

/** Ends a sentence with a full stop unless it ends with its own (a quoted question does). */
const endSentence = (sentence: string): string =>
  /[.?!…]["”’)]*$/u.test(sentence) ? sentence : `${sentence}.`;

const isProposal = (options: readonly VoteOption[]): boolean =>
  options.length === 3 && ["yes", "no", "abstain"].every((id) => options.some((option) => option.id === id));

// ---------------------------------------------------------------------------------------
// Writing blocks out as text and HTML

interface Link {
  label: string;
  /** Already checked by requireLinkable. */
  url: string;
}

type Block =
  | { kind: "h2"; text: string }
  | { kind: "p"; text: string }
  /** The thing voted on, set apart. */
  | { kind: "strong"; text: string }
  | { kind: "ol"; items: readonly string[] }
  | { kind: "ul"; items: readonly string[] }
  | { kind: "links"; links: readonly Link[] };

interface VoteEmail {
  subject: string;
  heading: string;
  memberFirstName: string;
  blocks: readonly Block[];
  /** Absent when the sender knows no group (e.g. a reply that matched no ballot). */
  groupName: string | undefined;
  /** Absent on answers to the member's own reply, which they always get. */
  unsubscribeUrl?: string | undefined;
}

function renderVoteEmail(email: VoteEmail): RenderedEmail {
  const unsubscribeUrl =
    email.unsubscribeUrl === undefined ? undefined : requireLinkable(email.unsubscribeUrl);
  const blocks: Block[] = [{ kind: "p", text: greeting(email.memberFirstName) }, ...email.blocks];

  const text: string[] = [];
  blocks.forEach((block, at) => {
    // A heading sits on the line above its content; other blocks are a blank line apart.
    if (at > 0 && blocks[at - 1]?.kind !== "h2") text.push("");
    text.push(...blockText(block));
  });
  const footer =
    email.groupName === undefined
      ? {
          text: ["--", standaloneFooter],
          html: `<footer style="${styles.footer}">\n<p>${esc(standaloneFooter)}</p>\n</footer>`,
        }
      : {
          text: footerText(email.groupName, unsubscribeUrl),
          html: footerHtml(email.groupName, unsubscribeUrl),
        };

  return {
    subject: email.subject,
    text: [...text, "", ...footer.text].join("\n"),
    html: page(
      email.subject,
      [`<h1 style="${styles.h1}">${esc(email.heading)}</h1>`, ...blocks.map(blockHtml)],
      footer.html,
    ),
  };
}

const standaloneFooter = "You receive this email because of a reply sent to a Convene ballot.";

function blockText(block: Block): string[] {
  switch (block.kind) {
    case "h2":
    case "p":
    case "strong":
      return [block.text];
    case "ol":
      return block.items.map((item, at) => `${at + 1}. ${item}`);
    case "ul":
      return block.items.map((item) => `- ${item}`);
    case "links":
      return block.links.map((link) => `${link.label}: ${link.url}`);
  }
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "h2":
      return `<h2 style="${styles.h2}">${esc(block.text)}</h2>`;
    case "p":
      return `<p>${esc(block.text)}</p>`;
    case "strong":
      return `<p><strong>${esc(block.text)}</strong></p>`;
    case "ol":
      return `<ol>${block.items.map((item) => `<li>${esc(item)}</li>`).join("")}</ol>`;
    case "ul":
      return `<ul>${block.items.map((item) => `<li>${esc(item)}</li>`).join("")}</ul>`;
    case "links":
      return `<ul>${block.links.map((link) => `<li>${linkHtml(link.url, link.label)}</li>`).join("")}</ul>`;
  }
}

// ---------------------------------------------------------------------------------------
// Subjects

/** Enough of the question to recognise it in an inbox list; the body carries all of it. */
const maxQuestionInSubject = 80;

/**
 * "Prefix: question", on one line (it travels in a header) and shortened at a word break,
 * counting user-perceived characters so an emoji or an accented letter is never cut in two.
 */
function subjectLine(prefix: string, question: string): string {
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
