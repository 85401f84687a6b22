import { paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { asCoordinatorOf } from "./still-meeting-email.ts";

/** What became of a coordinator's answer to "still meeting?", as the email tells them. */
export type StillMeetingAnswerNote =
  | "confirmed"
  | "ended"
  | "already-ended"
  | "unreadable"
  | "not-from-member"
  | "unverified"
  | "not-a-coordinator";

export interface StillMeetingAnswerInput {
  groupName: string;
  firstName: string;
  seriesTitle: string;
  note: StillMeetingAnswerNote;
}

/** The answer to "still meeting?", confirmed (or why it changed nothing), to the coordinator's own address. */
export function renderStillMeetingAnswer(input: StillMeetingAnswerInput): RenderedEmail {
  const title = `"${input.seriesTitle}"`;
  const what: Record<StillMeetingAnswerNote, [subject: string, text: string]> = {
    confirmed: [
      `${input.groupName} still meets: thank you`,
      `Thank you for confirming that ${title} goes on. Its sessions carry on as planned.`,
    ],
    ended: [
      `${input.seriesTitle} has ended`,
      `As you asked, ${title} has ended. Its sessions still to come are cancelled and members are told.`,
    ],
    "already-ended": [
      `${input.seriesTitle} had already ended`,
      `${title} had already ended, so your answer changed nothing.`,
    ],
    unreadable: [
      `Your reply about ${input.seriesTitle} changed nothing`,
      `We couldn't read "yes" or "no" in your reply about ${title}, so nothing changed. Please reply again with the answer on the first line.`,
    ],
    "not-from-member": [
      `Your reply about ${input.seriesTitle} changed nothing`,
      `We received a reply about ${title} from a different email address, so it changed nothing. Please reply from the address this email was sent to.`,
    ],
    unverified: [
      `Your reply about ${input.seriesTitle} changed nothing`,
      `We couldn't verify that your reply about ${title} came from you, so it changed nothing. Please use the link in the email instead.`,
    ],
    "not-a-coordinator": [
      `Your reply about ${input.seriesTitle} changed nothing`,
      `You no longer coordinate ${input.groupName}, so your answer about ${title} changed nothing.`,
    ],
  };
  const [subject, text] = what[input.note];
  return renderEmail({
    subject,
    heading: subject,
    firstName: input.firstName,
    blocks: [paragraph(text)],
    footer: { reason: asCoordinatorOf(input.groupName) },
  });
}
