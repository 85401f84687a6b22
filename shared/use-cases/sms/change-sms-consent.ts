import type { ConsentMethod, ConsentRecord, ConsentState } from "#domain/consent.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { Ports } from "#ports/ports.ts";

/** A change of a member's SMS consent: to what, by which means, on which wording. */
export interface SmsConsentChange {
  state: ConsentState;
  how: ConsentMethod;
  wordingVersion: string;
  /** The inbound text that asked for it (a keyword), so a redelivered text acts once. */
  inboundMessageId?: string;
}

/**
 * Records the member's SMS consent as given or withdrawn: one write with its record and a
 * MemberSmsOptedIn or MemberSmsOptedOut event per group. "unchanged" when it already stands so.
 */
export const changeSmsConsent = async (
  { store }: Pick<Ports, "store">,
  member: Pick<Member, "organisationId" | "id">,
  { state, how, wordingVersion, inboundMessageId }: SmsConsentChange,
  now: Date,
) => {
  const { organisationId, id: memberId } = member;
  const at = now.toISOString();
  const record: ConsentRecord = { organisationId, memberId, channel: "sms", state, at, how, wordingVersion };
  const groupIds = await store.listMemberGroupIds(organisationId, memberId);
  const events: ConveneEvent[] = groupIds.map((groupId) =>
    state === "withdrawn"
      ? newEvent("MemberSmsOptedOut", { organisationId, groupId }, { memberId, how, at }, now)
      : newEvent("MemberSmsOptedIn", { organisationId, groupId }, { memberId, how, wordingVersion, at }, now),
  );
  return store.recordSmsConsent(record, events, inboundMessageId);
};
