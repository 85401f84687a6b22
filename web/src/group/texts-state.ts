import type { Member } from "../api/resources.ts";
import { formatDate } from "../ui/format.ts";

const failures = { "invalid-number": "invalid number", blocked: "blocked" } as const;

/**
 * What the members tab says of a member's texts: whether they may be sent (and since when, how
 * consent was given or withdrawn), and whether the number failed for good. Dates on the group's clock.
 */
export const textsState = (
  member: Pick<Member, "phone" | "smsConsent" | "phoneUndeliverable">,
  timeZone: string,
): { consent?: string; failure?: string } => {
  const { smsConsent, phoneUndeliverable } = member;
  const on = (iso: string) => formatDate(iso, timeZone);
  const consent = !smsConsent
    ? member.phone
      ? "No consent to texts"
      : undefined
    : smsConsent.state === "given"
      ? `Texts on (since ${on(smsConsent.at)}, ${smsConsent.how})`
      : smsConsent.how === "keyword"
        ? `Texts stopped by STOP on ${on(smsConsent.at)}`
        : `Texts stopped (${smsConsent.how}) on ${on(smsConsent.at)}`;
  return {
    ...(consent ? { consent } : {}),
    ...(phoneUndeliverable
      ? {
          failure: `Number failed (${failures[phoneUndeliverable.reason]}) on ${on(phoneUndeliverable.since)}`,
        }
      : {}),
  };
};
