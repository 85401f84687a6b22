import type { ConveneEvent } from "#events/catalogue.ts";
import type { Ballot, Vote, VoteResult } from "#domain/vote.ts";

export type VoteRef = Pick<Vote, "organisationId" | "groupId" | "id">;

/** What a reply token stands for: one member's ballot in one vote. */
export interface BallotTokenRef {
  organisationId: string;
  groupId: string;
  voteId: string;
  memberId: string;
}

export type CastOutcome =
  /** Counted (first ballot or a replacement). */
  | { kind: "counted"; replaced: boolean }
  /** This very message was processed before (same Message-ID): nothing changes. */
  | { kind: "duplicate-message" }
  /** The vote is no longer open. */
  | { kind: "vote-closed" }
  /** A later ballot from this member is already stored: this older one changes nothing. */
  | { kind: "superseded" };

/** Persistence of votes, ballots and reply tokens, in the same single table. */
export interface VoteStore {
  /** Writes a new vote with its VoteOpened event. */
  openVote(vote: Vote, event: ConveneEvent): Promise<void>;
  getVote(organisationId: string, groupId: string, voteId: string): Promise<Vote | undefined>;
  listGroupVotes(organisationId: string, groupId: string): Promise<Vote[]>;
  /** Ends an open vote with its event (closed with a result, or cancelled); false if it was no longer open. */
  endVote(
    vote: Vote,
    status: "closed" | "cancelled",
    result: VoteResult | undefined,
    event: ConveneEvent,
  ): Promise<boolean>;

  /**
   * The member's reply token for a vote: created once (at least 128 random bits), then the
   * same on every call, so a redelivered VoteOpened sends the same address.
   */
  ballotToken(ref: BallotTokenRef, candidate: string): Promise<string>;
  resolveBallotToken(token: string): Promise<BallotTokenRef | undefined>;

  /**
   * Stores a ballot if the vote is open at `now`, keyed by member so a later reply replaces
   * an earlier one, and records `messageKey` so the same message never counts twice; the
   * BallotCast event goes in the same transaction.
   */
  castBallot(
    vote: VoteRef,
    ballot: Ballot,
    messageKey: string,
    now: Date,
    eventFor: (replaced: boolean) => ConveneEvent,
  ): Promise<CastOutcome>;
  /**
   * Whether castBallot has already taken this message (counted it, or found it superseded),
   * so that mail delivered again after the close is recognised rather than refused.
   */
  messageTaken(organisationId: string, messageKey: string): Promise<boolean>;
  listBallots(organisationId: string, voteId: string): Promise<Ballot[]>;
  getBallot(organisationId: string, voteId: string, memberId: string): Promise<Ballot | undefined>;
}
