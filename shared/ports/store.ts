import type { ConveneEvent } from "#events/catalogue.ts";
import type { ConsentRecord } from "#domain/consent.ts";
import type { Group } from "#domain/group.ts";
import type { Channel, EmailUndeliverable, Member, Membership } from "#domain/member.ts";
import type { PhoneUndeliverable } from "#domain/sms-failure.ts";
import type { SmsQuestion } from "#domain/sms-question.ts";
import type { Organisation } from "#domain/organisation.ts";
import type { Session } from "#domain/session.ts";

/**
 * Persistence for Convene. Every method that changes state and emits an event writes the
 * state and its outbox record in one transaction; the stream carries the record onwards.
 */
export interface Store {
  createOrganisation(organisation: Organisation): Promise<void>;
  getOrganisation(organisationId: string): Promise<Organisation | undefined>;
  /** Replaces an existing organisation's item (its settings); throws not-found when it is gone. */
  replaceOrganisation(organisation: Organisation): Promise<void>;

  createGroup(group: Group): Promise<void>;
  getGroup(organisationId: string, groupId: string): Promise<Group | undefined>;
  /** Replaces an existing group's item (its leadership settings); throws not-found when it is gone. */
  replaceGroup(group: Group): Promise<void>;
  listGroups(organisationId: string): Promise<Group[]>;

  /**
   * Writes a new member with the claim on their email address (unique in the organisation,
   * compared without regard to case); conflict on "email" when another member has it.
   */
  createMember(member: Member): Promise<void>;
  getMember(organisationId: string, memberId: string): Promise<Member | undefined>;
  listMembers(organisationId: string): Promise<Member[]>;
  /**
   * Replaces a member's editable fields, with the events it causes; NotFound when absent. Given
   * `previousEmail` (the address changes), the claim moves to the new address in the same
   * transaction: conflict on "email" when another member has it.
   */
  updateMember(member: Member, events: readonly ConveneEvent[], previousEmail?: string): Promise<void>;
  /** Stops one channel for the member and records MemberUnsubscribed, once. */
  unsubscribeMember(
    organisationId: string,
    memberId: string,
    channel: Channel,
    event: ConveneEvent,
  ): Promise<"unsubscribed" | "already">;

  /** Adds a member to a group, with MemberJoinedGroup; one already in it: nothing written, no event. */
  addMembership(membership: Membership, event: ConveneEvent): Promise<"joined" | "already">;
  /**
   * Marks a member's email undeliverable, with its event, unless it is already marked (a
   * redelivered report changes nothing) or the member no longer exists.
   */
  markEmailUndeliverable(
    organisationId: string,
    memberId: string,
    undeliverable: EmailUndeliverable,
    event: ConveneEvent,
  ): Promise<"marked" | "already" | "no-member">;
  /**
   * Marks a member's phone number undeliverable, with its event, when it is still the
   * member's number ("number-changed" otherwise) and not marked already (a redelivered report
   * changes nothing).
   */
  markPhoneUndeliverable(
    organisationId: string,
    memberId: string,
    undeliverable: PhoneUndeliverable,
    event: ConveneEvent,
  ): Promise<"marked" | "already" | "no-member" | "number-changed">;
  /** The members, in every organisation, whose phone number is this one (E.164, as stored). */
  findMembersByPhone(phone: string): Promise<Member[]>;
  /**
   * Records a change of a member's SMS consent: their current consent, the record (kept for
   * good) and the events, in one transaction, and once for an inbound text (`inboundMessageId`).
   * "unchanged" when the consent already stood so (nothing written), "duplicate" when the text
   * was acted on before for this member, "no-member" when the member is gone.
   */
  recordSmsConsent(
    record: ConsentRecord,
    events: readonly ConveneEvent[],
    inboundMessageId?: string,
  ): Promise<"recorded" | "unchanged" | "duplicate" | "no-member">;
  /** A member's consent records on a channel, oldest first. */
  listConsentRecords(organisationId: string, memberId: string, channel: Channel): Promise<ConsentRecord[]>;
  /**
   * Takes an inbound text for one member once, with its events, keeping its words (`text`)
   * until `expiresAt` for the step that reads answers: "duplicate" when it was taken before.
   */
  takeInboundSms(
    inboundMessageId: string,
    member: { organisationId: string; memberId: string },
    expiresAt: Date,
    events: readonly ConveneEvent[],
    text?: string,
  ): Promise<"taken" | "duplicate">;
  /** Keeps a question texted to a member, by the provider's id for the text and under the member. */
  recordSmsQuestion(question: SmsQuestion): Promise<void>;
  getSmsQuestion(messageId: string): Promise<SmsQuestion | undefined>;
  /** The member's questions by text asked at `since` or later, latest first. */
  listSmsQuestions(organisationId: string, memberId: string, since: Date): Promise<SmsQuestion[]>;
  markSmsQuestionAnswered(question: SmsQuestion, at: Date): Promise<void>;
  /** The words of an inbound text taken for the member (takeInboundSms), while kept. */
  inboundSmsText(
    inboundMessageId: string,
    organisationId: string,
    memberId: string,
  ): Promise<string | undefined>;
  /** The groups a member belongs to (ids). */
  listMemberGroupIds(organisationId: string, memberId: string): Promise<string[]>;
  listGroupMembers(organisationId: string, groupId: string): Promise<Member[]>;
  /** Whether the member belongs to the group now (one read of the membership). */
  isGroupMember(organisationId: string, groupId: string, memberId: string): Promise<boolean>;

  /** Writes a new session with its SessionScheduled event. */
  scheduleSession(session: Session, event: ConveneEvent): Promise<void>;
  /** Replaces a session if its stored version is `expectedVersion`, with its event. */
  replaceSession(session: Session, expectedVersion: number, event: ConveneEvent): Promise<void>;
  getSession(organisationId: string, groupId: string, sessionId: string): Promise<Session | undefined>;
  listUpcomingSessions(
    organisationId: string,
    groupId: string,
    from: Date,
    limit: number,
  ): Promise<Session[]>;
  /** Sessions that started before `before`, latest first; cancelled ones are not listed. */
  listPastSessions(organisationId: string, groupId: string, before: Date, limit: number): Promise<Session[]>;

  /**
   * Claims the right to send one message, identified by its delivery key, as "sending" with a
   * lease of the store's configured length. Answers "claimed" when this caller may send (no
   * claim yet, or a "sending" claim whose lease lapsed: its sender died), "sent" when the
   * message went out already, or the unexpired lease of a delivery under way elsewhere.
   */
  claimDelivery(
    organisationId: string,
    deliveryKey: string,
    now: Date,
    expiresAt: Date,
  ): Promise<"claimed" | "sent" | { heldUntil: Date }>;
  /**
   * Marks a claimed message "sent" once the provider accepted it; `expiresAt` is the claim's,
   * kept. Marks made at about the same moment may share one request.
   */
  markDelivered(organisationId: string, deliveryKey: string, expiresAt: Date): Promise<void>;
  /** Gives a claim back after the send failed, so a retry may send. */
  releaseDelivery(organisationId: string, deliveryKey: string): Promise<void>;
}
