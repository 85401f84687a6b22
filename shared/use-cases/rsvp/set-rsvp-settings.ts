import type { RsvpSettings } from "#domain/rsvp.ts";
import { settlePlaces } from "#domain/rsvp-places.ts";
import { capacityProblem } from "#domain/session-places.ts";
import { changePlaces, closedReason, offerEvents, type PlacesPorts } from "./change-places.ts";

export type SettingsOutcome =
  /** Stored; a raised capacity offered `offeredTo` places to the first waiting. */
  | { kind: "set"; offeredTo: number }
  /** The capacity (less the reserved places) is below the places already given: `field` names what to change. */
  | { kind: "capacity-too-low"; field: "capacity"; detail: string }
  | { kind: "no-session" | "session-cancelled" | "session-past" };

/**
 * Whether a session asks for RSVPs, and its capacity. A capacity may not drop below the places
 * given already; a raised one offers the freed places to the first waiting, as a "no" would.
 */
export const setRsvpSettings = async (
  deps: PlacesPorts,
  ref: { organisationId: string; groupId: string; sessionId: string; correlationId?: string },
  settings: RsvpSettings,
): Promise<SettingsOutcome> => {
  const { organisationId, groupId, sessionId } = ref;
  const session = await deps.store.getSession(organisationId, groupId, sessionId);
  const closed = closedReason(session, deps.clock.now());
  if (closed || !session) return { kind: closed ?? "no-session" };
  const outcome = await changePlaces<SettingsOutcome>(deps, session, (now, { startsAt, places }) => {
    const problem = capacityProblem(settings, places.holders, now);
    if (problem) return { done: { kind: "capacity-too-low", field: "capacity", detail: problem } };
    const after = settlePlaces({ ...places, settings }, now, startsAt);
    return {
      write: {
        places: after.places,
        now,
        events: offerEvents(ref, sessionId, after.offers, now),
      },
      then: { kind: "set", offeredTo: after.offers.length },
    };
  });
  return typeof outcome === "string" ? { kind: "session-cancelled" } : outcome;
};
