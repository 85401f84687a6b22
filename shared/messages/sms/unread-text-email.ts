import { details, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";

export interface UnreadTextInput {
  groupName: string;
  firstName: string;
  /** The member who texted, by name: never their number. */
  memberName: string;
  /** What they wrote, as written (escaped by the kit). */
  text: string;
  receivedAtLocal: string;
}

/**
 * A member's text that answered nothing we could match, for the group's coordinators to read.
 * It carries the words: the member wrote to their group and its coordinators are who would
 * read a text to the group anyway; without the words they could not act. It never carries the
 * number (the member's record has it, for those allowed to see it), and its subject says nothing.
 */
export function renderUnreadText(input: UnreadTextInput): RenderedEmail {
  return renderEmail({
    subject: `${input.groupName}: a text from a member`,
    heading: "Unread: a text from a member",
    firstName: input.firstName,
    blocks: [
      paragraph(
        `${input.memberName} texted us, and it did not answer a question we had asked them, so we pass it on to you unread by Convene.`,
      ),
      details(
        { label: "From", value: input.memberName },
        { label: "Received", value: input.receivedAtLocal },
        { label: "Text", value: input.text },
      ),
      paragraph("To answer, contact them as you usually would."),
    ],
    footer: { reason: `You get this as a coordinator of ${input.groupName}.` },
  });
}
