import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ConveneEvent } from "#events/catalogue.ts";
import { conflict, DomainError, notFound } from "#domain/errors.ts";
import type { Group } from "#domain/group.ts";
import type { ConsentRecord } from "#domain/consent.ts";
import type { Channel, EmailUndeliverable, Member, Membership } from "#domain/member.ts";
import type { PhoneUndeliverable } from "#domain/sms-failure.ts";
import type { SmsQuestion } from "#domain/sms-question.ts";
import type { Organisation } from "#domain/organisation.ts";
import type { Session } from "#domain/session.ts";
import type { Store } from "#ports/store.ts";
import {
  deliveryItem,
  groupItem,
  memberEmailItem,
  memberItem,
  membershipItem,
  organisationItem,
  sessionItem,
} from "./items.ts";
import { keys } from "./keys.ts";
import { replaceSessionVersion, storedSession } from "./session-item.ts";
import { BatchedWrites } from "./batched-writes.ts";
import { DynamoSmsConsent } from "./dynamo-sms-consent.ts";
import { DynamoSmsQuestions } from "./dynamo-sms-questions.ts";
import { TableClient, under } from "./table-client.ts";
import { exists, failedConditions, isNew, mustExist, type Write } from "./writes.ts";

/** A sender that holds a claim longer than this is taken for dead (see deliverOnce). */
export const defaultSendingLeaseMs = 30_000;

/**
 * How long a claim's mark "sent" waits for others to share its write (up to 25 a request). A
 * sender that dies in that moment leaves its claim "sending", so the message is sent again:
 * the duplicate window grows by at most this much.
 */
const markWindowMs = 20;

/** Transactions that met another on the same item are tried this often in all. */
const conflictAttempts = 5;

/** Says which field, never whose address it is. */
const emailTaken = () =>
  new DomainError("conflict", "another member of the organisation has this email address", "email");

