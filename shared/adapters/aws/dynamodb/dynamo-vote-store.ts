import { PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { ConveneEvent } from "#events/catalogue.ts";
import { conflict } from "#domain/errors.ts";
import type { Ballot, Vote, VoteResult } from "#domain/vote.ts";
import { thresholdRuleOf } from "#domain/vote-threshold.ts";
import type { BallotTokenRef, CastOutcome, VoteRef, VoteStore } from "#ports/vote-store.ts";
import { itemKind, keys } from "./keys.ts";
import { outboxRecord } from "./outbox-record.ts";
import { isConditionFailure, type TableClient, mustExist } from "./table-client.ts";

/** Inbound message ids are kept a month: far longer than any mail redelivery. */
const inboundLifetimeSeconds = 31 * 24 * 3600;

/**
 * A vote is kept whole under `vote`, because its own `kind` would clash with the item kind.
 * Votes stored before threshold rules hold their threshold as a share.
 */
type VoteItem = { vote: Omit<Vote, "threshold"> & { threshold: Vote["threshold"] | number } };

const fromItem = ({ vote }: VoteItem): Vote => ({ ...vote, threshold: thresholdRuleOf(vote.threshold) });

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Votes, ballots and reply tokens in the single table. */
export class DynamoVoteStore implements VoteStore {
  constructor(private readonly table: TableClient) {}

  private get name() {
    return this.table.tableName;
  }

  async openVote(vote: Vote, event: ConveneEvent): Promise<void> {
    try {
      await this.table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            mustExist(this.name, keys.group(vote.organisationId, vote.groupId)),
            {
              Put: {
                TableName: this.name,
                Item: { ...keys.vote(vote.organisationId, vote.groupId, vote.id), kind: itemKind.vote, vote },
                ConditionExpression: "attribute_not_exists(PK)",
              },
            },
            { Put: { TableName: this.name, Item: outboxRecord(event) } },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw conflict("the group does not exist or the vote already does");
      throw error;
    }
  }

  async getVote(organisationId: string, groupId: string, voteId: string): Promise<Vote | undefined> {
    const item = await this.table.get<VoteItem>(keys.vote(organisationId, groupId, voteId));
    return item && fromItem(item);
  }

  async listGroupVotes(organisationId: string, groupId: string): Promise<Vote[]> {
    const k = keys.votesOf(organisationId, groupId);
    const items = await this.table.queryAll<VoteItem>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
    });
    return items.map(fromItem);
  }

  async endVote(
    vote: Vote,
    status: "closed" | "cancelled",
    result: VoteResult | undefined,
    event: ConveneEvent,
  ): Promise<boolean> {
    try {
      await this.table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.name,
                Key: keys.vote(vote.organisationId, vote.groupId, vote.id),
                UpdateExpression: result
                  ? "SET vote.#status = :status, vote.#result = :result"
                  : "SET vote.#status = :status",
                ConditionExpression: "vote.#status = :open",
                ExpressionAttributeNames: { "#status": "status", ...(result ? { "#result": "result" } : {}) },
                ExpressionAttributeValues: {
                  ":status": status,
                  ":open": "open",
                  ...(result ? { ":result": result } : {}),
                },
              },
            },
            { Put: { TableName: this.name, Item: outboxRecord(event) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** One read when the token exists (confirmations, reminders); a two-item write the first time. */
  ballotToken(ref: BallotTokenRef, candidate: string): Promise<string> {
    const memberKey = keys.memberToken(ref.organisationId, ref.voteId, ref.memberId);
    return this.table.replyToken(
      memberKey,
      keys.ballotToken(candidate),
      itemKind.ballotToken,
      { ...ref },
      candidate,
    );
  }

  resolveBallotToken(token: string): Promise<BallotTokenRef | undefined> {
    return this.table.get<BallotTokenRef>(keys.ballotToken(token));
  }

  /**
   * One transaction: the vote is still open at `now`; the message was not seen before; the
   * ballot is new or older than this one; and BallotCast goes out with it.
   */
  async castBallot(
    vote: VoteRef,
    ballot: Ballot,
    messageKey: string,
    now: Date,
    eventFor: (replaced: boolean) => ConveneEvent,
  ): Promise<CastOutcome> {
    const { organisationId: o, voteId: v, memberId: m } = ballot;
    const replaced = (await this.getBallot(o, v, m)) !== undefined;
    const items: TransactItem[] = [
      {
        ConditionCheck: {
          TableName: this.name,
          Key: keys.vote(o, vote.groupId, v),
          ConditionExpression: "vote.#status = :open AND vote.closesAt > :now",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":open": "open", ":now": now.toISOString() },
        },
      },
      {
        Put: {
          TableName: this.name,
          Item: {
            ...keys.inboundMessage(o, messageKey),
            kind: itemKind.inboundMessage,
            expiresAt: Math.floor(now.getTime() / 1000) + inboundLifetimeSeconds,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      {
        Put: {
          TableName: this.name,
          Item: { ...keys.ballot(o, v, m), kind: itemKind.ballot, ...ballot },
          ConditionExpression: "attribute_not_exists(PK) OR castAt <= :castAt",
          ExpressionAttributeValues: { ":castAt": ballot.castAt },
        },
      },
      { Put: { TableName: this.name, Item: outboxRecord(eventFor(replaced)) } },
    ];
    try {
      await this.table.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return { kind: "counted", replaced };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[1]?.Code === "ConditionalCheckFailed") return { kind: "duplicate-message" };
      // A transaction need not report every failed condition: a closed vote hides a seen message.
      if (reasons[0]?.Code === "ConditionalCheckFailed")
        return (await this.messageTaken(o, messageKey))
          ? { kind: "duplicate-message" }
          : { kind: "vote-closed" };
      // An older message arriving after a newer one: remember it, so it is not retried.
      await this.table.doc
        .send(
          new PutCommand({
            TableName: this.name,
            Item: items[1]!.Put!.Item,
            ConditionExpression: "attribute_not_exists(PK)",
          }),
        )
        .catch((e: unknown) => {
          if (!isConditionFailure(e)) throw e;
        });
      return { kind: "superseded" };
    }
  }

  async messageTaken(organisationId: string, messageKey: string): Promise<boolean> {
    return (await this.table.get(keys.inboundMessage(organisationId, messageKey))) !== undefined;
  }

  listBallots(organisationId: string, voteId: string): Promise<Ballot[]> {
    const k = keys.ballotsOf(organisationId, voteId);
    return this.table.queryAll<Ballot>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
    });
  }

  getBallot(organisationId: string, voteId: string, memberId: string): Promise<Ballot | undefined> {
    return this.table.get<Ballot>(keys.ballot(organisationId, voteId, memberId));
  }
}
