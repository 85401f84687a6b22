import { deliverOnce } from "#delivery/deliver-once.ts";
import { newBallotToken } from "#domain/ballot-token.ts";
import { emailArrives } from "#domain/member.ts";
import { ballotConfirmationEmail } from "#messages/votes/ballot-confirmation-email.ts";
import type { Ports } from "#ports/ports.ts";
import { closeAndTally } from "./vote-lifecycle.ts";

/** A ballot as BallotCast reports it; `castEventId` keys its confirmation, once per cast. */
export interface CastBallotRef {
  organisationId: string;
  groupId: string;
  voteId: string;
  memberId: string;
  replaced: boolean;
  castEventId: string;
}

/**
 * A ballot was cast → the member gets a confirmation (never repeating a secret choice), and
 * once every eligible member has voted the vote closes early. Nothing for a vote, member or
 * ballot that is gone, or a member whose email cannot arrive: undefined.
 */
export const confirmBallot = async (
  ports: Pick<Ports, "store" | "votes" | "mailer" | "clock" | "settings" | "metrics">,
  cast: CastBallotRef,
  correlationId: string,
): Promise<{ closedEarly: boolean } | undefined> => {
  const { organisationId: o, groupId: g, voteId, memberId } = cast;
  const [vote, member, group, ballot] = await Promise.all([
    ports.votes.getVote(o, g, voteId),
    ports.store.getMember(o, memberId),
    ports.store.getGroup(o, g),
    ports.votes.getBallot(o, voteId, memberId),
  ]);
  if (!vote || !member || !group || !ballot || !emailArrives(member)) return undefined;
  const token = await ports.votes.ballotToken(
    { organisationId: o, groupId: g, voteId, memberId },
    newBallotToken(),
  );
  await deliverOnce(ports.store, o, `confirm#${cast.castEventId}`, ports.clock.now(), () =>
    ports.mailer.send(
      ballotConfirmationEmail(
        ports.settings,
        { vote, groupName: group.name, timeZone: group.timeZone, member },
        token,
        ballot.optionId,
        cast.replaced,
      ),
    ),
  );
  const closed = await closeAndTally(ports, o, g, voteId, correlationId);
  return { closedEarly: closed !== undefined };
};
