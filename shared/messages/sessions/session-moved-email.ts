import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import { renderSessionDetailsEmail, type SessionDetailsEmailInput } from "./session-details.ts";

export type SessionMovedEmailInput = SessionDetailsEmailInput;

/**
 * Tells a member a session's time or place has changed, with the details as they now stand;
 * sent with the updated invite (same UID, higher SEQUENCE).
 */
export const renderSessionMovedEmail = (input: SessionMovedEmailInput): RenderedEmail =>
  renderSessionDetailsEmail(input, {
    subject: `Changed: ${input.session.title}, now ${input.startsAtLocal}`,
    heading: `Changed: ${input.session.title}`,
    intro:
      `The time or place of ${input.session.title}, a session of ${input.groupName}, has changed. ` +
      "This is when and where it now takes place. If it is in your calendar, the attached invite updates it.",
  });
