import pMap from "p-map";
import type { ConveneEvent } from "../../events/catalogue.ts";
import type { EventHandler } from "../../shared/bus/bus-event.ts";
import { deliverOnce } from "../../shared/delivery/deliver-once.ts";
import { newBallotToken } from "../../shared/domain/ballot-token.ts";
import { membersYetToVote } from "../../shared/domain/vote.ts";
import { voteReminderEmail } from "../../shared/messages/vote-messages.ts";
import type { Ports } from "../../shared/ports/ports.ts";
import { loadVoteAudience } from "../../shared/use-cases/vote-audience.ts";
import { sendConcurrency } from "../send-session-reminders/handler.ts";

/** The vote closes soon → members who have not voted get a reminder, once each. */
export const createRemindVoters =
  (ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "log" | "settings">): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type !== "VoteClosingSoon") return;
    const audience = await loadVoteAudience(ports, event.organisationId, event.groupId, event.data.voteId);
    if (!audience || audience.vote.status !== "open") return;
    const { vote, group, members } = audience;
    const yet = new Set(membersYetToVote(vote, await ports.votes.listBallots(vote.organisationId, vote.id)));
    const due = members.filter((m) => yet.has(m.id));
    await pMap(
      due,
      async (member) => {
        const token = await ports.votes.ballotToken(
          {
            organisationId: vote.organisationId,
            groupId: vote.groupId,
            voteId: vote.id,
            memberId: member.id,
          },
          newBallotToken(),
        );
        await deliverOnce(
          ports.store,
          vote.organisationId,
          `vote-reminder#${vote.id}#${member.id}`,
          ports.clock.now(),
          async () =>
            ports.mailer.send(
              await voteReminderEmail(
                ports.settings,
                { vote, groupName: group.name, timeZone: group.timeZone, member },
                token,
              ),
            ),
        );
      },
      { concurrency: sendConcurrency },
    );
    ports.log.info("non-voters reminded", { voteId: vote.id, reminded: due.length });
  };
