import type { Channel, Member } from "#domain/member.ts";
import type { Session } from "#domain/session.ts";
import {
  sessionEmailComposer,
  sessionSmsComposer,
  type RsvpAskFor,
  type SessionNotice,
} from "#messages/sessions/session-notice.ts";
import type { Ports } from "#ports/ports.ts";

/**
 * Renders one member's message about a session on one channel and returns the send alone, so
 * a handler can claim the delivery key (deliverOnce) only once the message is ready: the claim
 * then waits for the send, not for the rendering.
 */
export const sessionMessageSender = (
  ports: Pick<Ports, "settings" | "mailer" | "sms">,
  notice: SessionNotice,
  session: Session,
  groupName: string,
  ask?: RsvpAskFor,
) => {
  const emailFor = sessionEmailComposer(ports.settings, notice, session, groupName, ask);
  const smsFor = sessionSmsComposer(notice, session);
  return async (member: Member, channel: Channel): Promise<() => Promise<unknown>> => {
    if (channel === "email") {
      const email = await emailFor(member);
      return () => ports.mailer.send(email);
    }
    const sms = smsFor(member);
    return () => ports.sms.send(sms);
  };
};
