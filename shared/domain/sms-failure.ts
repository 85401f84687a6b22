import type { Member } from "./member.ts";

/**
 * The final SMS delivery events (End User Messaging's event types) that say the number itself
 * cannot take texts: it is not a valid number (TEXT_INVALID), or the recipient's device or
 * carrier blocks texts to it (TEXT_BLOCKED). Not here, as they say nothing lasting about the
 * number: TEXT_UNREACHABLE (the phone was off or out of coverage), TEXT_CARRIER_UNREACHABLE,
 * TEXT_TTL_EXPIRED and TEXT_UNKNOWN (passing or unknown), TEXT_CARRIER_BLOCKED and TEXT_SPAM
 * (the carrier judged the message's content), TEXT_INVALID_MESSAGE and TEXT_PROTECT_BLOCKED
 * (our message or our protect configuration).
 */
export const permanentSmsFailures = ["TEXT_INVALID", "TEXT_BLOCKED"] as const;
export type PermanentSmsFailure = (typeof permanentSmsFailures)[number];

export const isPermanentSmsFailure = (eventType: string): eventType is PermanentSmsFailure =>
  (permanentSmsFailures as readonly string[]).includes(eventType);

/** Why texts to a number cannot arrive, in Convene's words. */
export type PhoneUndeliverableReason = "invalid-number" | "blocked";
export const phoneUndeliverableReasons = ["invalid-number", "blocked"] as const;

export const phoneUndeliverableReasonOf: Record<PermanentSmsFailure, PhoneUndeliverableReason> = {
  TEXT_INVALID: "invalid-number",
  TEXT_BLOCKED: "blocked",
};

export interface PhoneUndeliverable {
  reason: PhoneUndeliverableReason;
  /** ISO UTC instant the failure was reported. */
  since: string;
  /** The number (E.164) that failed: personal data, never logged or put on an event. */
  phone: string;
}

/**
 * Whether a text to the member's number can arrive: none to it has failed for good. A failure
 * of an earlier number does not count once the member's number changed.
 */
export const smsArrives = (member: Pick<Member, "phone" | "phoneUndeliverable">): boolean =>
  member.phoneUndeliverable === undefined || member.phoneUndeliverable.phone !== member.phone;
