import type { Group } from "#domain/group.ts";
import { emailArrives, type Member } from "#domain/member.ts";
import type { Vote } from "#domain/vote.ts";
import { deliverOnce, deliverEach } from "#delivery/deliver-once.ts";
import { newBallotToken } from "#domain/ballot-token.ts";
import type { VoteEmailContext } from "#messages/vote-messages.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Ports } from "#ports/ports.ts";

export interface VoteAudience {
  vote: Vote;
  group: Group;
  /** The eligible members who are still members of the organisation, in eligibility order. */
  members: Member[];
}

/** A vote with its group and the eligible members' contact details, for sending to them. */
export const loadVoteAudience = async (
  { store, votes }: Pick<Ports, "store" | "votes">,
  organisationId: string,
  groupId: string,
  voteId: string,
): Promise<VoteAudience | undefined> => {
  const [vote, group] = await Promise.all([
    votes.getVote(organisationId, groupId, voteId),
    store.getGroup(organisationId, groupId),
  ]);
  if (!vote || !group) return undefined;
  const groupMembers = new Map((await store.listGroupMembers(organisationId, groupId)).map((m) => [m.id, m]));
  const missing = vote.eligibleMemberIds.filter((id) => !groupMembers.has(id));
  // Someone who left the group after the vote opened is still eligible.
  const others = await Promise.all(missing.map((id) => store.getMember(organisationId, id)));
  for (const m of others) if (m) groupMembers.set(m.id, m);
  const members = vote.eligibleMemberIds.flatMap((id) => groupMembers.get(id) ?? []);
  return { vote, group, members };
};

/**
 * Sends one email per member that carries their ballot token in its Reply-To (a ballot or a
 * reminder to vote): the token is created once, and each email is sent once per `purpose`.
 */
export const sendWithBallotToken = async (
  ports: Pick<Ports, "store" | "votes" | "mailer" | "clock">,
  { vote, group }: Pick<VoteAudience, "vote" | "group">,
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
