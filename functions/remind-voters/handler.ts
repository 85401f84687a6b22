import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { remindVoters } from "#use-cases/votes/remind-voters.ts";

/** The vote closes soon → members who have not voted get a reminder, once each. */
export const createRemindVoters =
  (ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "log" | "settings">): EventHandler =>
  async (event) => {
    if (event.type !== "VoteClosingSoon") return;
    const { voteId } = event.data;
    const reminded = await remindVoters(ports, {
      organisationId: event.organisationId,
      groupId: event.groupId,
      voteId,
    });
    if (reminded) ports.log.info("non-voters reminded", { voteId, ...reminded });
  };
