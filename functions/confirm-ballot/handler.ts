import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { confirmBallot } from "#use-cases/votes/confirm-ballot.ts";

/**
 * Ballot cast → the member gets a confirmation (never repeating a secret choice), and once
 * every eligible member has voted the vote closes early.
 */
export const createConfirmBallot =
  (
    ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "log" | "settings" | "metrics">,
  ): EventHandler =>
  async (event) => {
    if (event.type !== "BallotCast") return;
    const { organisationId, groupId, id: castEventId } = event;
    const { voteId, memberId, replaced } = event.data;
    const cast = { organisationId, groupId, voteId, memberId, replaced, castEventId };
    const confirmed = await confirmBallot(ports, cast, event.correlationId);
    if (confirmed?.closedEarly) ports.log.info("vote closed early: everyone voted", { voteId });
  };
