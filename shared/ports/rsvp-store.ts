import type { ConveneEvent } from "#events/catalogue.ts";
import type { Rsvp, RsvpRef, RsvpSettings, SessionPlaces } from "#domain/rsvp.ts";
import type { RsvpPrivacy } from "#domain/rsvp-privacy.ts";
import type { NamedAttendance } from "#domain/named-attendance.ts";
import type { Session } from "#domain/session.ts";

/** What became of a write of a session's places. */
export type PlacesWriteOutcome =
  /** Written, with the answer and the events. */
  | "written"
  /** Another answer changed the places first: read them again and decide afresh. */
  | "stale"
  /** The member's stored answer was made later than this one: nothing changes. */
  | "superseded"
  /** This very message was taken before (same Message-ID): nothing changes. */
  | "duplicate-message"
  /** The session is cancelled or gone. */
  | "session-not-scheduled";

/** A change of a session's places: the new places, and the answer that caused it, if any. */
export interface PlacesChange {
  /** The places to store; `version` one above the places read (1: none were stored). */
  places: SessionPlaces;
  rsvp?: Rsvp;
  /** The inbound message the answer came in, taken once. */
  messageKey?: string;
  now: Date;
  events: readonly ConveneEvent[];
}

/** Sessions' RSVPs and places, in the single table. */
export interface RsvpStore {
  getPlaces(organisationId: string, sessionId: string): Promise<SessionPlaces | undefined>;
  getRsvp(organisationId: string, sessionId: string, memberId: string): Promise<Rsvp | undefined>;
  /** Every member's latest answer (for those allowed to see names). */
  listRsvps(organisationId: string, sessionId: string): Promise<Rsvp[]>;
  /**
   * One transaction: the session is still scheduled; the places are still the version read;
   * the message was not taken before; the answer is newer than the member's stored one; and
   * the events go out with it.
   */
  changePlaces(change: PlacesChange): Promise<PlacesWriteOutcome>;
  /**
   * The member's RSVP token for a session: created once (a newBallotToken), then the same on
   * every call, so a redelivered reminder or offer carries the same address and links.
   */
  rsvpToken(ref: RsvpRef, candidate: string): Promise<string>;
  resolveRsvpToken(token: string): Promise<RsvpRef | undefined>;
  /** A series' settings, which its sessions without places of their own take. */
  getSeriesSettings(organisationId: string, seriesId: string): Promise<RsvpSettings | undefined>;
  /** Sets a series' settings; the group must exist (false when it does not). */
  setSeriesSettings(
    organisationId: string,
    groupId: string,
    seriesId: string,
    settings: RsvpSettings,
  ): Promise<boolean>;
  /** Undefined when the group never chose (defaultRsvpPrivacy applies). */
  getPrivacy(organisationId: string, groupId: string): Promise<RsvpPrivacy | undefined>;
  /** Writes the group's privacy; false when the group is gone. */
  putPrivacy(privacy: RsvpPrivacy): Promise<boolean>;
  /**
   * Records a member's own choice to show their name to the group's organisers (`optedInAt`), or
   * withdraws it (undefined); opting in is false when they are not a member of the group, and a
   * withdrawal always succeeds (a member who left has theirs removed).
   */
  setNameOptIn(
    organisationId: string,
    groupId: string,
    memberId: string,
    optedInAt?: string,
  ): Promise<boolean>;
  /** The members of the group who chose to show their names. */
  listNameOptIns(organisationId: string, groupId: string): Promise<Set<string>>;
  /** Who came to a session, while the names are kept (undefined once they have faded at `now`). */
  getNamedAttendance(
    organisationId: string,
    groupId: string,
    sessionId: string,
    now: Date,
  ): Promise<NamedAttendance | undefined>;
  /**
   * One transaction: the session's next version (its headcount the number of names) while the
   * stored one is still `expectedVersion` (a conflict otherwise), the names, and the event.
   */
  recordNamedAttendance(
    session: Session,
    expectedVersion: number,
    names: NamedAttendance,
    event: ConveneEvent,
  ): Promise<void>;
}