/** The same address however it is written: replies are matched on the lower-case form. */
const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The one DynamoDB table behind Convene; the same code talks to AWS and to DynamoDB Local. */
export class DynamoStore implements Store {
  readonly doc: DynamoDBDocumentClient;
  private readonly table: TableClient;
  /** Delivery claims marked "sent", coalesced into batch writes. */
  private readonly marks: BatchedWrites;
  private readonly sms: DynamoSmsConsent;
  private readonly smsQuestions: DynamoSmsQuestions;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
    /** How long a "sending" claim is held: longer than a sender can live (a function's timeout). */
    private readonly sendingLeaseMs = defaultSendingLeaseMs,
  ) {
    this.table = new TableClient(client, tableName);
    this.doc = this.table.doc;
    this.marks = new BatchedWrites(this.doc, tableName, markWindowMs);
    this.sms = new DynamoSmsConsent(this.table);
    this.smsQuestions = new DynamoSmsQuestions(this.table);
  }

  async createOrganisation(organisation: Organisation): Promise<void> {
    const item = organisationItem.item(keys.organisation(organisation.id), organisation);
    if ((await this.table.write([{ put: item, ...isNew, failed: "exists" }])).length)
      throw conflict("organisation already exists");
  }

  async replaceOrganisation(organisation: Organisation): Promise<void> {
    const item = organisationItem.item(keys.organisation(organisation.id), organisation);
    if ((await this.table.write([{ put: item, ...exists, failed: "gone" }])).length)
      throw notFound("organisation");
  }

  getOrganisation(organisationId: string): Promise<Organisation | undefined> {
    return this.table.get(organisationItem, keys.organisation(organisationId));
  }

  async createGroup(group: Group): Promise<void> {
    const item = groupItem.item(keys.group(group.organisationId, group.id), group);
    if ((await this.table.write([{ put: item, ...isNew, failed: "exists" }])).length)
      throw conflict("group already exists");
  }

  async replaceGroup(group: Group): Promise<void> {
    const item = groupItem.item(keys.group(group.organisationId, group.id), group);
    if ((await this.table.write([{ put: item, ...exists, failed: "gone" }])).length) throw notFound("group");
  }

  getGroup(organisationId: string, groupId: string): Promise<Group | undefined> {
    return this.table.get(groupItem, keys.group(organisationId, groupId));
  }

  listGroups(organisationId: string): Promise<Group[]> {
    return this.table.queryAll(groupItem, under(keys.groupsOf(organisationId)));
  }

  /** The member and the claim on their address, in one transaction: an address is one member's. */
  async createMember(member: Member): Promise<void> {
    await this.claimingEmail(
      [this.memberPut(member, isNew), this.emailClaim(member.organisationId, member.email, member.id)],
      [],
      () => conflict("member already exists"),
    );
  }

  getMember(organisationId: string, memberId: string): Promise<Member | undefined> {
    return this.table.get(memberItem, keys.member(organisationId, memberId));
  }

  listMembers(organisationId: string): Promise<Member[]> {
    return this.table.queryAll(memberItem, under(keys.membersOf(organisationId)));
  }

  async updateMember(member: Member, events: readonly ConveneEvent[], previousEmail?: string): Promise<void> {
    const o = member.organisationId;
    const moved = previousEmail !== undefined && !sameAddress(previousEmail, member.email);
    // The old address is given back only if it was this member's claim: a member written
    // before addresses were claimed may share theirs with someone who holds the claim.
    const oldClaim = moved ? keys.memberEmail(o, previousEmail) : undefined;
    const releasable =
      oldClaim && (await this.table.get(memberEmailItem, oldClaim))?.memberId === member.id
        ? oldClaim
        : undefined;
    await this.claimingEmail(
      [
        // Moving an address: only from the one this member still has.
        this.memberPut(
          member,
          moved
            ? {
                condition: "attribute_exists(PK) AND email = :previous",
                values: { ":previous": previousEmail },
              }
            : exists,
        ),
        ...(moved ? [this.emailClaim(o, member.email, member.id)] : []),
        ...(releasable
          ? [{ delete: releasable, condition: "memberId = :member", values: { ":member": member.id } }]
          : []),
      ],
      events,
      () => (moved ? conflict("the member changed meanwhile; read it again and retry") : notFound("member")),
    );
  }

  async unsubscribeMember(
    organisationId: string,
    memberId: string,
    channel: Channel,
    event: ConveneEvent,
  ): Promise<"unsubscribed" | "already"> {
    const unsubscribe = {
      update: keys.member(organisationId, memberId),
      changes: "SET unsubscribed = list_append(unsubscribed, :channel)",
      condition: "attribute_exists(PK) AND NOT contains(unsubscribed, :name)",
      values: { ":channel": [channel], ":name": channel },
      failed: "already",
    } as const;
    if ((await this.table.write([unsubscribe], { events: [event] })).length === 0) return "unsubscribed";
    // Unsubscribed before, or no such member: one read tells which.
    if (!(await this.getMember(organisationId, memberId))) throw notFound("member");
    return "already";
  }

  /** Joins once: a member already in the group is left as they are, with no event. */
  async addMembership(membership: Membership, event: ConveneEvent): Promise<"joined" | "already"> {
    const { organisationId: o, groupId: g, memberId: m } = membership;
    // The same join at the same moment conflicts: tried again, its condition says "already".
    const [failed] = await this.table.write(
      [
        mustExist(keys.group(o, g), "missing"),
        mustExist(keys.member(o, m), "missing"),
        { put: membershipItem.item(keys.membership(o, g, m), membership), ...isNew, failed: "already" },
      ],
      { events: [event], conflictAttempts },
    );
    if (failed === "missing") throw notFound("group or member");
    return failed ?? "joined";
  }

  async markEmailUndeliverable(
    organisationId: string,
    memberId: string,
    undeliverable: EmailUndeliverable,
    event: ConveneEvent,
  ): Promise<"marked" | "already" | "no-member"> {
    const mark = {
      update: keys.member(organisationId, memberId),
      changes: "SET emailUndeliverable = :undeliverable",
      condition: "attribute_exists(PK) AND attribute_not_exists(emailUndeliverable)",
      values: { ":undeliverable": undeliverable },
      failed: "not-marked",
    } as const;
    if ((await this.table.write([mark], { events: [event] })).length === 0) return "marked";
    return (await this.getMember(organisationId, memberId)) ? "already" : "no-member";
  }

  async markPhoneUndeliverable(
    organisationId: string,
    memberId: string,
    undeliverable: PhoneUndeliverable,
    event: ConveneEvent,
  ): Promise<"marked" | "already" | "no-member" | "number-changed"> {
    // Only while the failed number is still the member's, and once for it.
    const mark = {
      update: keys.member(organisationId, memberId),
      changes: "SET phoneUndeliverable = :undeliverable",
      condition:
        "attribute_exists(PK) AND phone = :phone AND " +
        "(attribute_not_exists(phoneUndeliverable) OR phoneUndeliverable.phone <> :phone)",
      values: { ":undeliverable": undeliverable, ":phone": undeliverable.phone },
      failed: "not-marked",
    } as const;
    if ((await this.table.write([mark], { events: [event] })).length === 0) return "marked";
    const member = await this.getMember(organisationId, memberId);
    if (!member) return "no-member";
    return member.phone === undeliverable.phone ? "already" : "number-changed";
  }

  findMembersByPhone(phone: string): Promise<Member[]> {
    return this.sms.findMembersByPhone(phone);
  }

  recordSmsConsent(
    record: ConsentRecord,
    events: readonly ConveneEvent[],
    inboundMessageId?: string,
  ): Promise<"recorded" | "unchanged" | "duplicate" | "no-member"> {
    return this.sms.recordSmsConsent(record, events, inboundMessageId);
  }

  listConsentRecords(organisationId: string, memberId: string, channel: Channel): Promise<ConsentRecord[]> {
    return this.sms.listConsentRecords(organisationId, memberId, channel);
  }

  takeInboundSms(
    inboundMessageId: string,
    member: { organisationId: string; memberId: string },
    expiresAt: Date,
    events: readonly ConveneEvent[],
    text?: string,
  ): Promise<"taken" | "duplicate"> {
    return this.sms.takeInboundSms(inboundMessageId, member, expiresAt, events, text);
  }

  recordSmsQuestion(question: SmsQuestion): Promise<void> {
    return this.smsQuestions.recordSmsQuestion(question);
  }

  getSmsQuestion(messageId: string): Promise<SmsQuestion | undefined> {
    return this.smsQuestions.getSmsQuestion(messageId);
  }

  listSmsQuestions(organisationId: string, memberId: string, since: Date): Promise<SmsQuestion[]> {
    return this.smsQuestions.listSmsQuestions(organisationId, memberId, since);
  }

  markSmsQuestionAnswered(question: SmsQuestion, at: Date): Promise<void> {
    return this.smsQuestions.markSmsQuestionAnswered(question, at);
  }

  inboundSmsText(
    inboundMessageId: string,
    organisationId: string,
    memberId: string,
  ): Promise<string | undefined> {
    return this.smsQuestions.inboundSmsText(inboundMessageId, organisationId, memberId);
  }

  isGroupMember(organisationId: string, groupId: string, memberId: string): Promise<boolean> {
    return this.table.exists(keys.membership(organisationId, groupId, memberId));
  }

  /** GSI1: the membership items indexed under the member. */
  async listMemberGroupIds(organisationId: string, memberId: string): Promise<string[]> {
    const k = keys.groupsOfMember(organisationId, memberId);
    const memberships = await this.table.queryAll(membershipItem.pick("groupId"), {
      IndexName: "GSI1",
      KeyConditionExpression: "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.GSI1PK, ":prefix": k.GSI1SKPrefix },
    });
    return memberships.map((m) => m.groupId);
  }

  /** One query for the memberships, then batch reads of the members (100 a request). */
  async listGroupMembers(organisationId: string, groupId: string): Promise<Member[]> {
    const memberships = await this.table.queryAll(
      membershipItem.pick("memberId"),
      under(keys.membershipsOfGroup(organisationId, groupId)),
    );
    const members = await this.table.batchGet(
      memberItem,
      memberships.map((m) => keys.member(organisationId, m.memberId)),
    );
    return members.sort((a, b) => a.id.localeCompare(b.id));
  }

  async scheduleSession(session: Session, event: ConveneEvent): Promise<void> {
    const failed = await this.table.write(
      [
        mustExist(keys.group(session.organisationId, session.groupId), "no-group"),
        { put: storedSession(session), ...isNew, failed: "exists" },
      ],
      { events: [event] },
    );
    if (failed.length) throw conflict("the group does not exist or the session already does");
  }

  replaceSession(session: Session, expectedVersion: number, event: ConveneEvent): Promise<void> {
    return replaceSessionVersion(this.table, session, expectedVersion, event);
  }

  getSession(organisationId: string, groupId: string, sessionId: string): Promise<Session | undefined> {
    return this.table.get(sessionItem, keys.session(organisationId, groupId, sessionId));
  }

  listUpcomingSessions(
    organisationId: string,
    groupId: string,
    from: Date,
    limit: number,
  ): Promise<Session[]> {
    return this.sessionsByStart(organisationId, groupId, ">=", from, limit);
  }

  listPastSessions(organisationId: string, groupId: string, before: Date, limit: number): Promise<Session[]> {
    return this.sessionsByStart(organisationId, groupId, "<", before, limit);
  }

  /** The by-start index either side of an instant: from it onwards soonest first, or before it latest first. */
  private async sessionsByStart(
    organisationId: string,
    groupId: string,
    side: ">=" | "<",
    instant: Date,
    limit: number,
  ): Promise<Session[]> {
    const page = await this.table.query(sessionItem, {
      IndexName: "GSI1",
      KeyConditionExpression: `GSI1PK = :pk AND GSI1SK ${side} :instant`,
      ExpressionAttributeValues: {
        ":pk": keys.sessionsByStartOf(organisationId, groupId).GSI1PK,
        ":instant": instant.toISOString(),
      },
      ScanIndexForward: side === ">=",
      Limit: limit,
    });
    return page.items;
  }

  /**
   * The one conditional write not made through TableClient.write: when the condition fails it
   * needs the claim that stood in the way (ReturnValuesOnConditionCheckFailure), which only a
   * single PutItem returns.
   */
  async claimDelivery(
    organisationId: string,
    deliveryKey: string,
    now: Date,
    expiresAt: Date,
  ): Promise<"claimed" | "sent" | { heldUntil: Date }> {
    const leaseUntil = now.getTime() + this.sendingLeaseMs;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: deliveryItem.item(keys.delivery(organisationId, deliveryKey), {
            state: "sending",
            leaseUntil,
            expiresAt: Math.floor(expiresAt.getTime() / 1000),
          }),
          // A "sending" claim whose lease lapsed was left by a sender that died: take it over.
          ConditionExpression: "attribute_not_exists(PK) OR (#state = :sending AND leaseUntil < :now)",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":sending": "sending", ":now": now.getTime() },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return "claimed";
    } catch (error) {
      if (!failedConditions(error)) throw error;
      // The document client leaves the exception's item marshalled.
      const raw = (error as { Item?: Record<string, AttributeValue> }).Item;
      const held = raw ? deliveryItem.read(unmarshall(raw)) : undefined;
      // A claim without a state predates leases: it was written just before its send.
      if (held?.state === "sending" && held.leaseUntil !== undefined)
        return { heldUntil: new Date(held.leaseUntil) };
      return "sent";
    }
  }

  /**
   * The whole claim written again as "sent" (no lease): the same item an UpdateItem would leave,
   * so that a fan-out's marks can go out together, up to 25 a request.
   */
  async markDelivered(organisationId: string, deliveryKey: string, expiresAt: Date): Promise<void> {
    await this.marks.put(
      deliveryItem.item(keys.delivery(organisationId, deliveryKey), {
        state: "sent",
        expiresAt: Math.floor(expiresAt.getTime() / 1000),
      }),
    );
  }

  async releaseDelivery(organisationId: string, deliveryKey: string): Promise<void> {
    await this.table.write([{ delete: keys.delivery(organisationId, deliveryKey) }]);
  }

  /** Claims `email` for the member: new, or already theirs (an edit that keeps the address). */
  private emailClaim(o: string, email: string, memberId: string): Write<"email"> {
    return {
      put: memberEmailItem.item(keys.memberEmail(o, email), { memberId }),
      condition: "attribute_not_exists(PK) OR memberId = :member",
      values: { ":member": memberId },
      failed: "email",
    };
  }

  /** A member's item, written in a transaction under the given condition. */
  private memberPut(member: Member, condition: Pick<Write, "condition" | "values">): Write<"member"> {
    const o = member.organisationId;
    // Indexed by phone number, so that an inbound text finds its members (DynamoSmsConsent).
    const phoneKey = member.phone ? keys.memberPhone(o, member.id, member.phone) : {};
    return {
      put: memberItem.item({ ...keys.member(o, member.id), ...phoneKey }, member),
      ...condition,
      failed: "member",
    };
  }

  /**
   * Writes the member and the claim on an address: a failed claim is a conflict on `email`
   * (whoever holds it is not named), a failed member condition the other error; a transaction
   * that met another on the same address is tried again.
   */
  private async claimingEmail(
    writes: readonly Write<"member" | "email">[],
    events: readonly ConveneEvent[],
    memberFailed: () => Error,
  ): Promise<void> {
    const failed = await this.table.write(writes, { events, conflictAttempts });
    if (failed.includes("email")) throw emailTaken();
    if (failed.length) throw memberFailed();
  }
}
