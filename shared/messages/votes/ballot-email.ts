import type { VoteOption } from "#domain/vote.ts";
import { ballotLinkUrl, signBallotLink } from "#links/ballot-link.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Settings } from "#ports/ports.ts";
import { asMemberOf, emphasis, heading, links, paragraph, type Link } from "#messages/email-kit/blocks.ts";
import { firstNameOf, renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { closesAtLocal, voteEnvelope, type VoteEmailContext } from "./vote-email-envelope.ts";
import { howToAnswer, voteSubject, type VoteForEmail } from "./vote-email-parts.ts";

/**
 * The ballot, and the reminder a non-voter gets before the close, which repeats it: the
 * question, how to answer by reply or by link, and when the vote closes.
 */

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

export const renderBallotEmail = (input: BallotEmailInput): RenderedEmail =>
  renderBallot(input, {
    subject: "Your vote",
    heading: `Your vote in ${input.groupName}`,
    intro: `${input.groupName} is holding a vote, and your voice counts. The question is:`,
  });

export const renderVoteReminder = (input: VoteReminderInput): RenderedEmail =>
  renderBallot(input, {
    subject: "Reminder to vote",
    heading: `Reminder: your vote in ${input.groupName}`,
    intro: `You haven't voted yet in ${input.groupName}'s vote, and it closes on ${input.closesAtLocal}. The question is:`,
  });

function renderBallot(
  input: BallotEmailInput,
  wording: { subject: string; heading: string; intro: string },
): RenderedEmail {
  const { vote } = input;
  const secret = vote.secrecy === "secret";
  return renderEmail({
    subject: voteSubject(wording.subject, vote.question),
    heading: wording.heading,
    firstName: input.memberFirstName,
    blocks: [
      paragraph(wording.intro),
      emphasis(vote.question),
      heading("How to vote"),
      ...howToAnswer(vote.kind, vote.options, "Reply to this email"),
      heading("Or choose with a link"),
      paragraph(
        "Each link opens a page where you will be asked to confirm your choice; your vote is not cast until you do.",
      ),
      links(...optionLinksOf(input)),
      heading("When the vote closes"),
      paragraph(`The vote closes on ${input.closesAtLocal}.`),
      paragraph("You can change your vote by replying again until the vote closes."),
      heading(secret ? "A secret ballot" : "An open ballot"),
      paragraph(
        secret
          ? "Nobody, not even the coordinators, will see how you voted. Only the totals are shared."
          : "This is an open ballot: the group's coordinators can see how you voted. Emails about the result give totals only.",
      ),
    ],
    footer: { reason: asMemberOf(input.groupName), unsubscribeUrl: input.unsubscribeUrl },
  });
}

/** One link per option, in ballot order; anything else is a caller's mistake. */
function optionLinksOf({ vote, optionLinks }: BallotEmailInput): Link[] {
  const byId = new Map(optionLinks.map((link) => [link.option.id, link.url]));
  if (byId.size !== optionLinks.length || optionLinks.length !== vote.options.length)
    throw new RangeError("a ballot needs exactly one link per option");
  return vote.options.map((option) => {
    const url = byId.get(option.id);
    if (url === undefined) throw new RangeError("a ballot needs exactly one link per option");
    return { label: `Choose ${option.label}`, url };
  });
}

// ---------------------------------------------------------------------------------------
// Addressed to one member: every option gets a link signed with their ballot token

const addressed =
  (render: (input: BallotEmailInput) => RenderedEmail) =>
  async (settings: Settings, c: VoteEmailContext, token: string): Promise<OutgoingEmail> => ({
    ...voteEnvelope(settings, c.member, c.vote.groupId, token),
    ...render({
      vote: c.vote,
      groupName: c.groupName,
      memberFirstName: firstNameOf(c.member),
      closesAtLocal: closesAtLocal(c),
      optionLinks: await Promise.all(
        c.vote.options.map(async (option) => ({
          option,
          url: ballotLinkUrl(
            settings.publicBaseUrl,
            await signBallotLink({ ballotToken: token, optionId: option.id }, settings.linkSigningSecret),
          ),
        })),
      ),
    }),
  });

export const ballotEmail = addressed(renderBallotEmail);
export const voteReminderEmail = addressed(renderVoteReminder);
