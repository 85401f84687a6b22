import { invalid, notFound } from "#domain/errors.ts";
import { newId } from "#domain/ids.ts";
import { newEvent } from "#domain/new-event.ts";
import {
  cancelVote,
  closeVote,
  openVote,
  type Vote,
  type VoteKind,
  type BallotSecrecy,
} from "#domain/vote.ts";
import { thresholdShare, type ThresholdRule } from "#domain/vote-threshold.ts";
import type { Ports } from "#ports/ports.ts";

type Deps = Pick<Ports, "store" | "votes" | "clock">;
/** Opening also reads the role a vote fills. */
type OpenDeps = Deps & Pick<Ports, "roles">;

export interface OpenVoteInput {
  /** A deterministic id, when the vote is opened by a handler that may run twice. */
  id?: string;
  question: string;
  kind: VoteKind;
  options?: string[];
  candidateMemberIds?: string[];
  roleId?: string;
  closesAt: string;
  quorum: number;
  /** A rule, or a share as the API took it before rules (0.5: more than half; thresholdFromShare). */
  threshold: ThresholdRule | number;
  secrecy: BallotSecrecy;
  reminderMinutesBeforeClose: number;
}

const snapshot = (vote: Vote) => ({
  id: vote.id,
  question: vote.question,
  kind: vote.kind,
  options: vote.options,
  roleId: vote.roleId,
  closesAt: vote.closesAt,
  quorum: vote.quorum,
  // The share for consumers that know only the number; the rule says it exactly.
  threshold: thresholdShare(vote.threshold),
  thresholdRule: vote.threshold,
  secrecy: vote.secrecy,
  eligibleMemberIds: vote.eligibleMemberIds,
  reminderMinutesBeforeClose: vote.reminderMinutesBeforeClose,
});

/**
 * A coordinator opens a vote for a group.
 * 1. The eligible members are the group's members now; later joiners do not vote.
 * 2. Election candidates must be members; the ballot shows their names.
 * 3. A vote that fills a role names one the group has taken up: its outcome fills that role.
 * 4. The vote and VoteOpened are written in one transaction; ballots go out from there.
 */
export const openGroupVote = async (
  deps: OpenDeps,
  o: string,
  g: string,
  openedBy: string,
  input: OpenVoteInput,
): Promise<Vote> => {
  if (!(await deps.store.getGroup(o, g))) throw notFound("group");
  if (input.roleId !== undefined && !(await deps.roles.getRole(o, g, input.roleId)))
    throw invalid("roleId", "the group has no such role; take the role up before voting on it");
  const members = await deps.store.listGroupMembers(o, g);
  const names = new Map(members.map((m) => [m.id, m.name]));
  const now = deps.clock.now();
  const vote = openVote(
    {
      organisationId: o,
      groupId: g,
      id: input.id ?? newId(),
      question: input.question,
      kind: input.kind,
      options: input.options,
      candidates: input.candidateMemberIds?.map((memberId) => ({
        memberId,
        name: names.get(memberId) ?? "",
      })),
      roleId: input.roleId,
      closesAt: input.closesAt,
      quorum: input.quorum,
      threshold: input.threshold,
      secrecy: input.secrecy,
      reminderMinutesBeforeClose: input.reminderMinutesBeforeClose,
      openedBy,
    },
    now,
    members.map((m) => m.id),
  );
  await deps.votes.openVote(
    vote,
    newEvent("VoteOpened", { organisationId: o, groupId: g }, { vote: snapshot(vote) }, now),
  );
  return vote;
};

export const cancelGroupVote = async (
  deps: Deps,
  o: string,
  g: string,
  voteId: string,
  reason?: string,
): Promise<Vote> => {
  const vote = await deps.votes.getVote(o, g, voteId);
  if (!vote) throw notFound("vote");
  const cancelled = cancelVote(vote);
  const now = deps.clock.now();
  const ended = await deps.votes.endVote(
    vote,
    "cancelled",
    undefined,
    newEvent("VoteCancelled", { organisationId: o, groupId: g }, { voteId, reason }, now),
  );
  if (!ended) return (await deps.votes.getVote(o, g, voteId)) ?? cancelled;
  return cancelled;
};

/**
 * Closes a vote and tallies it, at its closing time or once everyone has voted. Safe to
 * call twice: only the first close writes VoteClosed. Returns undefined when it is not time.
 */
export const closeAndTally = async (
  deps: Deps & Pick<Ports, "metrics">,
  o: string,
  g: string,
  voteId: string,
  correlationId?: string,
) => {
  const vote = await deps.votes.getVote(o, g, voteId);
  if (!vote || vote.status !== "open") return undefined;
  const now = deps.clock.now();
  const ballots = await deps.votes.listBallots(o, voteId);
  let closed: Vote;
  try {
    closed = closeVote(vote, ballots, now);
  } catch {
    return undefined; // still running and not everyone has voted
  }
  const closedEarly = now.getTime() < Date.parse(vote.closesAt);
  const ended = await deps.votes.endVote(
    vote,
    "closed",
    closed.result,
    newEvent(
      "VoteClosed",
      { organisationId: o, groupId: g, correlationId },
      { voteId, kind: vote.kind, roleId: vote.roleId, closedEarly, result: closed.result! },
      now,
    ),
  );
  if (!ended) return undefined;
  // Counted by the one call whose conditional close succeeded: never twice for a vote.
  deps.metrics.count("BallotsCounted", {}, ballots.length);
  return closed;
};
