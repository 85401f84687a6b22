import { feedTokenDigest, isFeedToken } from "./feed-token.ts";
import { groupEntries, type FeedPorts } from "./group-entries.ts";
import type { CalendarFeed } from "./group-feed.ts";
import { writeFeed } from "./write-feed.ts";

/**
 * A member's private feed: the sessions of every group the member belongs to now, whether or
 * not the group publishes its own feed, each group named as its settings say. Undefined when
 * the token was never issued, was replaced or revoked, or its member is gone.
 */
export async function memberFeed(ports: FeedPorts, token: string): Promise<CalendarFeed | undefined> {
  if (!isFeedToken(token)) return undefined;
  const ref = await ports.calendarFeeds.resolveMemberFeedToken(feedTokenDigest(token));
  if (!ref || !(await ports.store.getMember(ref.organisationId, ref.memberId))) return undefined;
  const groupIds = await ports.store.listMemberGroupIds(ref.organisationId, ref.memberId);
  const groups = await Promise.all(groupIds.map((g) => groupEntries(ports, ref.organisationId, g)));
  const present = groups.filter((entries) => entries !== undefined);
  return {
    body: writeFeed(
      "My groups",
      present.flatMap((entries) => entries.events),
    ),
    lastModified: new Date(Math.max(0, ...present.map((entries) => entries.changedAt))),
  };
}
