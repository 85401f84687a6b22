import type { Recipient } from "#domain/recipient.ts";

/** An iCalendar part sent as text/calendar alongside the text and HTML bodies. */
export interface CalendarPart {
  method: "REQUEST" | "CANCEL";
  ics: string;
}

export interface OutgoingEmail {
  to: string;
  /** Set when the email is to a member: a bounce or complaint then finds them (see toMember). */
  recipient?: Recipient;
  from: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
  calendar?: CalendarPart;
}

/** Sends one email. The adapter is SES (SESv2 SendEmail); locally it points at the SES emulator. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
