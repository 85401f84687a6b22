import type { ConveneEvent } from "#events/catalogue.ts";
import { conflict } from "#domain/errors.ts";
import type { Ballot, Vote, VoteResult } from "#domain/vote.ts";
import { thresholdRuleOf } from "#domain/vote-threshold.ts";
import type { BallotTokenRef, CastOutcome, VoteRef, VoteStore } from "#ports/vote-store.ts";
import {
  ballotItem,
  ballotTokenItem,
  inboundMessageItem,
  memberBallotTokenItem,
  voteItem,
  type StoredVote,
} from "./items.ts";
import { keys } from "./keys.ts";
import { under, type TableClient } from "./table-client.ts";
import { isNew, mustExist } from "./writes.ts";

/** Inbound message ids are kept a month: far longer than any mail redelivery. */
const inboundLifetimeSeconds = 31 * 24 * 3600;

/** Votes stored before threshold rules hold their threshold as a share. */
const fromItem = ({ vote }: { vote: StoredVote }): Vote => ({
  ...vote,
  threshold: thresholdRuleOf(vote.threshold),
});

/** Votes, ballots and reply tokens in the single table. */
export class DynamoVoteStore implements VoteStore {
  constructor(private readonly table: TableClient) {}

  async openVote(vote: Vote, event: ConveneEvent): Promise<void> {
    const key = keys.vote(vote.organisationId, vote.groupId, vote.id);
    const failed = await this.table.write(
      [
        mustExist(keys.group(vote.organisationId, vote.groupId), "no-group"),
        { put: voteItem.item(key, { vote }), ...isNew, failed: "exists" },
      ],
      { events: [event] },
    );
    if (failed.length) throw conflict("the group does not exist or the vote already does");
  }

  async getVote(organisationId: string, groupId: string, voteId: string): Promise<Vote | undefined> {
    const item = await this.table.get(voteItem, keys.vote(organisationId, groupId, voteId));
    return item && fromItem(item);
  }

  async listGroupVotes(organisationId: string, groupId: string): Promise<Vote[]> {
    const items = await this.table.queryAll(voteItem, under(keys.votesOf(organisationId, groupId)));
    return items.map(fromItem);
  }

  async endVote(
    vote: Vote,
    status: "closed" | "cancelled",
    result: VoteResult | undefined,
    event: ConveneEvent,
  ): Promise<boolean> {
    const end = {
      update: keys.vote(vote.organisationId, vote.groupId, vote.id),
      changes: result ? "SET vote.#status = :status, vote.#result = :result" : "SET vote.#status = :status",
      condition: "vote.#status = :open",
      names: { "#status": "status", ...(result ? { "#result": "result" } : {}) },
      values: { ":status": status, ":open": "open", ...(result ? { ":result": result } : {}) },
      failed: "not-open",
    } as const;
    return (await this.table.write([end], { events: [event] })).length === 0;
  }

  /** One read when the token exists (confirmations, reminders); a two-item write the first time. */
  ballotToken(ref: BallotTokenRef, candidate: string): Promise<string> {
    return this.table.replyToken(
      { key: keys.memberToken(ref.organisationId, ref.voteId, ref.memberId), kind: memberBallotTokenItem },
      { key: keys.ballotToken(candidate), kind: ballotTokenItem },
      ref,
      candidate,
    );
  }

  resolveBallotToken(token: string): Promise<BallotTokenRef | undefined> {
    return this.table.get(ballotTokenItem, keys.ballotToken(token));
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
    const seen = {
      put: inboundMessageItem.item(keys.inboundMessage(o, messageKey), {
        expiresAt: Math.floor(now.getTime() / 1000) + inboundLifetimeSeconds,
      }),
      ...isNew,
    };
    const failed = await this.table.write(
      [
        {
          check: keys.vote(o, vote.groupId, v),
          condition: "vote.#status = :open AND vote.closesAt > :now",
          names: { "#status": "status" },
          values: { ":open": "open", ":now": now.toISOString() },
          failed: "vote-closed",
        },
        { ...seen, failed: "duplicate-message" },
        {
          put: ballotItem.item(keys.ballot(o, v, m), ballot),
          condition: "attribute_not_exists(PK) OR castAt <= :castAt",
          values: { ":castAt": ballot.castAt },
          failed: "superseded",
        },
      ],
      { events: [eventFor(replaced)] },
    );
    if (failed.length === 0) return { kind: "counted", replaced };
    if (failed.includes("duplicate-message")) return { kind: "duplicate-message" };
    // A transaction need not report every failed condition: a closed vote hides a seen message.
    if (failed.includes("vote-closed"))
      return { kind: (await this.messageTaken(o, messageKey)) ? "duplicate-message" : "vote-closed" };
    // An older message arriving after a newer one: remember it, so it is not retried.
    await this.table.write([{ ...seen, failed: "seen-before" }]);
    return { kind: "superseded" };
  }

  messageTaken(organisationId: string, messageKey: string): Promise<boolean> {
    return this.table.exists(keys.inboundMessage(organisationId, messageKey));
  }

  listBallots(organisationId: string, voteId: string): Promise<Ballot[]> {
    return this.table.queryAll(ballotItem, under(keys.ballotsOf(organisationId, voteId)));
  }

  getBallot(organisationId: string, voteId: string, memberId: string): Promise<Ballot | undefined> {
    return this.table.get(ballotItem, keys.ballot(organisationId, voteId, memberId));
  }
}
