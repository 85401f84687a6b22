import { formatLocal, formatLocalShort, sessionStartInstant } from "#domain/local-time.ts";
import type { Channel, Member } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import type { DutyKind, Session } from "#domain/session.ts";
import { signUnsubscribeToken, unsubscribeUrl } from "#links/unsubscribe-link.ts";
import { firstNameOf } from "#messages/email-kit/render-email.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { OutgoingSms } from "#ports/sms-sender.ts";
import type { Settings } from "#ports/ports.ts";
import { renderSessionCancelledEmail } from "./session-cancelled-email.ts";
import type { RsvpLinks } from "#messages/rsvp/rsvp-email-parts.ts";
import { renderSessionIcs, sessionIcsRenderer, type SessionIcsForAttendee } from "./session-invite-ics.ts";
import { renderSessionMovedEmail } from "./session-moved-email.ts";
import { renderSessionReminderEmail } from "./session-reminder-email.ts";
import { renderSessionReminderSms } from "./session-sms.ts";

// Puts the renderers together into whole messages for one member about one session version:
// links signed, the start written in the group's zone, the calendar part attached.

export type SessionNotice = "reminder" | "moved" | "cancelled";

/** The duties a member holds for a session, the facilitator's role included. */
export const dutiesOf = (session: Session, memberId: string): DutyKind[] => [
  ...(session.facilitatorMemberId === memberId ? (["facilitation"] as const) : []),
  ...session.duties.filter((d) => d.holderMemberId === memberId).map((d) => d.kind),
];

const linkFor = async (settings: Settings, session: Session, member: Member, channel: Channel) =>
  unsubscribeUrl(
    settings.publicBaseUrl,
    await signUnsubscribeToken(
      { organisationId: session.organisationId, groupId: session.groupId, memberId: member.id, channel },
      settings.linkSigningSecret,
    ),
  );

/** A member's RSVP reply address and links, when the session asks who is coming. */
export type RsvpAskFor = (member: Member) => Promise<{ replyTo: string; links: RsvpLinks }>;

/** Composes one member's email about one session version: see sessionEmailComposer. */
export type SessionEmailFor = (member: Member) => Promise<OutgoingEmail>;

/**
 * What every member's email about one session version shares (the start in the group's zone,
 * the calendar part) is worked out once, on first use, so a session whose members all take
 * SMS renders no invite; each call then signs the member's link and fills in their name and
 * duties. The result is the same as sessionEmail's for every member. With `ask` (the session
 * asks who is coming), a reminder or a move also asks "yes, no or maybe": Reply-To is the
 * member's RSVP address, and the invite is the member's own, with that address as organiser
 * (where calendars send Accept/Decline) and RSVP=TRUE.
 */
export const sessionEmailComposer = (
  settings: Settings,
  notice: SessionNotice,
  session: Session,
  groupName: string,
  ask?: RsvpAskFor,
): SessionEmailFor => {
  const method = notice === "cancelled" ? "CANCEL" : "REQUEST";
  let shared: { startsAtLocal: string; icsFor: SessionIcsForAttendee } | undefined;
  const sharedParts = () =>
    (shared ??= {
      startsAtLocal: formatLocal(sessionStartInstant(session.startLocal, session.timeZone), session.timeZone),
      icsFor: sessionIcsRenderer(session, groupName, settings.fromAddress, method),
    });
  return async (member) => {
    const link = await linkFor(settings, session, member, "email");
    const { startsAtLocal, icsFor } = sharedParts();
    // A cancellation keeps the organiser of the invite it withdraws, or calendars ignore it.
    const asked = ask ? await ask(member) : undefined;
    const input = {
      session,
      groupName,
      memberFirstName: firstNameOf(member),
      startsAtLocal,
      unsubscribeUrl: link,
      ...(asked && notice !== "cancelled" ? { rsvpLinks: asked.links } : {}),
    };
    const rendered =
      notice === "cancelled"
        ? renderSessionCancelledEmail(input)
        : notice === "moved"
          ? renderSessionMovedEmail({ ...input, duties: dutiesOf(session, member.id) })
          : renderSessionReminderEmail({ ...input, duties: dutiesOf(session, member.id) });
    return {
      ...toMember(member, session.groupId),
      from: settings.fromAddress,
      ...(asked ? { replyTo: asked.replyTo } : {}),
      ...rendered,
      headers: { "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      calendar: {
        method,
        ics: asked
          ? renderSessionIcs({
              session,
              groupName,
              organiserEmail: asked.replyTo,
              attendeeEmail: member.email,
              method,
              rsvp: notice !== "cancelled",
            })
          : icsFor(member.email),
      },
    };
  };
};

/** One member's email about a session; for many members, make a sessionEmailComposer once. */
export const sessionEmail = (
  settings: Settings,
  notice: SessionNotice,
  session: Session,
  groupName: string,
  member: Member,
): Promise<OutgoingEmail> => sessionEmailComposer(settings, notice, session, groupName)(member);

/**
 * Composes one member's SMS about one session version; the text, the same for all, is written
 * once. `subject`: what it names (sessionSmsSubject) when the organisation names groups in
 * texts; absent, the neutral wording.
 */
export const sessionSmsComposer = (
  notice: SessionNotice,
  session: Session,
  subject?: string,
  asksRsvp?: boolean,
): ((member: Member) => OutgoingSms) => {
  let body: string | undefined;
  const bodyText = () => {
    const startsAtLocal = formatLocalShort(
      sessionStartInstant(session.startLocal, session.timeZone),
      session.timeZone,
    );
    return renderSessionReminderSms({ session, startsAtLocal, notice, subject, asksRsvp });
  };
  return (member) => ({
    to: member.phone!,
    body: (body ??= bodyText()),
    recipient: { organisationId: member.organisationId, groupId: session.groupId, memberId: member.id },
  });
};

export const sessionSms = (
  notice: SessionNotice,
  session: Session,
  member: Member,
  subject?: string,
): OutgoingSms => sessionSmsComposer(notice, session, subject)(member);
