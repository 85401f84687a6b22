import { newEvent } from "#domain/new-event.ts";
import { countsOf, type RsvpAnswer, type RsvpSource } from "#domain/rsvp.ts";
import { answerPlaces, isRepeatedAnswer } from "#domain/rsvp-places.ts";
import type { Metrics } from "#ports/metrics.ts";
import { changePlaces, closedReason, offerEvents, type PlacesPorts } from "./change-places.ts";

/** A member's answer, however it came: a reply, the calendar, a signed link, an SMS. */
export interface GivenRsvp {
  organisationId: string;
  groupId: string;
  sessionId: string;
  memberId: string;
  answer: RsvpAnswer;
  source: RsvpSource;
  /** When the member made it (a reply's Date, the moment a link was posted): the last one wins. */
  answeredAt: Date;
  /** The inbound message (reply, calendar REPLY, SMS) it came in: one message acts once. */
  messageKey?: string;
  correlationId?: string;
}

export type RsvpOutcome =
  | { kind: "recorded"; place?: "going" | "waiting"; promoted: boolean }
  /** The member's stored answer was made later: this one changes nothing. */
  | { kind: "superseded" }
  /** The member's answer already, standing as given (isRepeatedAnswer): not confirmed again. */
  | { kind: "unchanged" }
  | { kind: "duplicate-message" }
  /** The session does not ask for answers. */
  | { kind: "not-asked" }
  | { kind: "not-a-member" }
  | { kind: "no-session" | "session-cancelled" | "session-past" };

/**
 * Records a member's answer for a session: the last one made wins, a "yes" takes a place or
 * waits in arrival order, a "no" or "maybe" frees a place for the first waiting. Written with
 * RsvpRecorded (and PlaceOffered, WaitlistPromoted) in one transaction under the version of
 * the places read, so concurrent answers for the last place give it to exactly one. Counted in
 * `metrics` (RsvpAnswers) once written, by callers whose function has the port: the reply
 * function has; the api function (signed links) has none, its bundle being at its budget.
 */
export const recordRsvp = async (
  deps: PlacesPorts,
  given: GivenRsvp,
  metrics?: Metrics,
): Promise<RsvpOutcome> => {
  const { organisationId, groupId, sessionId, memberId, answer } = given;
  const session = await deps.store.getSession(organisationId, groupId, sessionId);
  const closed = closedReason(session, deps.clock.now());
  if (closed || !session) return { kind: closed ?? "no-session" };
  if (!(await deps.store.isGroupMember(organisationId, groupId, memberId))) return { kind: "not-a-member" };
  const answeredAt = given.answeredAt.toISOString();
  const outcome = await changePlaces<RsvpOutcome>(deps, session, async (now, { startsAt, places }) => {
    if (!places.settings.asked) return { done: { kind: "not-asked" } };
    if (now >= startsAt) return { done: { kind: "session-past" } };
    // Read after the places: an answer written since is seen here or makes the write stale.
    const previous = await deps.rsvps.getRsvp(organisationId, sessionId, memberId);
    if (previous && previous.answeredAt > answeredAt) return { done: { kind: "superseded" } };
    const after = answerPlaces(places, memberId, previous?.answer, answer, now, startsAt);
    const scope = { organisationId, groupId, correlationId: given.correlationId };
    const recorded = newEvent(
      "RsvpRecorded",
      scope,
      {
        sessionId,
        memberId,
        answer,
        source: given.source,
        ...(after.place ? { place: after.place } : {}),
        answeredAt,
        counts: countsOf(after.places),
      },
      now,
    );
    const promoted = after.promoted
      ? [newEvent("WaitlistPromoted", scope, { sessionId, memberId }, now)]
      : [];
    // The same answer again is written (its message taken, so a redelivery is a duplicate) but
    // neither announced nor confirmed a second time.
    const repeated = isRepeatedAnswer(places, memberId, previous?.answer, answer);
    return {
      write: {
        places: after.places,
        rsvp: { organisationId, groupId, sessionId, memberId, answer, answeredAt, source: given.source },
        messageKey: given.messageKey,
        now,
        events: [
          ...(repeated ? [] : [recorded, ...promoted]),
          ...offerEvents(scope, sessionId, after.offers, now),
        ],
      },
      then: repeated
        ? { kind: "unchanged" }
        : { kind: "recorded", place: after.place, promoted: after.promoted },
    };
  });
  if (typeof outcome !== "string") {
    if (outcome.kind === "recorded") metrics?.count("RsvpAnswers", { answer, source: given.source });
    return outcome;
  }
  return { kind: outcome === "session-not-scheduled" ? "session-cancelled" : outcome };
};
