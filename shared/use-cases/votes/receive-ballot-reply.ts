import { deliverOnce } from "#delivery/deliver-once.ts";
import { canCast, choiceReadingOptions, optionFromReading } from "#domain/vote.ts";
import { readChoice } from "#inbound/read-choice.ts";
import type { Reply } from "#inbound/read-reply.ts";
import {
  replyNotCountedEmail,
  type ReplyNotCountedReason as NotCountedReason,
} from "#messages/votes/reply-not-counted-email.ts";
import type { Ports } from "#ports/ports.ts";
import { castBallot, type CastResult } from "./cast-ballot.ts";

export type BallotReplyOutcome = CastResult | "unknown-token" | NotCountedReason;

/** A member's reply as the inbound side read it: what it says, its key, and whether DMARC failed. */
export interface ReceivedReply {
  reply: Reply;
  /** Identifies the message for "count once" (its Message-ID, or a digest of the mail). */
  messageKey: string;
  dmarcFailed: boolean;
}

/**
 * A member replied to a ballot email; `token` is the one its envelope recipient carried.
 * 1. The token names the vote and the member; unknown → dropped.
 * 2. Trust: the From address must be the member's; the vote must be open; on AWS a DMARC
 *    FAIL holds the ballot until the member confirms it with a link.
 * 3. Read one unambiguous choice from what the member typed.
 * 4. Store the ballot (a later reply replaces it; the same Message-ID counts once) with
 *    BallotCast, which sends the confirmation. Anything not counted is explained to the
 *    member's own address, once per message. A message already counted is recognised even
 *    once the vote has closed: it is a duplicate, not a late reply.
 */
export const receiveBallotReply = async (
  deps: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "settings">,
  token: string,
  { reply, messageKey, dmarcFailed }: ReceivedReply,
): Promise<BallotReplyOutcome> => {
  const ref = await deps.votes.resolveBallotToken(token);
  if (!ref) return "unknown-token";
  const [vote, member] = await Promise.all([
    deps.votes.getVote(ref.organisationId, ref.groupId, ref.voteId),
    deps.store.getMember(ref.organisationId, ref.memberId),
  ]);
  if (!vote || !member) return "unknown-token";

  const explain = async (reason: NotCountedReason, optionId?: string): Promise<BallotReplyOutcome> => {
    await deliverOnce(deps.store, ref.organisationId, `reply#${messageKey}`, deps.clock.now(), async () =>
      deps.mailer.send(
        await replyNotCountedEmail(deps.settings, {
          reason,
          vote,
          groupName: (await deps.store.getGroup(ref.organisationId, ref.groupId))?.name ?? "your group",
          member,
          token,
          optionId,
        }),
      ),
    );
    return reason;
  };

  if (reply.from !== member.email.toLowerCase()) return explain("not-from-member");
  if (canCast(vote, deps.clock.now()) !== "open")
    // Mail comes at least once: a ballot counted before the close may be delivered again after it.
    return (await deps.votes.messageTaken(ref.organisationId, messageKey))
      ? "duplicate-message"
      : explain("vote-closed");

  const reading = readChoice(reply.typedText, choiceReadingOptions(vote));
  const optionId = optionFromReading(vote, reading);
  if (!optionId) return explain(reading.kind === "choice" ? "unreadable" : reading.kind);
  if (dmarcFailed) return explain("held-for-confirmation", optionId);

  const cast = await castBallot(deps, vote, member, ref, optionId, messageKey);
  // The vote closed between the check above and the write: explained like any late reply.
  return cast === "vote-closed" ? explain("vote-closed") : cast;
};
