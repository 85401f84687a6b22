import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { closeAndTally } from "#use-cases/votes/vote-lifecycle.ts";

/** The closing time has come → the vote is tallied and closed (once, however often this fires). */
export const createCloseVote =
  (ports: Pick<Ports, "store" | "votes" | "clock" | "log" | "metrics">): EventHandler =>
  async (event) => {
    if (event.type !== "VoteCloseDue") return;
    const closed = await closeAndTally(
      ports,
      event.organisationId,
      event.groupId,
      event.data.voteId,
      event.correlationId,
    );
    ports.log.info("vote close due", { voteId: event.data.voteId, closedNow: closed !== undefined });
  };
