import * as z from "#validation/zod-mini.ts";
import { eventEnvelope, nonEmpty } from "./envelope.ts";

// RSVP events carry ids and counts only: who said what is never shown to other members, so
// no name, address or waiting-list position travels on the bus, its archive or a dead letter.

const count = () => z.int().check(z.minimum(0));

/** A session's counts after the change: what a facilitator may see without names. */
const counts = z.strictObject({ yes: count(), maybe: count(), no: count(), waiting: count() });

/** A member's answer was recorded (first, or replacing an earlier one), and where it left them. */
export const RsvpRecorded = eventEnvelope(
  "RsvpRecorded",
  z.strictObject({
    sessionId: nonEmpty(),
    memberId: nonEmpty(),
    answer: z.enum(["yes", "no", "maybe"]),
    source: z.enum(["reply", "calendar", "link", "sms"]),
    /** For a yes: a place, the waiting list, or a place offered earlier and now taken. */
    place: z.optional(z.enum(["going", "waiting"])),
    answeredAt: z.iso.datetime(),
    counts,
  }),
);

/** A place freed and the first waiting member is offered it until `offerEndsAt`. */
export const PlaceOffered = eventEnvelope(
  "PlaceOffered",
  z.strictObject({ sessionId: nonEmpty(), memberId: nonEmpty(), offerEndsAt: z.iso.datetime() }),
);

/** A member offered a place accepted it: off the waiting list, going. */
export const WaitlistPromoted = eventEnvelope(
  "WaitlistPromoted",
  z.strictObject({ sessionId: nonEmpty(), memberId: nonEmpty() }),
);

/** Scheduled at an offer's end: if still unanswered, it lapses and passes on. */
export const OfferLapsed = eventEnvelope(
  "OfferLapsed",
  z.strictObject({ sessionId: nonEmpty(), memberId: nonEmpty(), offerEndsAt: z.iso.datetime() }),
);

/** Scheduled a day before a session (its version): the facilitator is told who is expected. */
export const RsvpSummaryDue = eventEnvelope(
  "RsvpSummaryDue",
  z.strictObject({ sessionId: nonEmpty(), sessionVersion: z.int().check(z.minimum(1)) }),
);
