import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import { renderSessionDetailsEmail, type SessionDetailsEmailInput } from "./session-details.ts";

export type SessionReminderEmailInput = SessionDetailsEmailInput;

/** The reminder a member receives before a session, with the duties they hold for it. */
export const renderSessionReminderEmail = (input: SessionReminderEmailInput): RenderedEmail =>
  renderSessionDetailsEmail(input, {
    subject: `Reminder: ${input.session.title}, ${input.startsAtLocal}`,
    heading: input.session.title,
    intro: `This is a reminder of ${input.session.title}, a session of ${input.groupName}.`,
    // A change to the group's series more than 48 hours ahead is told here, not at once.
    ...(input.session.changeNote ? { note: `What has changed: ${input.session.changeNote}.` } : {}),
  });
