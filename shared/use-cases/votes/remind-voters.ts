import { sendWithBallotToken } from "#delivery/send-with-ballot-token.ts";
import { membersYetToVote } from "#domain/vote.ts";
import { voteReminderEmail } from "#messages/votes/ballot-email.ts";
import type { Ports } from "#ports/ports.ts";
import { loadVoteAudience } from "./vote-audience.ts";

/**
 * A vote closes soon → the eligible members who have not voted get a reminder, once each
 * (with their ballot token in Reply-To). Nothing for a vote that is gone or closed: undefined.
 */
export const remindVoters = async (
  ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "settings">,
  ref: { organisationId: string; groupId: string; voteId: string },
): Promise<{ reminded: number } | undefined> => {
  const audience = await loadVoteAudience(ports, ref.organisationId, ref.groupId, ref.voteId);
  if (!audience || audience.vote.status !== "open") return undefined;
  const { vote, members } = audience;
  const yet = new Set(membersYetToVote(vote, await ports.votes.listBallots(vote.organisationId, vote.id)));
  const due = members.filter((m) => yet.has(m.id));
  await sendWithBallotToken(ports, audience, due, "vote-reminder", (context, token) =>
    voteReminderEmail(ports.settings, context, token),
  );
  return { reminded: due.length };
};
