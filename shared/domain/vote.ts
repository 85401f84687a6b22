import type { BallotKind, ChoiceReading } from "#inbound/read-choice.ts";
import { conflict, invalid } from "./errors.ts";
import {
  describeThreshold,
  meetsThreshold,
  thresholdFromShare,
  thresholdRuleOf,
  type ThresholdRule,
} from "./vote-threshold.ts";

/**
 * Votes a group decides by: opened by a coordinator, answered by members replying to email,
 * tallied at the close. Pure: no clock, no store, no ids minted here.
 *
 * Rules, in one place:
 * - Quorum is "at least": met when ballots / eligible >= quorum (abstentions take part).
 * - The threshold is a rule over the non-abstaining ballots (vote-threshold.ts): a simple
 *   majority, "more than half", so a tie at half fails; or "at least" an exact fraction, so
 *   6 of 9 meets two-thirds and 1 / 1 is unanimity.
 * - A proposal that does not pass is rejected; a tied proposal keeps the status quo.
 * - One ballot per eligible member: the one cast last (castAt, then input order) counts.
 */

export type VoteKind = "proposal" | "choice" | "election";
export type BallotSecrecy = "secret" | "open";
export type VoteStatus = "open" | "closed" | "cancelled";

/**
 * One answer on the ballot. Proposal: "yes", "no", "abstain". Choice: ids "1".."10" in
 * ballot order. Election: the candidate's memberId, labelled with their display name.
 */
export interface VoteOption {
  id: string;
  label: string;
}

export interface Vote {
  organisationId: string;
  groupId: string;
  id: string;
  question: string;
  kind: VoteKind;
  options: VoteOption[];
  /** For an election: the role it fills (a vacancy's election uses it). */
  roleId?: string;
  /** ISO UTC instant; ballots are accepted strictly before it. */
  closesAt: string;
  /** Share of eligible members who must take part (abstaining counts), 0..1, "at least". */
  quorum: number;
  /** Share of non-abstaining ballots needed to pass or win: more than half, or at least a fraction. */
  threshold: ThresholdRule;
  secrecy: BallotSecrecy;
  /** Fixed when the vote opens: members who join later do not vote. */
  eligibleMemberIds: string[];
  /** 0: no reminder. */
  reminderMinutesBeforeClose: number;
  status: VoteStatus;
  result?: VoteResult;
  openedAt: string;
  openedBy: string;
}

export interface Ballot {
  organisationId: string;
  voteId: string;
  memberId: string;
  optionId: string;
  castAt: string;
}

export type VoteOutcome =
  | { kind: "passed" }
  | { kind: "rejected" }
  | { kind: "elected" | "chosen"; optionId: string }
  /** Two or more options share the most ballots (choice and election only). */
  | { kind: "tie"; optionIds: string[] }
  /** Choice and election: one option leads alone but its share does not meet the threshold. */
  | { kind: "no-majority" }
  | { kind: "no-quorum" }
  /** Quorum met, but no ballot for or against anything: nobody voted, or everyone abstained. */
  | { kind: "no-votes" };

export interface VoteResult {
  /** optionId -> ballots, every option listed (abstain included for proposals). */
  counts: Record<string, number>;
  ballots: number;
  eligible: number;
  /** ballots / eligible, abstentions included. */
  turnout: number;
  quorumMet: boolean;
  outcome: VoteOutcome;
}

/** What a coordinator asks for when opening a vote; openVote checks it. */
export interface VoteRequest {
  organisationId: string;
  groupId: string;
  /** Minted by the caller (newId()), so that opening stays pure. */
  id: string;
  question: string;
  kind: VoteKind;
  /** Choice only: 2–10 labels, in ballot order. */
  options?: readonly string[];
  /** Election only: at least two eligible members, with the names the ballot shows. */
  candidates?: readonly { memberId: string; name: string }[];
  /** Election only. */
  roleId?: string;
  closesAt: string;
  quorum: number;
  /** A rule, or a share in [0, 1] as the API took it before rules (0.5: more than half; see thresholdFromShare). */
  threshold: ThresholdRule | number;
  secrecy: BallotSecrecy;
  reminderMinutesBeforeClose: number;
  openedBy: string;
}

