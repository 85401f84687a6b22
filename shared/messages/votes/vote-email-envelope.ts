import { ballotReplyAddress } from "#domain/ballot-token.ts";
import { formatLocal } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import type { Vote } from "#domain/vote.ts";
import type { Settings } from "#ports/ports.ts";

/**
 * Who a vote email goes to and how a reply comes back: the reply address carries the member's
 * ballot token, so a plain reply is their ballot.
 */

/** One member's view of a vote, for addressing an email to them. */
export interface VoteEmailContext {
  vote: Vote;
  groupName: string;
  timeZone: string;
  member: Member;
}

export const voteEnvelope = (settings: Settings, member: Member, groupId: string, token?: string) => ({
  ...toMember(member, groupId),
  from: settings.fromAddress,
  ...(token ? { replyTo: ballotReplyAddress(token, settings.replyDomain) } : {}),
});

/** The close as the member reads it, in the group's zone. */
export const closesAtLocal = (c: Pick<VoteEmailContext, "vote" | "timeZone">): string =>
  formatLocal(new Date(c.vote.closesAt), c.timeZone);
