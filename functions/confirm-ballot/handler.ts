import { emailArrives } from "#domain/member.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { deliverOnce } from "#delivery/deliver-once.ts";
import { newBallotToken } from "#domain/ballot-token.ts";
import { ballotConfirmationEmail } from "#messages/vote-messages.ts";
import type { Ports } from "#ports/ports.ts";
import { closeAndTally } from "#use-cases/votes.ts";

/**
 * Ballot cast → the member gets a confirmation (never repeating a secret choice), and once
 * every eligible member has voted the vote closes early.
 */
export const createConfirmBallot =
  (ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "log" | "settings">): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type !== "BallotCast") return;
    const { voteId, memberId, replaced } = event.data;
    const o = event.organisationId;
    const [vote, member, group, ballot] = await Promise.all([
      ports.votes.getVote(o, event.groupId, voteId),
      ports.store.getMember(o, memberId),
      ports.store.getGroup(o, event.groupId),
      ports.votes.getBallot(o, voteId, memberId),
    ]);
    if (!vote || !member || !group || !ballot || !emailArrives(member)) return;
    const token = await ports.votes.ballotToken(
      { organisationId: o, groupId: event.groupId, voteId, memberId },
      newBallotToken(),
    );
    await deliverOnce(ports.store, o, `confirm#${event.id}`, ports.clock.now(), () =>
      ports.mailer.send(
        ballotConfirmationEmail(
          ports.settings,
          { vote, groupName: group.name, timeZone: group.timeZone, member },
          token,
          ballot.optionId,
          replaced,
        ),
      ),
    );
    const closed = await closeAndTally(ports, o, event.groupId, voteId, event.correlationId);
    if (closed) ports.log.info("vote closed early: everyone voted", { voteId });
  };