/** Whether a ballot can be cast now; "past-close" is a vote whose close is due but not yet done. */
export type CastStatus = "open" | "closed" | "cancelled" | "past-close";

const minuteMs = 60_000;
const maxOpenDays = 90;
const maxQuestionLength = 500;
const maxLabelLength = 200;
const maxChoiceOptions = 10;

/** The fixed answers of a proposal; the ids are what readChoice returns for one. */
export function proposalOptions(): VoteOption[] {
  return [
    { id: "yes", label: "Yes" },
    { id: "no", label: "No" },
    { id: "abstain", label: "Abstain" },
  ];
}

/**
 * Opens a vote among the members eligible now; throws DomainError "invalid" naming the first
 * field at fault.
 * 1. The question has 1–500 characters (trimmed).
 * 2. At least one member is eligible.
 * 3. Options by kind: a proposal's are fixed; a choice has 2–10 labels; an election has at
 *    least two distinct candidates, all eligible. Labels must be readable and distinct as a
 *    reply reads them (see distinctLabels).
 * 4. roleId only for an election (its winner fills the role) or a proposal (it confirms a
 *    vacancy's proposed volunteer).
 * 5. The close is an ISO instant with an offset, after now and at most 90 days ahead.
 * 6. The reminder is a whole number of minutes >= 0 and falls after now (0: no reminder).
 * 7. Quorum is a number in [0, 1]; the threshold a rule, or a share in [0, 1] read as
 *    thresholdFromShare reads it.
 */
export function openVote(request: VoteRequest, now: Date, eligibleMemberIds: readonly string[]): Vote {
  const question = request.question.trim();
  const questionLength = [...question].length;
  if (questionLength === 0) throw invalid("question", "the question is empty");
  if (questionLength > maxQuestionLength)
    throw invalid("question", `the question must be at most ${maxQuestionLength} characters`);

  const eligible = [...new Set(eligibleMemberIds)];
  if (eligible.length === 0) throw invalid("eligibleMemberIds", "nobody is eligible to vote");

  const options = optionsFor(request, eligible);
  if (request.roleId !== undefined) {
    // An election fills the role with its winner; a proposal confirms the vacancy's proposed
    // volunteer (an objection turned the confirmation into a vote). A choice fills nothing.
    if (request.kind === "choice") throw invalid("roleId", "only an election or a proposal fills a role");
    if (request.roleId.trim() === "") throw invalid("roleId", "the role is empty");
  }

  const closesAtMs = instantMs(request.closesAt, "closesAt");
  if (closesAtMs <= now.getTime()) throw invalid("closesAt", "the vote must close in the future");
  if (closesAtMs - now.getTime() > maxOpenDays * 1_440 * minuteMs)
    throw invalid("closesAt", `the vote must close within ${maxOpenDays} days`);

  const reminder = request.reminderMinutesBeforeClose;
  if (!Number.isInteger(reminder) || reminder < 0)
    throw invalid("reminderMinutesBeforeClose", "must be a whole number of minutes, 0 or more");
  if (reminder > 0 && closesAtMs - reminder * minuteMs <= now.getTime())
    throw invalid("reminderMinutesBeforeClose", "the reminder would fall before the vote opens");

  requireShare(request.quorum, "quorum");
  const threshold = thresholdRuleOf(request.threshold);

  return {
    organisationId: request.organisationId,
    groupId: request.groupId,
    id: request.id,
    question,
    kind: request.kind,
    options,
    ...(request.roleId === undefined ? {} : { roleId: request.roleId }),
    closesAt: new Date(closesAtMs).toISOString(),
    quorum: request.quorum,
    threshold,
    secrecy: request.secrecy,
    eligibleMemberIds: eligible,
    reminderMinutesBeforeClose: reminder,
    status: "open",
    openedAt: now.toISOString(),
    openedBy: request.openedBy,
  };
}

/**
 * Quorum is "at least" a share of the eligible, compared exactly: the share is read as a
 * threshold's is (0.6667 and 0.667 are two-thirds, 0.55 is 55/100, 0.5 one half).
 */
