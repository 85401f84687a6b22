import { newBallotToken } from "#domain/ballot-token.ts";
import type { Group } from "#domain/group.ts";
import { emailArrives, type Member } from "#domain/member.ts";
import type { Vote } from "#domain/vote.ts";
import type { VoteEmailContext } from "#messages/votes/vote-email-envelope.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Ports } from "#ports/ports.ts";
import { deliverEach, deliverOnce } from "./deliver-once.ts";

/**
 * Sends one email per member that carries their ballot token in its Reply-To (a ballot or a
 * reminder to vote): the token is created once, and each email is sent once per `purpose`.
 */
export const sendWithBallotToken = async (
  ports: Pick<Ports, "store" | "votes" | "mailer" | "clock">,
  { vote, group }: { vote: Vote; group: Group },
  members: readonly Member[],
  purpose: string,
  render: (context: VoteEmailContext, token: string) => Promise<OutgoingEmail>,
): Promise<void> => {
  await deliverEach(
    // Mail to an address that bounced or complained cannot arrive: none is sent.
    members.filter(emailArrives),
    async (member) => {
      const ref = {
        organisationId: vote.organisationId,
        groupId: vote.groupId,
        voteId: vote.id,
        memberId: member.id,
      };
      const token = await ports.votes.ballotToken(ref, newBallotToken());
      await deliverOnce(
        ports.store,
        vote.organisationId,
        `${purpose}#${vote.id}#${member.id}`,
        ports.clock.now(),
        async () =>
          ports.mailer.send(
            await render({ vote, groupName: group.name, timeZone: group.timeZone, member }, token),
          ),
      );
    },
  );
};
