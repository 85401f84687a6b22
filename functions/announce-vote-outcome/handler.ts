import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { announceVoteOutcome } from "#use-cases/votes/announce-vote-outcome.ts";

/** Vote closed or cancelled → every eligible member hears the outcome (counts only, no voters). */
export const createAnnounceVoteOutcome =
  (ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "log" | "settings">): EventHandler =>
  async (event) => {
    if (event.type !== "VoteClosed" && event.type !== "VoteCancelled") return;
    const { voteId } = event.data;
    const ending =
      event.type === "VoteClosed"
        ? { kind: "closed" as const }
        : { kind: "cancelled" as const, reason: event.data.reason };
    const ref = { organisationId: event.organisationId, groupId: event.groupId, voteId };
    const announced = await announceVoteOutcome(ports, ref, ending);
    if (announced) ports.log.info("vote outcome announced", { voteId, ...announced });
  };
