import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { sendBallots } from "#use-cases/votes/send-ballots.ts";

/** Vote opened → its reminder and close are scheduled, and every eligible member gets a ballot. */
export const createSendBallots =
  (
    ports: Pick<Ports, "store" | "votes" | "scheduler" | "mailer" | "clock" | "log" | "settings">,
  ): EventHandler =>
  async (event) => {
    if (event.type !== "VoteOpened") return;
    const voteId = event.data.vote.id;
    const { organisationId, groupId } = event;
    const sent = await sendBallots(ports, { organisationId, groupId, voteId }, event.correlationId);
    if (sent) ports.log.info("ballots sent", { voteId, ...sent });
  };
