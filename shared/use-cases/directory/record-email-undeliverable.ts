import type { UndeliverableReason } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import type { Recipient } from "#domain/recipient.ts";
import type { Ports } from "#ports/ports.ts";

/** SES's word that mail to a member cannot arrive: whom it was for, why, and when. */
export interface DeliveryProblem {
  recipient: Recipient;
  reason: UndeliverableReason;
  /** ISO UTC instant of the bounce or complaint. */
  at: string;
}

/**
 * Marks the member's email undeliverable, with MemberEmailUndeliverable (in one transaction),
 * so nothing more is emailed to them and the overview counts them unreachable when they have
 * no other channel. Once per member: a redelivered report, or a second bounce, changes nothing.
 */
export const recordEmailUndeliverable = async (
  { store, clock }: Pick<Ports, "store" | "clock">,
  { recipient, reason, at }: DeliveryProblem,
): Promise<"marked" | "already" | "no-member"> => {
  const { organisationId, groupId, memberId } = recipient;
  const since = new Date(at).toISOString();
  return store.markEmailUndeliverable(
    organisationId,
    memberId,
    { reason, since },
    newEvent(
      "MemberEmailUndeliverable",
      { organisationId, groupId },
      { memberId, reason, since },
      clock.now(),
    ),
  );
};
