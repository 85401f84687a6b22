import { sendWithBallotToken } from "#delivery/send-with-ballot-token.ts";
import { newEvent } from "#domain/new-event.ts";
import { voteScheduleName } from "#domain/schedule-name.ts";
import { reminderDueAt } from "#domain/vote.ts";
import { ballotEmail } from "#messages/votes/ballot-email.ts";
import type { Ports } from "#ports/ports.ts";
import { loadVoteAudience } from "./vote-audience.ts";

/**
 * A vote opened → the reminder and the close are scheduled; every eligible member gets a ballot.
 * 1. Two self-deleting schedules with deterministic names: VoteClosingSoon and VoteCloseDue.
 *    They come first, so a ballot that cannot be delivered never holds the vote open.
 * 2. Each member's reply token is created once (the same on redelivery) and put in Reply-To.
 * 3. Each ballot is sent after claiming (vote, member): redelivery sends nothing twice.
 * Nothing happens for a vote that is gone or no longer open: undefined.
 */
export const sendBallots = async (
  ports: Pick<Ports, "store" | "votes" | "scheduler" | "mailer" | "clock" | "settings">,
  ref: { organisationId: string; groupId: string; voteId: string },
  correlationId: string,
): Promise<{ ballots: number } | undefined> => {
  const audience = await loadVoteAudience(ports, ref.organisationId, ref.groupId, ref.voteId);
  if (!audience || audience.vote.status !== "open") return undefined;
  const { vote, group, members } = audience;
  const scope = { organisationId: vote.organisationId, groupId: vote.groupId, correlationId };

  const remindAt = reminderDueAt(vote);
  if (remindAt) {
    await ports.scheduler.scheduleOnce({
      name: voteScheduleName("remind", vote.organisationId, vote.id),
      at: new Date(remindAt),
      timeZone: group.timeZone,
      event: newEvent("VoteClosingSoon", scope, { voteId: vote.id }, new Date(remindAt)),
    });
  }
  await ports.scheduler.scheduleOnce({
    name: voteScheduleName("close", vote.organisationId, vote.id),
    at: new Date(vote.closesAt),
    timeZone: group.timeZone,
    event: newEvent("VoteCloseDue", scope, { voteId: vote.id }, new Date(vote.closesAt)),
  });
  await sendWithBallotToken(ports, audience, members, "ballot", (context, token) =>
    ballotEmail(ports.settings, context, token),
  );
  return { ballots: members.length };
};
