import type { Group } from "#domain/group.ts";
import type { Member } from "#domain/member.ts";
import type { Vote } from "#domain/vote.ts";
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