function meetsQuorum(ballots: number, eligible: number, quorum: number): boolean {
  if (quorum <= 0) return true;
  const share =
    quorum === 0.5 ? { kind: "at-least" as const, numerator: 1, denominator: 2 } : thresholdFromShare(quorum);
  return meetsThreshold(share, ballots, eligible);
}

/**
 * Counts a vote's ballots. Secrecy plays no part: it governs who may see ballots, not how
 * they count.
 * 1. A ballot counts when it is for this vote, from an eligible member, for one of the
 *    vote's options, and cast before the close. Anything else is ignored, not an error.
 * 2. Per member, the latest castAt wins; at equal instants, the later in the input (the
 *    store lists a member's ballot writes in order).
 * 3. Quorum: counted ballots / eligible >= quorum, abstentions included. Not met: no-quorum,
 *    whatever the counts.
 * 4. No ballot for or against (none at all, or only abstentions): no-votes.
 * 5. Proposal: passed when yes of (yes + no) meets the threshold, else rejected.
 * 6. Choice, election: several options sharing the most ballots tie; a sole leader wins when
 *    its ballots meet the threshold, else no-majority.
 */
export function tallyVote(vote: Vote, ballots: readonly Ballot[]): VoteResult {
  const counted = countedBallots(vote, ballots);
  const counts = Object.fromEntries(vote.options.map((option) => [option.id, 0]));
  for (const ballot of counted) counts[ballot.optionId] = (counts[ballot.optionId] ?? 0) + 1;

  const eligible = vote.eligibleMemberIds.length;
  const turnout = eligible === 0 ? 0 : counted.length / eligible;
  const quorumMet = meetsQuorum(counted.length, eligible, vote.quorum);
  const result = { counts, ballots: counted.length, eligible, turnout, quorumMet };
  if (!quorumMet) return { ...result, outcome: { kind: "no-quorum" } };

  const decisive = counted.length - (counts.abstain ?? 0);
  if (decisive === 0) return { ...result, outcome: { kind: "no-votes" } };

  if (vote.kind === "proposal") {
    const passed = meetsThreshold(vote.threshold, counts.yes ?? 0, decisive);
    return { ...result, outcome: { kind: passed ? "passed" : "rejected" } };
  }

  const most = Math.max(...vote.options.map((option) => counts[option.id] ?? 0));
  const leaders = vote.options.filter((option) => counts[option.id] === most).map((option) => option.id);
  const [leader] = leaders;
  if (leaders.length > 1 || leader === undefined)
    return { ...result, outcome: { kind: "tie", optionIds: leaders } };
  if (!meetsThreshold(vote.threshold, most, decisive)) return { ...result, outcome: { kind: "no-majority" } };
  return { ...result, outcome: { kind: vote.kind === "election" ? "elected" : "chosen", optionId: leader } };
}

/** Every eligible member has a ballot that counts: the vote may close early. */
export function everyoneHasVoted(vote: Vote, ballots: readonly Ballot[]): boolean {
  return membersYetToVote(vote, ballots).length === 0;
}

/** Eligible members without a ballot that counts, in eligibility order: who the reminder goes to. */
export function membersYetToVote(vote: Vote, ballots: readonly Ballot[]): string[] {
  const voted = new Set(countedBallots(vote, ballots).map((ballot) => ballot.memberId));
  return vote.eligibleMemberIds.filter((memberId) => !voted.has(memberId));
}

/** When non-voters are reminded, as an ISO UTC instant; null when the vote has no reminder. */
export function reminderDueAt(vote: Pick<Vote, "closesAt" | "reminderMinutesBeforeClose">): string | null {
  if (vote.reminderMinutesBeforeClose === 0) return null;
  return new Date(Date.parse(vote.closesAt) - vote.reminderMinutesBeforeClose * minuteMs).toISOString();
}

/**
 * Whether a ballot may be cast now. The close may be late (the scheduler retries), so an
 * open vote whose closesAt has come refuses ballots itself: "past-close".
 */
export function canCast(vote: Pick<Vote, "status" | "closesAt">, now: Date): CastStatus {
  if (vote.status !== "open") return vote.status;
  return now.getTime() >= Date.parse(vote.closesAt) ? "past-close" : "open";
}

