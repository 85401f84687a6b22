import { details, paragraph } from "#messages/email-kit/blocks.ts";
import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import { renderSessionEmail, whereOf, type SessionEmailInput } from "./session-details.ts";

export type SessionCancelledEmailInput = SessionEmailInput;

/** Tells a member a session will not take place; sent with the ICS cancellation. */
export const renderSessionCancelledEmail = (input: SessionCancelledEmailInput): RenderedEmail =>
  renderSessionEmail(input, {
    subject: `Cancelled: ${input.session.title}, ${input.startsAtLocal}`,
    heading: `Cancelled: ${input.session.title}`,
    blocks: [
      paragraph(
        `${input.session.title}, a session of ${input.groupName}, has been cancelled. It will not take place.`,
      ),
      details({ label: "Was", value: input.startsAtLocal }, whereOf(input.session)),
      paragraph("If it is in your calendar, the attached cancellation removes it."),
    ],
  });
