import type { DutyKind, Session } from "#domain/session.ts";
import {
  asMemberOf,
  details,
  heading,
  paragraph,
  phrases,
  type Block,
  type Detail,
} from "#messages/email-kit/blocks.ts";
import { linkable } from "#messages/email-kit/html-safety.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { askBlocks, type RsvpLinks } from "#messages/rsvp/rsvp-email-parts.ts";

/** What every email about a session is told: the session, the member, the start in the group's zone. */
export interface SessionEmailInput {
  session: Pick<Session, "title" | "durationMinutes" | "venue" | "onlineUrl" | "changeNote">;
  groupName: string;
  memberFirstName: string;
  /** The start as the member should read it, already formatted in the group's time zone. */
  startsAtLocal: string;
  /** The member's signed unsubscribe link (http or https). */
  unsubscribeUrl: string;
}

/** For the emails that tell members when and where to come, with their part in it. */
export interface SessionDetailsEmailInput extends SessionEmailInput {
  /** The duties this member holds for this session; empty for most members. */
  duties: readonly DutyKind[];
  /** The session asks who is coming: "Reply yes, no or maybe" and the member's three links. */
  rsvpLinks?: RsvpLinks;
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

/** The reminder and the notice of a move: when, where, and the member's part, after an intro. */
export function renderSessionDetailsEmail(
  input: SessionDetailsEmailInput,
  wording: { subject: string; heading: string; intro: string; note?: string },
): RenderedEmail {
  const duties = [...new Set(input.duties)].map((kind) => dutyDescriptions[kind]);
  return renderSessionEmail(input, {
    subject: wording.subject,
    heading: wording.heading,
    blocks: [
      paragraph(wording.intro),
      ...(wording.note ? [paragraph(wording.note)] : []),
      details(
        {
          label: "When",
          value: `${input.startsAtLocal} (${describeDuration(input.session.durationMinutes)})`,
        },
        { ...whereOf(input.session), more: joinOnline(input.session) },
      ),
      ...(duties.length > 0 ? [heading("Your part"), phrases("You're down for:", duties)] : []),
      ...(input.rsvpLinks ? [heading("Are you coming?"), ...askBlocks(input.rsvpLinks)] : []),
    ],
  });
}

/** Every session email's frame: the member greeted, the footer with their unsubscribe link. */
export const renderSessionEmail = (
  input: SessionEmailInput,
  email: { subject: string; heading: string; blocks: readonly Block[] },
): RenderedEmail =>
  renderEmail({
    ...email,
    firstName: input.memberFirstName,
    footer: { reason: asMemberOf(input.groupName), unsubscribeUrl: input.unsubscribeUrl },
  });

/** Where the session takes place: its venue, online, or not known yet. */
export function whereOf(session: SessionEmailInput["session"]): Detail {
  if (session.venue)
    return { label: "Where", value: [session.venue.name, session.venue.address].filter(Boolean).join(", ") };
  return {
    label: "Where",
    value: session.onlineUrl === undefined ? "To be confirmed by the group" : "Online",
  };
}

/** Where to join online: a link when it is http(s), else shown as text, never made clickable. */
const joinOnline = ({ onlineUrl }: SessionEmailInput["session"]): Detail["more"] =>
  onlineUrl === undefined
    ? []
    : [linkable(onlineUrl) === null ? `Join online: ${onlineUrl}` : { label: "Join online", url: onlineUrl }];

function describeDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [];
  if (hours > 0) parts.push(`${hours} ${hours === 1 ? "hour" : "hours"}`);
  if (rest > 0 || hours === 0) parts.push(`${rest} ${rest === 1 ? "minute" : "minutes"}`);
  return parts.join(" ");
}