/**
 * Closes an open vote with its result: at the close, or earlier once everyone has voted.
 * Throws DomainError "conflict" for a vote already closed or cancelled, or still running.
 */
export function closeVote(vote: Vote, ballots: readonly Ballot[], now: Date): Vote {
  if (vote.status !== "open") throw conflict(`the vote is already ${vote.status}`);
  if (canCast(vote, now) === "open" && !everyoneHasVoted(vote, ballots))
    throw conflict("the vote is still open and not everyone has voted");
  return { ...vote, status: "closed", result: tallyVote(vote, ballots) };
}

/** Cancels an open vote; it never gets a result. Throws DomainError "conflict" otherwise. */
export function cancelVote(vote: Vote): Vote {
  if (vote.status !== "open") throw conflict(`the vote is already ${vote.status}`);
  return { ...vote, status: "cancelled" };
}

/**
 * The result in one line for emails and the dashboard, e.g.
 * "Passed: 7 yes, 2 no, 1 abstained; turnout 10 of 12 (83%)". Counts only: it never names
 * a voter, whatever the secrecy (an election names its candidates).
 */
export function describeResult(vote: Vote, result: VoteResult): string {
  const turnout = `turnout ${result.ballots} of ${result.eligible} (${percent(result.ballots, result.eligible)})`;
  const { outcome } = result;
  if (outcome.kind === "no-quorum") return `No quorum: ${turnout}, ${shareText(vote.quorum)} needed`;
  if (outcome.kind === "no-votes" && result.ballots === 0) return `No votes: ${turnout}`;

  return `${headline(vote, outcome)}: ${countsText(vote, result)}; ${turnout}`;
}

/** What readChoice needs to read a reply to this vote's ballot. */
export function choiceReadingOptions(vote: Pick<Vote, "kind" | "options">): BallotKind {
  return vote.kind === "proposal"
    ? { kind: "proposal" }
    : { kind: "choice", options: vote.options.map((option) => option.label) };
}

/**
 * The option a reading names, or null when it names no single option (ambiguous, unreadable,
 * empty). A proposal reading is already an option id; a choice reading gives the label.
 */
export function optionFromReading(
  vote: Pick<Vote, "kind" | "options">,
  reading: ChoiceReading,
): string | null {
  if (reading.kind !== "choice") return null;
  const option = vote.options.find((candidate) =>
    vote.kind === "proposal" ? candidate.id === reading.value : candidate.label === reading.value,
  );
  return option?.id ?? null;
}

// ---------------------------------------------------------------------------------------
// Opening

function optionsFor(request: VoteRequest, eligible: readonly string[]): VoteOption[] {
  if (request.kind !== "choice" && request.options !== undefined)
    throw invalid("options", "only a choice vote lists its own options");
  if (request.kind !== "election" && request.candidates !== undefined)
    throw invalid("candidates", "only an election has candidates");

  if (request.kind === "proposal") return proposalOptions();

  if (request.kind === "choice") {
    const labels = (request.options ?? []).map((label) => label.trim());
    if (labels.length < 2 || labels.length > maxChoiceOptions)
      throw invalid("options", `a choice needs 2 to ${maxChoiceOptions} options`);
    distinctLabels(labels, (at) => `options.${at}`);
    return labels.map((label, at) => ({ id: String(at + 1), label }));
  }

  const candidates = (request.candidates ?? []).map(({ memberId, name }) => ({
    memberId,
    name: name.trim(),
  }));
  if (candidates.length < 2) throw invalid("candidates", "an election needs at least 2 candidates");
  const eligibleIds = new Set(eligible);
  const seen = new Set<string>();
  candidates.forEach(({ memberId }, at) => {
    if (!eligibleIds.has(memberId))
      throw invalid(`candidates.${at}.memberId`, "a candidate must be eligible to vote");
    if (seen.has(memberId)) throw invalid(`candidates.${at}.memberId`, "the candidate is listed twice");
    seen.add(memberId);
  });
  distinctLabels(
    candidates.map(({ name }) => name),
    (at) => `candidates.${at}.name`,
  );
  return candidates.map(({ memberId, name }) => ({ id: memberId, label: name }));
}

