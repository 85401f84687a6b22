import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Settings } from "#ports/ports.ts";
import { asMemberOf, paragraph } from "#messages/email-kit/blocks.ts";
import { firstNameOf, renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { closesAtLocal, voteEnvelope, type VoteEmailContext } from "./vote-email-envelope.ts";
import { voteSubject, type VoteForEmail } from "./vote-email-parts.ts";

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

/**
 * Sent after each counted ballot. An open ballot repeats the choice so the member can check
 * it; a secret ballot never does, even to the member (an inbox is not always private).
 */
export function renderBallotConfirmation(input: BallotConfirmationInput): RenderedEmail {
  const { vote } = input;
  const label = vote.secrecy === "open" ? input.optionLabel : undefined;
  const counted =
    label === undefined
      ? `Your vote on “${vote.question}” has been counted.`
      : endSentence(`You voted ${label} on “${vote.question}”`);
  const replaced = input.replaced ? ["It replaces your earlier vote."] : [];
  const secrecy = vote.secrecy === "secret" ? ["Your choice is secret, so we don't repeat it here."] : [];

  return renderEmail({
    subject: voteSubject("Vote counted", vote.question),
    heading: "Your vote has been counted",
    firstName: input.memberFirstName,
    blocks: [
      paragraph([counted, ...replaced, ...secrecy].join(" ")),
      paragraph(`To change your vote, reply again before ${input.closesAtLocal}, when the vote closes.`),
    ],
    // The answer to the member's own ballot: always sent, so no unsubscribe link.
    footer: { reason: asMemberOf(input.groupName) },
  });
}

/** Ends a sentence with a full stop unless it ends with its own (a quoted question does). */
const endSentence = (sentence: string): string =>
  /[.?!…]["”’)]*$/u.test(sentence) ? sentence : `${sentence}.`;

/** The confirmation addressed to the member, with the reply address of their ballot. */
export const ballotConfirmationEmail = (
  settings: Settings,
  c: VoteEmailContext,
  token: string,
  optionId: string,
  replaced: boolean,
): OutgoingEmail => ({
  ...voteEnvelope(settings, c.member, c.vote.groupId, token),
  ...renderBallotConfirmation({
    vote: c.vote,
    groupName: c.groupName,
    memberFirstName: firstNameOf(c.member),
    optionLabel:
      c.vote.secrecy === "secret" ? undefined : c.vote.options.find((o) => o.id === optionId)?.label,
    replaced,
    closesAtLocal: closesAtLocal(c),
  }),
});
