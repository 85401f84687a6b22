import { feedTokenDigest, newFeedToken } from "#calendar/feed-token.ts";
import { memberFeedPath } from "#calendar/feed-urls.ts";
import { notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";

/**
 * Gives a member of the group a new private feed URL, which replaces any earlier one (that
 * stops working at once). Its path is answered once: only its token's digest is kept.
 */
export async function issueMemberFeed(
  ports: Pick<Ports, "store" | "calendarFeeds" | "clock">,
  organisationId: string,
  groupId: string,
  memberId: string,
): Promise<{ path: string; issuedAt: string }> {
  if (!(await ports.store.isGroupMember(organisationId, groupId, memberId))) throw notFound("member");
  const token = newFeedToken();
  const issuedAt = ports.clock.now().toISOString();
  await ports.calendarFeeds.replaceMemberFeedToken(
    { organisationId, memberId },
    feedTokenDigest(token),
    issuedAt,
  );
  return { path: memberFeedPath(token), issuedAt };
}

/** Stops the member's private feed URL; not-found when there is none. */
export async function revokeMemberFeed(
  ports: Pick<Ports, "store" | "calendarFeeds">,
  organisationId: string,
  groupId: string,
  memberId: string,
): Promise<void> {
  if (!(await ports.store.isGroupMember(organisationId, groupId, memberId))) throw notFound("member");
  if (!(await ports.calendarFeeds.revokeMemberFeedToken({ organisationId, memberId })))
    throw notFound("calendar feed");
}
