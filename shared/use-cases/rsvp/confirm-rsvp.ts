import type { EventOf } from "#events/catalogue.ts";
import { sendRsvpEmail, type RsvpMailPorts } from "#delivery/send-rsvp-email.ts";
import { renderRsvpConfirmation } from "#messages/rsvp/rsvp-confirmation-email.ts";

export type ConfirmOutcome = "sent" | "no-session" | "no-member" | "answered-by-text";

/**
 * Confirms one recorded answer to the member, once per RsvpRecorded (its id keys the send):
 * what was understood, the waiting list if it came to that, and the links to change it. An
 * answer by text was confirmed by text (answerSms's reply), so it gets no email besides.
 */
export const confirmRsvp = async (
  deps: RsvpMailPorts,
  event: EventOf<"RsvpRecorded">,
): Promise<ConfirmOutcome> => {
  const { organisationId, groupId } = event;
  if (event.data.source === "sms") return "answered-by-text";
  const [session, member, group] = await Promise.all([
    deps.store.getSession(organisationId, groupId, event.data.sessionId),
    deps.store.getMember(organisationId, event.data.memberId),
    deps.store.getGroup(organisationId, groupId),
  ]);
  if (!session) return "no-session";
  if (!member) return "no-member";
  const { answer, place } = event.data;
  await sendRsvpEmail(
    deps,
    session,
    member,
    group?.name ?? "your group",
    // The member in the key too, as every send's key has: whose message a claim is, is readable.
    `rsvp-confirm#${event.data.memberId}#${event.id}`,
    (input, links) => renderRsvpConfirmation({ ...input, answer, ...(place ? { place } : {}), links }),
  );
  return "sent";
};
