import { newBallotToken } from "#domain/ballot-token.ts";
import { formatLocal, sessionStartInstant } from "#domain/local-time.ts";
import { emailArrives, type Member } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import { rsvpAnswers, type RsvpRef } from "#domain/rsvp.ts";
import { rsvpReplyAddress } from "#domain/rsvp-reply-address.ts";
import type { Session } from "#domain/session.ts";
import { rsvpLinkUrl, signRsvpLink } from "#links/rsvp-link.ts";
import { firstNameOf, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import type { RsvpEmailInput, RsvpLinks } from "#messages/rsvp/rsvp-email-parts.ts";
import type { RsvpAskFor } from "#messages/sessions/session-notice.ts";
import type { Ports } from "#ports/ports.ts";
import { placesOf } from "#use-cases/rsvp/change-places.ts";
import { deliverOnce } from "./deliver-once.ts";

export type RsvpMailPorts = Pick<Ports, "store" | "rsvps" | "mailer" | "clock" | "settings">;

/**
 * The member's reply address and three signed answer links for a session: one token per
 * member and session (created once, the same on redelivery), so any of them answers for them.
 */
export const rsvpAsk = async (deps: Pick<Ports, "rsvps" | "settings">, ref: RsvpRef) => {
  const token = await deps.rsvps.rsvpToken(ref, newBallotToken());
  const entries = await Promise.all(
    rsvpAnswers.map(async (answer) => {
      const signed = await signRsvpLink({ rsvpToken: token, answer }, deps.settings.linkSigningSecret);
      return [answer, rsvpLinkUrl(deps.settings.publicBaseUrl, signed)] as const;
    }),
  );
  return {
    replyTo: rsvpReplyAddress(token, deps.settings.replyDomain),
    links: Object.fromEntries(entries) as RsvpLinks,
  };
};

/** The asking of a session's reminders and notices, when it asks who is coming; else undefined. */
export const rsvpAskerFor = async (
  deps: Pick<Ports, "rsvps" | "settings">,
  session: Session,
): Promise<RsvpAskFor | undefined> => {
  if (!(await placesOf(deps, session)).settings.asked) return undefined;
  const ref = { organisationId: session.organisationId, groupId: session.groupId, sessionId: session.id };
  return (member) => rsvpAsk(deps, { ...ref, memberId: member.id });
};

/**
 * Sends one RSVP email (a confirmation, an offer, an explanation) to one member at most once
 * per `deliveryKey`, its Reply-To the member's RSVP address for the session.
 */
export const sendRsvpEmail = async (
  deps: RsvpMailPorts,
  session: Session,
  member: Member,
  groupName: string,
  deliveryKey: string,
  render: (input: RsvpEmailInput, links: RsvpLinks) => RenderedEmail,
): Promise<void> => {
  // Mail to an address that bounced or complained cannot arrive: none is sent.
  if (!emailArrives(member)) return;
  const ref = {
    organisationId: session.organisationId,
    groupId: session.groupId,
    sessionId: session.id,
    memberId: member.id,
  };
  const { replyTo, links } = await rsvpAsk(deps, ref);
  const input: RsvpEmailInput = {
    groupName,
    firstName: firstNameOf(member),
    sessionTitle: session.title,
    startsAtLocal: formatLocal(sessionStartInstant(session.startLocal, session.timeZone), session.timeZone),
  };
  const email = render(input, links);
  await deliverOnce(deps.store, session.organisationId, deliveryKey, deps.clock.now(), () =>
    deps.mailer.send({
      ...toMember(member, session.groupId),
      from: deps.settings.fromAddress,
      replyTo,
      ...email,
    }),
  );
};
