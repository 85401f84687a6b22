import { DateTime } from "luxon";
import { formatLocal, sessionStartInstant } from "../domain/local-time.ts";
import type { Channel, Member } from "../domain/member.ts";
import type { DutyKind, Session } from "../domain/session.ts";
import { signUnsubscribeToken, unsubscribeUrl } from "../links/unsubscribe-link.ts";
import type { OutgoingEmail } from "../ports/mailer.ts";
import type { OutgoingSms } from "../ports/sms-sender.ts";
import type { Settings } from "../ports/ports.ts";
import { renderSessionIcs } from "./session-invite-ics.ts";
import {
  renderSessionCancelledEmail,
  renderSessionMovedEmail,
  renderSessionReminderEmail,
} from "./session-reminder-email.ts";
import { renderSessionReminderSms } from "./session-reminder-sms.ts";

// Puts the renderers together into whole messages for one member: links signed, the start
// written in the group's zone, the calendar part attached.

export type SessionNotice = "reminder" | "moved" | "cancelled";

const firstName = (member: Member) => member.name.trim().split(/\s+/)[0] ?? member.name;

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

export const sessionEmail = async (
  settings: Settings,
  notice: SessionNotice,
  session: Session,
  groupName: string,
  member: Member,
): Promise<OutgoingEmail> => {
  const link = await linkFor(settings, session, member, "email");
  const input = {
    session,
    groupName,
    memberFirstName: firstName(member),
    startsAtLocal: formatLocal(sessionStartInstant(session.startLocal, session.timeZone), session.timeZone),
    unsubscribeUrl: link,
  };
  const rendered =
    notice === "cancelled"
      ? renderSessionCancelledEmail(input)
      : notice === "moved"
        ? renderSessionMovedEmail({ ...input, duties: dutiesOf(session, member.id) })
        : renderSessionReminderEmail({ ...input, duties: dutiesOf(session, member.id) });
  const method = notice === "cancelled" ? "CANCEL" : "REQUEST";
  return {
    to: member.email,
    from: settings.fromAddress,
    ...rendered,
    headers: { "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    calendar: {
      method,
      ics: renderSessionIcs({
        session,
        groupName,
        organiserEmail: settings.fromAddress,
        attendeeEmail: member.email,
        method,
      }),
    },
  };
};

export const sessionSms = (notice: SessionNotice, session: Session, member: Member): OutgoingSms => {
  const start = DateTime.fromJSDate(sessionStartInstant(session.startLocal, session.timeZone), {
    zone: session.timeZone,
  });
  const startsAtLocal = start.setLocale("en-GB").toFormat("ccc d LLL HH:mm");
  return { to: member.phone!, body: renderSessionReminderSms({ session, startsAtLocal, notice }) };
};
