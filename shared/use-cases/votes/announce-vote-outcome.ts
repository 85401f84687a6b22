import { deliverEach, deliverOnce } from "#delivery/deliver-once.ts";
import { emailArrives } from "#domain/member.ts";
import { voteCancelledEmail, voteResultEmail } from "#messages/votes/vote-outcome-email.ts";
import type { Ports } from "#ports/ports.ts";
import { loadVoteAudience } from "./vote-audience.ts";

/** How the vote ended: closed and tallied, or cancelled with an optional reason. */
export type VoteEnding = { kind: "closed" } | { kind: "cancelled"; reason?: string };

/**
 * A vote closed or was cancelled → every eligible member whose email can arrive hears the
 * outcome, once each (counts only, never who voted how). Undefined when the vote is gone.
 */
export const announceVoteOutcome = async (
  ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "settings">,
  ref: { organisationId: string; groupId: string; voteId: string },
  ending: VoteEnding,
): Promise<{ status: string; recipients: number } | undefined> => {
  const audience = await loadVoteAudience(ports, ref.organisationId, ref.groupId, ref.voteId);
  if (!audience) return undefined;
  const { vote, group, members } = audience;
  await deliverEach(members.filter(emailArrives), (member) =>
    deliverOnce(
      ports.store,
      vote.organisationId,
      `vote-outcome#${vote.id}#${member.id}`,
      ports.clock.now(),
      () => {
        const context = { vote, groupName: group.name, timeZone: group.timeZone, member };
        return ports.mailer.send(
          ending.kind === "closed"
            ? voteResultEmail(ports.settings, context)
            : voteCancelledEmail(ports.settings, context, ending.reason),
        );
      },
    ),
  );
  return { status: vote.status, recipients: members.length };
};
