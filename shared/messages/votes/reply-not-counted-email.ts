import type { Member } from "#domain/member.ts";
import type { Vote, VoteOption } from "#domain/vote.ts";
import { ballotLinkUrl, signBallotLink } from "#links/ballot-link.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Settings } from "#ports/ports.ts";
import { asMemberOf, links, paragraph, type Block } from "#messages/email-kit/blocks.ts";
import { firstNameOf, renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { voteEnvelope } from "./vote-email-envelope.ts";
import { howToAnswer, voteSubject, type VoteForEmail } from "./vote-email-parts.ts";

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
      paragraph(`We couldn't read a choice in your reply${about}, so it was not counted.`),
      ...answerAgain(),
    ],
    ambiguous: () => [
      paragraph(
        `Your reply${about} seemed to give more than one choice, so it was not counted. Please choose just one.`,
      ),
      ...answerAgain(),
    ],
    empty: () => [
      paragraph(`We couldn't find an answer in your reply${about}, so it was not counted.`),
      ...answerAgain(),
    ],
    "vote-closed": () => [
      paragraph(`The vote${about} has closed, so your reply was not counted.`),
      paragraph("Thank you for taking part."),
    ],
    "not-from-member": () => [
      paragraph("We received a reply to your ballot from a different email address, so it was not counted."),
      paragraph("To vote, reply from the address this ballot was sent to."),
    ],
    "held-for-confirmation": () => {
      if (!input.confirmUrl) throw new RangeError("the confirmation link must be an http(s) URL");
      return [
        paragraph(
          `We could not verify that your reply${about} came from you, so we have not counted it yet.`,
        ),
        paragraph("If you sent it, follow this link and confirm your vote on the page it opens:"),
        links({ label: "Confirm my vote", url: input.confirmUrl }),
        paragraph("If you did not send it, you can ignore this email: it will not be counted."),
      ];
    },
  };

  return renderEmail({
    subject:
      vote === undefined
        ? "Your reply was not counted"
        : voteSubject("Your reply was not counted", vote.question),
    heading: "Your reply was not counted",
    firstName: input.memberFirstName ?? "",
    blocks: explanation[input.reason](),
    // The answer to the member's own reply: always sent, so no unsubscribe link.
    footer: {
      reason:
        input.groupName === undefined
          ? "You receive this email because of a reply sent to a Convene ballot."
          : asMemberOf(input.groupName),
    },
  });
}

const isProposal = (options: readonly VoteOption[]): boolean =>
  options.length === 3 && ["yes", "no", "abstain"].every((id) => options.some((option) => option.id === id));

/** The explanation addressed to the member; a held ballot's link is signed with their token. */
export const replyNotCountedEmail = async (
  settings: Settings,
  input: {
    reason: ReplyNotCountedReason;
    vote: Vote;
    groupName: string;
    member: Member;
    token: string;
    optionId?: string;
  },
): Promise<OutgoingEmail> => {
  const confirmUrl =
    input.reason === "held-for-confirmation" && input.optionId
      ? ballotLinkUrl(
          settings.publicBaseUrl,
          await signBallotLink(
            { ballotToken: input.token, optionId: input.optionId },
            settings.linkSigningSecret,
          ),
        )
      : undefined;
  return {
    ...voteEnvelope(settings, input.member, input.vote.groupId, input.token),
    ...renderReplyNotCounted({
      vote: input.vote,
      groupName: input.groupName,
      memberFirstName: firstNameOf(input.member),
      reason: input.reason,
      ...(confirmUrl ? { confirmUrl } : {}),
    }),
  };
};
