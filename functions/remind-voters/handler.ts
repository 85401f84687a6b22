import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { membersYetToVote } from "#domain/vote.ts";
import { voteReminderEmail } from "#messages/vote-messages.ts";
import type { Ports } from "#ports/ports.ts";
import { loadVoteAudience, sendWithBallotToken } from "#use-cases/vote-audience.ts";

/** The vote closes soon → members who have not voted get a reminder, once each. */
export const createRemindVoters =
  (ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "log" | "settings">): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type !== "VoteClosingSoon") return;
    const audience = await loadVoteAudience(ports, event.organisationId, event.groupId, event.data.voteId);
    if (!audience || audience.vote.status !== "open") return;
    const { vote, members } = audience;
    const yet = new Set(membersYetToVote(vote, await ports.votes.listBallots(vote.organisationId, vote.id)));
    const due = members.filter((m) => yet.has(m.id));
    await sendWithBallotToken(ports, audience, due, "vote-reminder", (context, token) =>
      voteReminderEmail(ports.settings, context, token),
    );
    ports.log.info("non-voters reminded", { voteId: vote.id, reminded: due.length });
  };
