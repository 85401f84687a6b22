import { emailArrives } from "#domain/member.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { deliverOnce, deliverEach } from "#delivery/deliver-once.ts";
import { voteCancelledEmail, voteResultEmail } from "#messages/vote-messages.ts";
import type { Ports } from "#ports/ports.ts";
import { loadVoteAudience } from "#use-cases/vote-audience.ts";

/** Vote closed or cancelled → every eligible member hears the outcome (counts only, no voters). */
export const createAnnounceVoteOutcome =
  (ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "log" | "settings">): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type !== "VoteClosed" && event.type !== "VoteCancelled") return;
    const audience = await loadVoteAudience(ports, event.organisationId, event.groupId, event.data.voteId);
    if (!audience) return;
    const { vote, group, members } = audience;
    const reason = event.type === "VoteCancelled" ? event.data.reason : undefined;
    await deliverEach(members.filter(emailArrives), (member) =>
      deliverOnce(
        ports.store,
        vote.organisationId,
        `vote-outcome#${vote.id}#${member.id}`,
        ports.clock.now(),
        () => {
          const context = { vote, groupName: group.name, timeZone: group.timeZone, member };
          return ports.mailer.send(
            event.type === "VoteClosed"
              ? voteResultEmail(ports.settings, context)
              : voteCancelledEmail(ports.settings, context, reason),
          );
        },
      ),
    );
    ports.log.info("vote outcome announced", {
      voteId: vote.id,
      status: vote.status,
      recipients: members.length,
    });
  };
