import type { Channel, Member } from "./member.ts";
import { smsArrives } from "./sms-failure.ts";

export type ConsentState = "given" | "withdrawn";
export const consentStates = ["given", "withdrawn"] as const;

/** How consent was given or withdrawn: a form the member filled in, an import, a text, an admin. */
export type ConsentMethod = "form" | "import" | "keyword" | "admin";
export const consentMethods = ["form", "import", "keyword", "admin"] as const;

/** Where a member stands on one channel now: the latest of their consent records. */
export interface Consent {
  state: ConsentState;
  /** ISO UTC instant it was given or withdrawn. */
  at: string;
  how: ConsentMethod;
  /** The version of the wording the member was shown (e.g. the form's text), for registration. */
  wordingVersion: string;
}

/** One change of a member's consent on a channel; kept for good, in order (append-only). */
export interface ConsentRecord extends Consent {
  organisationId: string;
  memberId: string;
  channel: Channel;
}

/**
 * The wording version of consent that predates consent records: members who chose SMS before
 * them gave it by the form that set their reminders, whose wording was not versioned.
 */
export const unversionedWording = "v0";

/**
 * A member's SMS consent. Without a record, a member with a phone number who chose SMS
 * reminders gave it on the form before records were kept: given, "form", "v0", when the member
 * was created. Without a record or such a choice, there is none.
 */
export function smsConsentOf(
  member: Pick<Member, "phone" | "reminders" | "createdAt" | "smsConsent">,
): Consent | undefined {
  if (member.smsConsent) return member.smsConsent;
  if (!member.phone || !member.reminders.some((r) => r.channel === "sms")) return undefined;
  return { state: "given", at: member.createdAt, how: "form", wordingVersion: unversionedWording };
}

/**
 * A number without consent gets no SMS: the member must have a phone and SMS consent given.
 * Nor does a number whose texts failed for good (smsArrives).
 */
export const takesSms = (
  member: Pick<
    Member,
    "phone" | "reminders" | "createdAt" | "smsConsent" | "unsubscribed" | "phoneUndeliverable"
  >,
): boolean =>
  Boolean(member.phone) &&
  !member.unsubscribed.includes("sms") &&
  smsArrives(member) &&
  smsConsentOf(member)?.state === "given";
