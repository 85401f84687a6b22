import { smsConsentOf } from "#domain/consent.ts";
import type { Member } from "#domain/member.ts";
import { smsArrives } from "#domain/sms-failure.ts";

/**
 * A member as the API shows them: their SMS consent as it stands (for members from before
 * consent records, the consent their choice of SMS gave), and a failed number only while it is
 * still theirs, without the number itself (it is the member's phone, shown once).
 */
export const memberView = ({ phoneUndeliverable, smsConsent: _, ...member }: Member) => {
  const smsConsent = smsConsentOf({ ...member, smsConsent: _ });
  return {
    ...member,
    ...(smsConsent ? { smsConsent } : {}),
    ...(phoneUndeliverable && !smsArrives({ phone: member.phone, phoneUndeliverable })
      ? { phoneUndeliverable: { reason: phoneUndeliverable.reason, since: phoneUndeliverable.since } }
      : {}),
  };
};
