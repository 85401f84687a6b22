import {
  TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  BatchGetCommand,
  DeleteCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { ConveneEvent } from "#events/catalogue.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import { conflict, DomainError, notFound } from "#domain/errors.ts";
import type { Group } from "#domain/group.ts";
import type { Channel, EmailUndeliverable, Member, Membership } from "#domain/member.ts";
import type { Organisation } from "#domain/organisation.ts";
import type { Session } from "#domain/session.ts";
import type { Store } from "#ports/store.ts";
import { itemKind, keys } from "./keys.ts";
import {
  isConditionFailure,
  isTransactionConflict,
  stripKeys,
  TableClient,
  type Item,
  mustExist,
} from "./table-client.ts";
import { outboxRecord } from "./outbox-record.ts";

/** A sender that holds a claim longer than this is taken for dead (see deliverOnce). */
export const defaultSendingLeaseMs = 30_000;

/** Transactions that met another on the same item are tried this often in all. */
const conflictAttempts = 5;
const pause = (attempt: number) => new Promise((settled) => setTimeout(settled, 10 * 2 ** attempt));

/** Which items of a cancelled transaction failed their condition, by index. */
const failedConditions = (error: unknown): boolean[] =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((r) => r.Code === "ConditionalCheckFailed")
    : [];

/** Says which field, never whose address it is. */
const emailTaken = () =>
  new DomainError("conflict", "another member of the organisation has this email address", "email");

/** The same address however it is written: replies are matched on the lower-case form. */
const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The one DynamoDB table behind Convene; the same code talks to AWS and to DynamoDB Local. */
export class DynamoStore implements Store {
  readonly doc: DynamoDBDocumentClient;
  private readonly table: TableClient;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
    /** How long a "sending" claim is held: longer than a sender can live (a function's timeout). */
    private readonly sendingLeaseMs = defaultSendingLeaseMs,
  ) {
    this.table = new TableClient(client, tableName);
    this.doc = this.table.doc;
  }

  async createOrganisation(organisation: Organisation): Promise<void> {
    await this.putNew(
      { ...keys.organisation(organisation.id), kind: itemKind.organisation, ...organisation },
      "organisation already exists",
    );
  }

  async getOrganisation(organisationId: string): Promise<Organisation | undefined> {
    return this.get<Organisation>(keys.organisation(organisationId));
  }

  async createGroup(group: Group): Promise<void> {
    await this.putNew(
      { ...keys.group(group.organisationId, group.id), kind: itemKind.group, ...group },
      "group already exists",
    );
  }

  async replaceGroup(group: Group): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.group(group.organisationId, group.id), kind: itemKind.group, ...group },
          ConditionExpression: "attribute_exists(PK)",
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw notFound("group");
      throw error;
    }
  }

  async getGroup(organisationId: string, groupId: string): Promise<Group | undefined> {
    return this.get<Group>(keys.group(organisationId, groupId));
  }

  async listGroups(organisationId: string): Promise<Group[]> {
    const k = keys.groupsOf(organisationId);
    return this.queryAll<Group>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
    });
  }

  /** The member and the claim on their address, in one transaction: an address is one member's. */
  async createMember(member: Member): Promise<void> {
    const o = member.organisationId;
    await this.claimingEmail(
      async () => {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              this.memberPut(member, { ConditionExpression: "attribute_not_exists(PK)" }),
              this.emailClaim(o, member.email, member.id),
            ],
          }),
        );
      },
      () => conflict("member already exists"),
    );
  }

  async getMember(organisationId: string, memberId: string): Promise<Member | undefined> {
    return this.get<Member>(keys.member(organisationId, memberId));
  }

  async listMembers(organisationId: string): Promise<Member[]> {
    const k = keys.membersOf(organisationId);
    return this.queryAll<Member>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
    });
  }

  async updateMember(member: Member, events: readonly ConveneEvent[], previousEmail?: string): Promise<void> {
    const o = member.organisationId;
    const moved = previousEmail !== undefined && !sameAddress(previousEmail, member.email);
    // The old address is given back only if it was this member's claim: a member written
    // before addresses were claimed may share theirs with someone who holds the claim.
    const oldClaim = moved ? keys.memberEmail(o, previousEmail) : undefined;
    const releasable =
      oldClaim && (await this.get<{ memberId: string }>(oldClaim))?.memberId === member.id
        ? oldClaim
        : undefined;
    await this.claimingEmail(
      async () => {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              // Moving an address: only from the one this member still has.
              this.memberPut(
                member,
                moved
                  ? {
                      ConditionExpression: "attribute_exists(PK) AND email = :previous",
                      ExpressionAttributeValues: { ":previous": previousEmail },
                    }
                  : { ConditionExpression: "attribute_exists(PK)" },
              ),
              ...(moved ? [this.emailClaim(o, member.email, member.id)] : []),
              ...(releasable
                ? [
                    {
                      Delete: {
                        TableName: this.tableName,
                        Key: releasable,
                        ConditionExpression: "memberId = :member",
                        ExpressionAttributeValues: { ":member": member.id },
                      },
                    },
                  ]
                : []),
              ...events.map((event) => ({ Put: { TableName: this.tableName, Item: outboxRecord(event) } })),
            ],
          }),
        );
      },
      () => (moved ? conflict("the member changed meanwhile; read it again and retry") : notFound("member")),
    );
  }

  async unsubscribeMember(
    organisationId: string,
    memberId: string,
    channel: Channel,
    event: ConveneEvent,
  ): Promise<"unsubscribed" | "already"> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.member(organisationId, memberId),
                UpdateExpression: "SET unsubscribed = list_append(unsubscribed, :channel)",
                ConditionExpression: "attribute_exists(PK) AND NOT contains(unsubscribed, :name)",
                ExpressionAttributeValues: { ":channel": [channel], ":name": channel },
              },
            },
            { Put: { TableName: this.tableName, Item: outboxRecord(event) } },
          ],
        }),
      );
      return "unsubscribed";
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const member = await this.getMember(organisationId, memberId);
      if (!member) throw notFound("member");
      return "already";
    }
  }

  /** Joins once: a member already in the group is left as they are, with no event. */
  async addMembership(membership: Membership, event: ConveneEvent): Promise<"joined" | "already"> {
    const { organisationId: o, groupId: g, memberId: m } = membership;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              mustExist(this.tableName, keys.group(o, g)),
              mustExist(this.tableName, keys.member(o, m)),
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...keys.membership(o, g, m), kind: itemKind.membership, ...membership },
                  ConditionExpression: "attribute_not_exists(PK)",
                },
              },
              { Put: { TableName: this.tableName, Item: outboxRecord(event) } },
            ],
          }),
        );
        return "joined";
      } catch (error) {
        const failed = failedConditions(error);
        if (failed[0] || failed[1]) throw notFound("group or member");
        if (failed[2]) return "already";
        // The same join at the same moment: try again, and its condition says "already".
        if (isTransactionConflict(error) && attempt < conflictAttempts) await pause(attempt);
        else throw error;
      }
    }
  }

  async markEmailUndeliverable(
    organisationId: string,
    memberId: string,
    undeliverable: EmailUndeliverable,
    event: ConveneEvent,
  ): Promise<"marked" | "already" | "no-member"> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.member(organisationId, memberId),
                UpdateExpression: "SET emailUndeliverable = :undeliverable",
                ConditionExpression: "attribute_exists(PK) AND attribute_not_exists(emailUndeliverable)",
                ExpressionAttributeValues: { ":undeliverable": undeliverable },
              },
            },
            { Put: { TableName: this.tableName, Item: outboxRecord(event) } },
          ],
        }),
      );
      return "marked";
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.getMember(organisationId, memberId)) ? "already" : "no-member";
    }
  }

  async isGroupMember(organisationId: string, groupId: string, memberId: string): Promise<boolean> {
    const { PK, SK } = keys.membership(organisationId, groupId, memberId);
    return (await this.get({ PK, SK })) !== undefined;
  }

  /** GSI1: the membership items indexed under the member. */
  async listMemberGroupIds(organisationId: string, memberId: string): Promise<string[]> {
    const k = keys.groupsOfMember(organisationId, memberId);
    const memberships = await this.queryAll<Membership>({
      IndexName: "GSI1",
      KeyConditionExpression: "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.GSI1PK, ":prefix": k.GSI1SKPrefix },
      ProjectionExpression: "groupId",
    });
    return memberships.map((m) => m.groupId);
  }

  /** One query for the memberships, then batch reads of the members (100 a request). */
  async listGroupMembers(organisationId: string, groupId: string): Promise<Member[]> {
    const k = keys.membershipsOfGroup(organisationId, groupId);
    const memberships = await this.queryAll<Membership>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
      ProjectionExpression: "memberId",
    });
    const members: Member[] = [];
    for (let i = 0; i < memberships.length; i += 100) {
      let pending: Item[] | undefined = memberships
        .slice(i, i + 100)
        .map((m) => keys.member(organisationId, m.memberId));
      while (pending && pending.length > 0) {
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        for (const item of out.Responses?.[this.tableName] ?? []) members.push(stripKeys<Member>(item)!);
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return members.sort((a, b) => a.id.localeCompare(b.id));
  }

  async scheduleSession(session: Session, event: ConveneEvent): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            mustExist(this.tableName, keys.group(session.organisationId, session.groupId)),
            {
              Put: {
                TableName: this.tableName,
                Item: this.sessionItem(session),
                ConditionExpression: "attribute_not_exists(PK)",
              },
            },
            { Put: { TableName: this.tableName, Item: outboxRecord(event) } },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw conflict("the group does not exist or the session already does");
      throw error;
    }
  }

  async replaceSession(session: Session, expectedVersion: number, event: ConveneEvent): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: this.sessionItem(session),
                ConditionExpression: "version = :expected",
                ExpressionAttributeValues: { ":expected": expectedVersion },
              },
            },
            { Put: { TableName: this.tableName, Item: outboxRecord(event) } },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error) || isTransactionConflict(error))
        throw conflict("the session changed meanwhile; read it again and retry");
      throw error;
    }
  }

  async getSession(organisationId: string, groupId: string, sessionId: string): Promise<Session | undefined> {
    return this.get<Session>(keys.session(organisationId, groupId, sessionId));
  }

  async listUpcomingSessions(
    organisationId: string,
    groupId: string,
    from: Date,
    limit: number,
  ): Promise<Session[]> {
    return this.sessionsByStart(organisationId, groupId, ">=", from, limit);
  }

  async listPastSessions(
    organisationId: string,
    groupId: string,
    before: Date,
    limit: number,
  ): Promise<Session[]> {
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
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "GSI1",
        KeyConditionExpression: `GSI1PK = :pk AND GSI1SK ${side} :instant`,
        ExpressionAttributeValues: {
          ":pk": keys.sessionsByStartOf(organisationId, groupId).GSI1PK,
          ":instant": instant.toISOString(),
        },
        ScanIndexForward: side === ">=",
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => stripKeys<Session>(i)!);
  }

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
          Item: {
            ...keys.delivery(organisationId, deliveryKey),
            kind: itemKind.delivery,
            state: "sending",
            leaseUntil,
            expiresAt: Math.floor(expiresAt.getTime() / 1000),
          },
          // A "sending" claim whose lease lapsed was left by a sender that died: take it over.
          ConditionExpression: "attribute_not_exists(PK) OR (#state = :sending AND leaseUntil < :now)",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":sending": "sending", ":now": now.getTime() },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return "claimed";
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The document client leaves the exception's item marshalled.
      const raw = (error as { Item?: Record<string, AttributeValue> }).Item;
      const held = raw ? unmarshall(raw) : undefined;
      // A claim without a state predates leases: it was written just before its send.
      if (held?.state === "sending" && typeof held.leaseUntil === "number")
        return { heldUntil: new Date(held.leaseUntil) };
      return "sent";
    }
  }

  async markDelivered(organisationId: string, deliveryKey: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.delivery(organisationId, deliveryKey),
        UpdateExpression: "SET #state = :sent REMOVE leaseUntil",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":sent": "sent" },
      }),
    );
  }

  async releaseDelivery(organisationId: string, deliveryKey: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.delivery(organisationId, deliveryKey) }),
    );
  }

  /** Claims `email` for the member: new, or already theirs (an edit that keeps the address). */
  private emailClaim(o: string, email: string, memberId: string) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.memberEmail(o, email), kind: itemKind.memberEmail, memberId },
        ConditionExpression: "attribute_not_exists(PK) OR memberId = :member",
        ExpressionAttributeValues: { ":member": memberId },
      },
    };
  }

  /**
   * Runs a transaction whose item 0 is the member and item 1 the claim on an address: a failed
   * claim is a conflict on `email` (whoever holds it is not named), a failed member condition
   * the other conflict; a transaction that met another on the same address is tried again.
   */
  private async claimingEmail(write: () => Promise<void>, memberFailed: () => Error): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        const failed = failedConditions(error);
        if (failed[1]) throw emailTaken();
        if (failed[0]) throw memberFailed();
        if (isTransactionConflict(error) && attempt < conflictAttempts) await pause(attempt);
        else throw error;
      }
    }
  }

  /** A member's item, written in a transaction under the given condition. */
  private memberPut(
    member: Member,
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
  ) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.member(member.organisationId, member.id), kind: itemKind.member, ...member },
        ...condition,
      },
    };
  }

  /** A scheduled session sits in the by-start index; a cancelled one leaves it. */
  private sessionItem(session: Session): Item {
    const base = {
      ...keys.session(session.organisationId, session.groupId, session.id),
      kind: itemKind.session,
      ...session,
    };
    if (session.status === "cancelled") return base;
    const start = sessionStartInstant(session.startLocal, session.timeZone).toISOString();
    return { ...base, ...keys.sessionByStart(session.organisationId, session.groupId, start, session.id) };
  }

  private async putNew(item: Item, conflictMessage: string): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw conflict(conflictMessage);
      throw error;
    }
  }

  /**
   * Strongly consistent: handlers read the item whose write the stream has just delivered,
   * and an eventually consistent read could return the version before it, so the event
   * would be dropped as stale.
   */
  private get<T>(key: { PK: string; SK: string }): Promise<T | undefined> {
    return this.table.get<T>(key);
  }

  private queryAll<T>(input: Omit<QueryCommandInput, "TableName">): Promise<T[]> {
    return this.table.queryAll<T>(input);
  }
}
