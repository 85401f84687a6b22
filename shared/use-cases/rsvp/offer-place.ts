import type { EventOf } from "#events/catalogue.ts";
import { sendRsvpEmail, type RsvpMailPorts } from "#delivery/send-rsvp-email.ts";
import { formatLocal } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import { renderPlaceOffered } from "#messages/rsvp/place-offered-email.ts";
import type { Ports } from "#ports/ports.ts";

export type OfferOutcome = "offered" | "no-session" | "no-member";

/**
 * A place was offered (PlaceOffered): the offer's end is scheduled (a fixed name, so a
 * redelivered event schedules it once) and the member is emailed once, with "yes"/"no" by
 * reply or link. Whether the offer still stands when it ends is for passOnLapsedOffer.
 */
export const offerPlace = async (
  deps: RsvpMailPorts & Pick<Ports, "scheduler">,
  event: EventOf<"PlaceOffered">,
): Promise<OfferOutcome> => {
  const { organisationId, groupId } = event;
  const { sessionId, memberId, offerEndsAt } = event.data;
  const [session, member, group] = await Promise.all([
    deps.store.getSession(organisationId, groupId, sessionId),
    deps.store.getMember(organisationId, memberId),
    deps.store.getGroup(organisationId, groupId),
  ]);
  if (!session) return "no-session";
  await deps.scheduler.scheduleOnce({
    name: scheduleName("rsvp-offer", organisationId, sessionId, memberId, offerEndsAt),
    at: new Date(offerEndsAt),
    timeZone: session.timeZone,
    event: newEvent(
      "OfferLapsed",
      { organisationId, groupId, correlationId: event.correlationId },
      { sessionId, memberId, offerEndsAt },
      deps.clock.now(),
    ),
  });
  if (!member) return "no-member";
  const holdsUntilLocal = formatLocal(new Date(offerEndsAt), session.timeZone);
  await sendRsvpEmail(
    deps,
    session,
    member,
    group?.name ?? "your group",
    `rsvp-offer#${sessionId}#${memberId}#${offerEndsAt}`,
    (input, links) => renderPlaceOffered({ ...input, holdsUntilLocal, links }),
  );
  return "offered";
};
