import { newEvent } from "#domain/new-event.ts";
import type { Member } from "#domain/member.ts";
import type { Vote } from "#domain/vote.ts";
import type { Ports } from "#ports/ports.ts";
import type { BallotTokenRef } from "#ports/vote-store.ts";

export type CastResult = "counted" | "replaced" | "duplicate-message" | "superseded" | "vote-closed";

/**
 * Stores a member's ballot with BallotCast (whose handler sends the confirmation), from a
 * reply or a confirmed voting link. `messageKey` makes the same message count once.
 */
export const castBallot = async (
  deps: Pick<Ports, "votes" | "clock">,
  vote: Vote,
  member: Member,
  ref: BallotTokenRef,
  optionId: string,
  messageKey: string,
): Promise<CastResult> => {
  const now = deps.clock.now();
  const result = await deps.votes.castBallot(
    vote,
    {
      organisationId: vote.organisationId,
      voteId: vote.id,
      memberId: member.id,
      optionId,
      castAt: now.toISOString(),
    },
    messageKey,
    now,
    (replaced) =>
      newEvent(
        "BallotCast",
        { organisationId: ref.organisationId, groupId: ref.groupId },
        { voteId: vote.id, memberId: member.id, replaced },
        now,
      ),
  );
  if (result.kind === "counted") return result.replaced ? "replaced" : "counted";
  return result.kind;
};
