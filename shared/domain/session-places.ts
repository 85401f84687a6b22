/**
 * Places at a session with a capacity: who has one, who waits, and who is offered one that
 * freed. Pure: the RSVPs in, the decision out; the store applies it under conditions, so a
 * redelivered event never promotes twice.
 *
 * The rules (issue 16): beyond the capacity (less the places reserved), a "yes" waits in strict
 * arrival order, never shown to members; when a place frees, the first waiting is offered it
 * and holds the offer for a while, then it passes on. Nobody jumps the queue.
 */

/** Where a member who said yes stands. */
export type PlaceStatus = "going" | "waiting" | "offered";

export interface PlaceHolder {
  memberId: string;
  status: PlaceStatus;
  /** When the member's current "yes" arrived: the waiting list's order. */
  since: string;
  /** An offer's end (ISO), while offered. */
  offerEndsAt?: string;
}

export interface Capacity {
  /** Places in the room; absent: no limit. */
  capacity?: number;
  /** Places kept back (for newcomers, a facilitator's guest): not given by RSVP. */
  reserved: number;
}

/** How long an offered place is held: 12 hours, but never past 2 hours before the start. */
export const offerHoldMs = 12 * 3_600_000;
export const offerCutoffMs = 2 * 3_600_000;

/** Places RSVPs may fill; Infinity without a capacity. */
export const placesToGive = ({ capacity, reserved }: Capacity): number =>
  capacity === undefined ? Number.POSITIVE_INFINITY : Math.max(0, capacity - reserved);

const byArrival = (a: PlaceHolder, b: PlaceHolder) =>
  a.since.localeCompare(b.since) || a.memberId.localeCompare(b.memberId);

/** Offers still open at `now`: an offer that ended holds no place. */
const holding = (holder: PlaceHolder, now: Date) =>
  holder.status === "going" ||
  (holder.status === "offered" && Date.parse(holder.offerEndsAt ?? "") > now.getTime());

/** A new "yes": a place if one is free (none is held by a waiting member's offer), else the waiting list. */
export const placeForYes = (capacity: Capacity, holders: readonly PlaceHolder[], now: Date): PlaceStatus => {
  const taken = holders.filter((h) => holding(h, now)).length;
  const waiting = holders.some((h) => h.status === "waiting");
  // Nobody jumps the queue: with anyone waiting, a free place is theirs to be offered first.
  return taken < placesToGive(capacity) && !waiting ? "going" : "waiting";
};

/**
 * The end of an offer made at `now`: 12 hours on, or 2 hours before the start if sooner. Within
 * 2 hours of the start there is no time to pass it on, so it holds until the start.
 */
export const offerEndsAt = (now: Date, startsAt: Date): Date => {
  const end = Math.min(now.getTime() + offerHoldMs, startsAt.getTime() - offerCutoffMs);
  return end > now.getTime() ? new Date(end) : startsAt;
};

export interface PlaceDecision {
  /** Offers that ended unanswered: the member leaves the list (their yes lapses). */
  lapsed: string[];
  /** The waiting members offered a place now, in arrival order. */
  offer: string[];
}

/**
 * What to do when places may have freed (a "no", a lapsed offer, a raised capacity): lapsed
 * offers end, and the first waiting members are offered the free places. Nothing to do once
 * the session has started.
 */
export const decidePlaces = (
  capacity: Capacity,
  holders: readonly PlaceHolder[],
  now: Date,
  startsAt: Date,
): PlaceDecision => {
  const lapsed = holders
    .filter((h) => h.status === "offered" && !holding(h, now))
    .map((h) => h.memberId)
    .sort();
  if (now >= startsAt) return { lapsed, offer: [] };
  const taken = holders.filter((h) => holding(h, now)).length;
  const free = placesToGive(capacity) - taken;
  const waiting = holders.filter((h) => h.status === "waiting").sort(byArrival);
  return { lapsed, offer: waiting.slice(0, Math.max(0, free)).map((h) => h.memberId) };
};

/** A capacity may not drop below the places already given (going, or offered and still open). */
export const capacityProblem = (capacity: Capacity, holders: readonly PlaceHolder[], now: Date) => {
  const given = holders.filter((h) => holding(h, now)).length;
  return placesToGive(capacity) < given
    ? `${given} places are given already; the capacity less the reserved places cannot be lower`
    : undefined;
};
