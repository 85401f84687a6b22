import { newEvent } from "#domain/new-event.ts";
import type { Recipient } from "#domain/recipient.ts";
import type { PhoneUndeliverableReason } from "#domain/sms-failure.ts";
import type { Ports } from "#ports/ports.ts";

/** End User Messaging's word that texts to a member's number cannot arrive. */
export interface SmsDeliveryProblem {
  recipient: Recipient;
  /** The number the text went to (E.164): personal data, never logged. */
  phone: string;
  reason: PhoneUndeliverableReason;
  /** ISO UTC instant of the failure. */
  at: string;
}

/**
 * Marks the member's number undeliverable, with MemberPhoneUndeliverable (in one transaction),
 * so nothing more is texted to it and the overview counts them unreachable when they have no
 * other channel. Once per number: a redelivered report, or a second failure, changes nothing;
 * a failure of a number the member has since replaced changes nothing either.
 */
export const recordPhoneUndeliverable = async (
  { store, clock }: Pick<Ports, "store" | "clock">,
  { recipient, phone, reason, at }: SmsDeliveryProblem,
): Promise<"marked" | "already" | "no-member" | "number-changed"> => {
  const { organisationId, groupId, memberId } = recipient;
  const since = new Date(at).toISOString();
  return store.markPhoneUndeliverable(
    organisationId,
    memberId,
    { reason, since, phone },
    newEvent(
      "MemberPhoneUndeliverable",
      { organisationId, groupId },
      { memberId, reason, since },
      clock.now(),
    ),
  );
};
