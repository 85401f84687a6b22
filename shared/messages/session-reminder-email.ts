import type { DutyKind, Session } from "../domain/session.ts";

/** An email ready for the Mailer port: the same facts in plain text and in HTML. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

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

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an element body or a double-quoted attribute value. */
export const esc = (value: string): string => value.replace(/[&<>"']/g, (c) => entities[c] ?? c);

/** The URL, normalised, if it may become an href: only http and https (never `javascript:`). */
function linkable(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function requireLinkable(value: string): string {
  const url = linkable(value);
  if (url === null) throw new RangeError("the unsubscribe link must be an http(s) URL");
  return url;
}

// Dark text on white (about 17:1), links in a blue of about 7:1 and always underlined, so
// the message reads the same with images and styles blocked.
const styles = {
  body: "margin:0;padding:24px;background-color:#ffffff;color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5",
  h1: "font-size:24px;line-height:1.3;margin:0 0 16px",
  h2: "font-size:18px;line-height:1.3;margin:24px 0 4px",
  link: "color:#0645ad;text-decoration:underline",
  footer: "margin-top:32px;padding-top:16px;border-top:1px solid #767676;color:#3d3d3d;font-size:14px",
};

function page(title: string, main: string[], footer: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${esc(title)}</title>`,
    "</head>",
    `<body style="${styles.body}">`,
    "<main>",
    ...main,
    "</main>",
    footer,
    "</body>",
    "</html>",
  ].join("\n");
}

function footerText(groupName: string, unsubscribeUrl: string): string[] {
  return ["--", `You receive these emails as a member of ${groupName}.`, `Unsubscribe: ${unsubscribeUrl}`];
}

function footerHtml(groupName: string, unsubscribeUrl: string): string {
  return [
    `<footer style="${styles.footer}">`,
    `<p>You receive these emails as a member of ${esc(groupName)}.</p>`,
    `<p><a href="${esc(unsubscribeUrl)}" style="${styles.link}">Unsubscribe from these emails</a></p>`,
    "</footer>",
  ].join("\n");
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

const greeting = (firstName: string): string => (firstName.trim() ? `Hello ${firstName.trim()},` : "Hello,");

/** Subjects travel in a header: no line breaks. */
const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, " ").trim();

function describeDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [];
  if (hours > 0) parts.push(`${hours} ${hours === 1 ? "hour" : "hours"}`);
  if (rest > 0 || hours === 0) parts.push(`${rest} ${rest === 1 ? "minute" : "minutes"}`);
  return parts.join(" ");
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
