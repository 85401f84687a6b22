import type { Channel, Member } from "#domain/member.ts";
import type { Session } from "#domain/session.ts";
import {
  sessionEmailComposer,
  sessionSmsComposer,
  type RsvpAskFor,
  type SessionNotice,
} from "#messages/sessions/session-notice.ts";
import { sessionSmsSubject } from "#messages/sessions/session-sms.ts";
import type { Ports } from "#ports/ports.ts";
import { askBySms } from "./ask-by-sms.ts";
import type { OutgoingSms } from "#ports/sms-sender.ts";

/**
 * Renders one member's message about a session on one channel and returns the send alone, so
 * a handler can claim the delivery key (deliverOnce) only once the message is ready: the claim
 * then waits for the send, not for the rendering.
 */
export const sessionMessageSender = (
  ports: Pick<Ports, "settings" | "mailer" | "sms" | "store" | "clock">,
  notice: SessionNotice,
  session: Session,
  groupName: string,
  ask?: RsvpAskFor,
) => {
  const emailFor = sessionEmailComposer(ports.settings, notice, session, groupName, ask);
  // Texts name the group and title only where the organisation chose so; read once, if texted.
  let smsFor: Promise<(member: Member) => OutgoingSms> | undefined;
  const smsComposer = async () => {
    const organisation = await ports.store.getOrganisation(session.organisationId);
    const subject = organisation?.textsNameGroups ? sessionSmsSubject(groupName, session.title) : undefined;
    return sessionSmsComposer(notice, session, subject, asksRsvp);
  };
  // A reminder of a session that asks who is coming asks by text too; the text is kept as the question.
  const asksRsvp = notice === "reminder" && ask !== undefined;
  return async (member: Member, channel: Channel): Promise<() => Promise<unknown>> => {
    if (channel === "email") {
      const email = await emailFor(member);
      return () => ports.mailer.send(email);
    }
    const sms = (await (smsFor ??= smsComposer()))(member);
    if (!asksRsvp) return () => ports.sms.send(sms);
    const about = { kind: "rsvp", groupId: session.groupId, sessionId: session.id } as const;
    return () => askBySms(ports, member, sms, about);
  };
};