/**
 * Labels a member can reply with: each has a letter or a digit, fits in 200 characters,
 * and differs from the others as readChoice compares names (case and punctuation aside).
 * Two labels that read the same would let a reply by name silently pick the first, and
 * would map a reading back to the wrong option; two candidates called "Sam" need telling
 * apart on the ballot anyway.
 */
function distinctLabels(labels: readonly string[], field: (at: number) => string): void {
  const seen = new Set<string>();
  labels.forEach((label, at) => {
    const spoken = label
      .normalize("NFKC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
    if (spoken === "") throw invalid(field(at), "the label needs a letter or a digit");
    if ([...label].length > maxLabelLength)
      throw invalid(field(at), `the label must be at most ${maxLabelLength} characters`);
    if (seen.has(spoken)) throw invalid(field(at), "the label reads the same as another");
    seen.add(spoken);
  });
}

/** An ISO instant with an explicit offset; a bare local time would depend on the server's zone. */
function instantMs(value: string, field: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = iso.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw invalid(field, "must be an ISO date and time with an offset, e.g. 2026-05-01T18:00:00Z");
  return ms;
}

function requireShare(value: number, field: "quorum"): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw invalid(field, "must be between 0 and 1");
}

// ---------------------------------------------------------------------------------------
// Counting

function countedBallots(vote: Vote, ballots: readonly Ballot[]): Ballot[] {
  const eligible = new Set(vote.eligibleMemberIds);
  const optionIds = new Set(vote.options.map((option) => option.id));
  const closesAtMs = Date.parse(vote.closesAt);
  const latest = new Map<string, Ballot>();
  for (const ballot of ballots) {
    const castAtMs = Date.parse(ballot.castAt);
    const counts =
      ballot.organisationId === vote.organisationId &&
      ballot.voteId === vote.id &&
      eligible.has(ballot.memberId) &&
      optionIds.has(ballot.optionId) &&
      castAtMs < closesAtMs;
    if (!counts) continue;
    const earlier = latest.get(ballot.memberId);
    if (earlier === undefined || castAtMs >= Date.parse(earlier.castAt)) latest.set(ballot.memberId, ballot);
  }
  return [...latest.values()];
}

// ---------------------------------------------------------------------------------------
// Wording

function headline(vote: Vote, outcome: VoteOutcome): string {
  const noun = vote.kind === "election" ? "candidate" : "option";
  switch (outcome.kind) {
    case "passed":
      return "Passed";
    case "rejected":
      return "Rejected";
    case "chosen":
    case "elected":
      return `${labelOf(vote, outcome.optionId)} ${outcome.kind}`;
    case "tie":
      return `Tie between ${listText(outcome.optionIds.map((id) => labelOf(vote, id)))}`;
    case "no-majority":
      return `No ${noun} won ${describeThreshold(vote.threshold)} of the votes`;
    case "no-quorum":
      return "No quorum";
    case "no-votes":
      return "No decision";
  }
}

function countsText(vote: Vote, result: VoteResult): string {
  const count = (id: string) => result.counts[id] ?? 0;
  if (vote.kind === "proposal")
    return `${count("yes")} yes, ${count("no")} no, ${count("abstain")} abstained`;
  // Most ballots first; equal counts keep ballot order (sort is stable).
  return [...vote.options]
    .sort((a, b) => count(b.id) - count(a.id))
    .map((option) => `${option.label} ${count(option.id)}`)
    .join(", ");
}

function labelOf(vote: Vote, optionId: string): string {
  return vote.options.find((option) => option.id === optionId)?.label ?? optionId;
}

function listText(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * A whole percentage that never claims all or none falsely: 199 of 200 shows 99%, not 100%,
 * and 1 of 300 shows 1%, not 0%.
 */
function percent(part: number, whole: number): string {
  if (whole === 0) return "0%";
  const rounded = Math.round((part / whole) * 100);
  const honest = part === whole ? 100 : part === 0 ? 0 : Math.min(99, Math.max(1, rounded));
  return `${honest}%`;
}

function shareText(share: number): string {
  return `${Math.round(share * 100)}%`;
}
