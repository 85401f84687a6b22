import { links, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";

export interface StillMeetingInput {
  groupName: string;
  firstName: string;
  seriesTitle: string;
  /** The series' rule in words: "Every Tuesday at 19:00, London time". */
  ruleInWords: string;
  /** When it was last confirmed, in words ("8 June 2026"). */
  confirmedOn: string;
  yesUrl: string;
  noUrl: string;
}

/** The reason every series email gives: the recipient coordinates the group. */
export const asCoordinatorOf = (groupName: string): string =>
  `You receive this email as a coordinator of ${groupName}.`;

/** A series nobody has confirmed for a while: its coordinators are asked whether the group still meets. */
export const renderStillMeeting = (input: StillMeetingInput): RenderedEmail =>
  renderEmail({
    subject: `Is ${input.groupName} still meeting on ${lowerFirst(input.ruleInWords)}?`,
    heading: `Is ${input.groupName} still meeting?`,
    firstName: input.firstName,
    blocks: [
      paragraph(
        `"${input.seriesTitle}" is set to repeat ${lowerFirst(input.ruleInWords)}. Nobody has confirmed it since ${input.confirmedOn}.`,
      ),
      paragraph(
        `Reply "yes" if the group still meets this way, or "no" to end the series (its sessions still to come are cancelled and members are told). Or use a link below.`,
      ),
      links(
        { label: "Yes, we still meet", url: input.yesUrl },
        { label: "No, end the series", url: input.noUrl },
      ),
    ],
    footer: { reason: asCoordinatorOf(input.groupName) },
  });

const lowerFirst = (words: string) => words.charAt(0).toLowerCase() + words.slice(1);
