import { newEvent } from "#domain/new-event.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import { noPlaces, type SessionPlaces } from "#domain/rsvp.ts";
import type { Session } from "#domain/session.ts";
import type { Offer } from "#domain/rsvp-places.ts";
import type { Ports } from "#ports/ports.ts";
import type { PlacesChange, PlacesWriteOutcome } from "#ports/rsvp-store.ts";

export type PlacesPorts = Pick<Ports, "store" | "rsvps" | "clock">;

/** Tries before giving up when other answers keep changing the places first. */
const attempts = 20;

export interface SessionInPlay {
  session: Session;
  startsAt: Date;
  places: SessionPlaces;
}

/** Why a session takes no answer, or undefined when it is open for answers. */
export const closedReason = (session: Session | undefined, now: Date) => {
  if (!session) return "no-session" as const;
  if (session.status === "cancelled") return "session-cancelled" as const;
  if (sessionStartInstant(session.startLocal, session.timeZone) <= now) return "session-past" as const;
  return undefined;
};

/** A change to write and what it then means, or a final outcome without writing. */
type Decision<R> = { write: PlacesChange; then: R } | { done: R };

/**
 * A session's places as stored; else, for a series' occurrence, empty places with its series'
 * settings (the session inherits them until a change gives it places of its own); else none asked.
 */
export const placesOf = async (deps: Pick<Ports, "rsvps">, session: Session): Promise<SessionPlaces> => {
  const { organisationId, groupId, id: sessionId } = session;
  const stored = await deps.rsvps.getPlaces(organisationId, sessionId);
  if (stored) return stored;
  const empty = noPlaces({ organisationId, groupId, sessionId });
  const inherited =
    session.series && (await deps.rsvps.getSeriesSettings(organisationId, session.series.seriesId));
  return inherited ? { ...empty, settings: inherited } : empty;
};

/**
 * Reads a session's places, decides a change on them and writes it under the version read,
 * deciding afresh when another change won the race: concurrent answers are applied one by one.
 * `decide` answers the write to make, or a final outcome of its own.
 */
export const changePlaces = async <R>(
  deps: PlacesPorts,
  session: Session,
  decide: (now: Date, state: SessionInPlay) => Decision<R> | Promise<Decision<R>>,
): Promise<R | Exclude<PlacesWriteOutcome, "written" | "stale">> => {
  const startsAt = sessionStartInstant(session.startLocal, session.timeZone);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const places = await placesOf(deps, session);
    const decided = await decide(deps.clock.now(), { session, startsAt, places });
    if ("done" in decided) return decided.done;
    const outcome = await deps.rsvps.changePlaces(decided.write);
    if (outcome === "written") return decided.then;
    if (outcome !== "stale") return outcome;
  }
  throw new Error("a session's places kept changing under this change; it was not written");
};

/** PlaceOffered for each offer of a change (its handler mails the member and schedules the lapse). */
export const offerEvents = (
  scope: { organisationId: string; groupId: string; correlationId?: string },
  sessionId: string,
  offers: readonly Offer[],
  now: Date,
) => offers.map((offer) => newEvent("PlaceOffered", scope, { sessionId, ...offer }, now));
