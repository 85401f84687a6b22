import type { DutyKind, Session } from "#domain/session.ts";
import {
  esc,
  footerHtml,
  footerText,
  greeting,
  headerSafe,
  joinWords,
  linkable,
  page,
  requireLinkable,
  styles,
  type RenderedEmail,
} from "./email-layout.ts";

// Re-exported: callers that render the session emails (and the unsubscribe page) import
// these from here.
export { esc, type RenderedEmail };

export interface SessionCancelledEmailInput {
  session: Pick<Session, "title" | "durationMinutes" | "venue" | "onlineUrl">;
  groupName: string;
  memberFirstName: string;
  /** The start as the member should read it, already formatted in the group's time zone. */
  startsAtLocal: string;
  /** The member's signed unsubscribe link (http or https). */
  unsubscribeUrl: string;
}

export interface SessionReminderEmailInput extends SessionCancelledEmailInput {
  /** The duties this member holds for this session; empty for most members. */
  duties: readonly DutyKind[];
}

/** What a member is asked to do, in words that complete "You're down for …". */
export const dutyDescriptions: Record<DutyKind, string> = {
  facilitation: "facilitating the session",
  "venue-booking": "booking the venue",
  refreshments: "bringing refreshments",
  reminders: "sending reminders",
  welfare: "looking after welfare",
  signposting: "signposting to further support",
};

/** The reminder a member receives before a session, with the duties they hold for it. */
export function renderSessionReminderEmail(input: SessionReminderEmailInput): RenderedEmail {
  return renderSessionDetails(input, {
    subject: `Reminder: ${input.session.title}, ${input.startsAtLocal}`,
    heading: input.session.title,
    intro: `This is a reminder of ${input.session.title}, a session of ${input.groupName}.`,
  });
}

/**
 * Tells a member a session's time or place has changed, with the details as they now stand;
 * sent with the updated invite (same UID, higher SEQUENCE).
 */
export function renderSessionMovedEmail(input: SessionReminderEmailInput): RenderedEmail {
  return renderSessionDetails(input, {
    subject: `Changed: ${input.session.title}, now ${input.startsAtLocal}`,
    heading: `Changed: ${input.session.title}`,
    intro:
      `The time or place of ${input.session.title}, a session of ${input.groupName}, has changed. ` +
      "This is when and where it now takes place. If it is in your calendar, the attached invite updates it.",
  });
}

interface Wording {
  subject: string;
  heading: string;
  intro: string;
}

function renderSessionDetails(input: SessionReminderEmailInput, wording: Wording): RenderedEmail {
  const { session, groupName, startsAtLocal } = input;
  const subject = headerSafe(wording.subject);
  const duties = [...new Set(input.duties)].map((kind) => dutyDescriptions[kind]);
  const where = placeOf(session);
  const duration = describeDuration(session.durationMinutes);
  const unsubscribeUrl = requireLinkable(input.unsubscribeUrl);

  const text = [
    greeting(input.memberFirstName),
    "",
    wording.intro,
    "",
    `When: ${startsAtLocal} (${duration})`,
    `Where: ${where.text}`,
    ...(where.onlineUrl ? [`Join online: ${where.onlineUrl}`] : []),
    ...(duties.length > 0 ? [`You're down for: ${joinWords(duties)}.`] : []),
    "",
    ...footerText(groupName, unsubscribeUrl),
  ].join("\n");

  const html = page(
    subject,
    [
      `<h1 style="${styles.h1}">${esc(wording.heading)}</h1>`,
      `<p>${esc(greeting(input.memberFirstName))}</p>`,
      `<p>${esc(wording.intro)}</p>`,
      `<h2 style="${styles.h2}">When</h2>`,
      `<p>${esc(startsAtLocal)} (${esc(duration)})</p>`,
      `<h2 style="${styles.h2}">Where</h2>`,
      whereHtml(where),
      ...(duties.length > 0
        ? [
            `<h2 style="${styles.h2}">Your part</h2>`,
            `<p>You're down for:</p>`,
            `<ul>${duties.map((d) => `<li>${esc(d)}</li>`).join("")}</ul>`,
          ]
        : []),
    ],
    footerHtml(groupName, unsubscribeUrl),
  );

  return { subject, text, html };
}

/** Tells a member a session will not take place; sent with the ICS cancellation. */
export function renderSessionCancelledEmail(input: SessionCancelledEmailInput): RenderedEmail {
  const { session, groupName, startsAtLocal } = input;
  const subject = headerSafe(`Cancelled: ${session.title}, ${startsAtLocal}`);
  const where = placeOf(session);
  const unsubscribeUrl = requireLinkable(input.unsubscribeUrl);

  const text = [
    greeting(input.memberFirstName),
    "",
    `${session.title}, a session of ${groupName}, has been cancelled. It will not take place.`,
    "",
    `Was: ${startsAtLocal}`,
    `Where: ${where.text}`,
    "",
    "If it is in your calendar, the attached cancellation removes it.",
    "",
    ...footerText(groupName, unsubscribeUrl),
  ].join("\n");

  const html = page(
    subject,
    [
      `<h1 style="${styles.h1}">Cancelled: ${esc(session.title)}</h1>`,
      `<p>${esc(greeting(input.memberFirstName))}</p>`,
      `<p>${esc(session.title)}, a session of ${esc(groupName)}, has been cancelled. It will not take place.</p>`,
      `<h2 style="${styles.h2}">Was</h2>`,
      `<p>${esc(startsAtLocal)}</p>`,
      `<h2 style="${styles.h2}">Where</h2>`,
      `<p>${esc(where.text)}</p>`,
      `<p>If it is in your calendar, the attached cancellation removes it.</p>`,
    ],
    footerHtml(groupName, unsubscribeUrl),
  );

  return { subject, text, html };
}

interface Place {
  text: string;
  onlineUrl?: string;
  onlineLink: string | null;
}

function placeOf(session: SessionCancelledEmailInput["session"]): Place {
  const onlineUrl = session.onlineUrl;
  const onlineLink = onlineUrl === undefined ? null : linkable(onlineUrl);
  if (session.venue) {
    const text = [session.venue.name, session.venue.address].filter(Boolean).join(", ");
    return { text, onlineUrl, onlineLink };
  }
  return { text: onlineUrl === undefined ? "To be confirmed by the group" : "Online", onlineUrl, onlineLink };
}

function whereHtml(where: Place): string {
  const parts = [`<p>${esc(where.text)}</p>`];
  if (where.onlineLink !== null) {
    parts.push(`<p><a href="${esc(where.onlineLink)}" style="${styles.link}">Join online</a></p>`);
  } else if (where.onlineUrl !== undefined) {
    // Not an http(s) link: show it as text rather than make it clickable.
    parts.push(`<p>Join online: ${esc(where.onlineUrl)}</p>`);
  }
  return parts.join("\n");
}

function describeDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [];
  if (hours > 0) parts.push(`${hours} ${hours === 1 ? "hour" : "hours"}`);
  if (rest > 0 || hours === 0) parts.push(`${rest} ${rest === 1 ? "minute" : "minutes"}`);
  return parts.join(" ");
}
