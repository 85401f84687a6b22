import type { GroupFeedSettings, MemberFeedRef } from "#domain/calendar-feed.ts";
import type { Session } from "#domain/session.ts";

/**
 * What calendar feeds read and keep: each group's feed settings, the members' private feed
 * tokens (stored as digests only: the table never holds a URL that works), and a group's
 * sessions for its feed.
 */
export interface CalendarFeedStore {
  /** Undefined when the group never chose (defaultFeedSettings applies). */
  getFeedSettings(organisationId: string, groupId: string): Promise<GroupFeedSettings | undefined>;
  /** Writes the settings; not-found when the group is gone. */
  putFeedSettings(settings: GroupFeedSettings): Promise<void>;
  /**
   * Makes `tokenDigest` the member's one feed token, removing the one before (its URL stops
   * working in the same transaction); not-found when the member is gone.
   */
  replaceMemberFeedToken(ref: MemberFeedRef, tokenDigest: string, issuedAt: string): Promise<void>;
  /** Removes the member's feed token, if any: its URL stops working. Answers whether there was one. */
  revokeMemberFeedToken(ref: MemberFeedRef): Promise<boolean>;
  /** Whose feed a token digest opens, or undefined (never issued, rotated or revoked). */
  resolveMemberFeedToken(tokenDigest: string): Promise<MemberFeedRef | undefined>;
  /**
   * The group's sessions, cancelled ones too (a feed shows a cancellation), that start on or
   * after the local date `fromDate` ("YYYY-MM-DD").
   */
  listFeedSessions(organisationId: string, groupId: string, fromDate: string): Promise<Session[]>;
}
