import { describeThreshold } from "#domain/vote-threshold.ts";
import { describeResult, type Vote, type VoteOption, type VoteResult } from "#domain/vote.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Settings } from "#ports/ports.ts";
import { asMemberOf, emphasis, heading, list, paragraph } from "#messages/email-kit/blocks.ts";
import { firstNameOf, renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { voteEnvelope, type VoteEmailContext } from "./vote-email-envelope.ts";
import { voteSubject, type VoteForEmail } from "./vote-email-parts.ts";

/**
 * How a vote ended, told to every eligible member: its result (totals only, never who voted
 * what) or its cancellation.
 */

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
  reason?: string | undefined;
  unsubscribeUrl?: string;
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

  return renderEmail({
    subject: voteSubject("Vote result", vote.question),
    heading: `The result of ${groupName}'s vote`,
    firstName: input.memberFirstName,
    blocks: [
      paragraph(`${groupName}'s vote has closed. The question was:`),
      emphasis(vote.question),
      heading("Result"),
      paragraph(input.describe),
      paragraph(ruleText(vote)),
      heading("Votes per option"),
      list(vote.options.map((option) => `${labelOf(option)}: ${result.counts[option.id] ?? 0}`)),
      heading("Turnout"),
      paragraph(`${result.ballots} of ${result.eligible} eligible members took part, abstentions included.`),
      paragraph(quorum),
      paragraph("This email gives totals only: it never shows who voted what."),
    ],
    footer: { reason: asMemberOf(groupName), unsubscribeUrl: input.unsubscribeUrl },
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
  return renderEmail({
    subject: voteSubject("Vote cancelled", vote.question),
    heading: `Vote cancelled in ${groupName}`,
    firstName: input.memberFirstName,
    blocks: [
      paragraph(`${groupName}'s vote on this question has been cancelled:`),
      emphasis(vote.question),
      ...(reason ? [paragraph(`The reason given: ${reason}`)] : []),
      paragraph("No votes will be counted and there will be no result. You don't need to do anything."),
    ],
    footer: { reason: asMemberOf(groupName), unsubscribeUrl: input.unsubscribeUrl },
  });
}

/** The result addressed to the member; a reply to it is not a ballot, so no reply address. */
export const voteResultEmail = (settings: Settings, c: VoteEmailContext): OutgoingEmail => ({
  ...voteEnvelope(settings, c.member, c.vote.groupId),
  ...renderVoteResult({
    vote: c.vote,
    groupName: c.groupName,
    memberFirstName: firstNameOf(c.member),
    result: c.vote.result!,
    describe: describeResult(c.vote, c.vote.result!),
  }),
});

export const voteCancelledEmail = (
  settings: Settings,
  c: VoteEmailContext,
  reason?: string,
): OutgoingEmail => ({
  ...voteEnvelope(settings, c.member, c.vote.groupId),
  ...renderVoteCancelled({
    vote: c.vote,
    groupName: c.groupName,
    memberFirstName: firstNameOf(c.member),
    reason,
  }),
});
