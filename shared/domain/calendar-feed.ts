/**
 * How a group's sessions appear in calendar feeds. A group's public feed is off until the
 * group publishes it: its sessions are special-category data (a calendar entry titled "Bipolar
 * support group" says something about whoever has it). `neutralTitle`, when set, replaces the
 * group's name and the sessions' titles in every feed, the members' private ones too, since a
 * private calendar is often shared with family or an employer.
 */
export interface GroupFeedSettings {
  organisationId: string;
  groupId: string;
  published: boolean;
  neutralTitle?: string;
  updatedAt: string;
}

/** A group that never chose: not published, its own names shown. */
export const defaultFeedSettings = (organisationId: string, groupId: string): GroupFeedSettings => ({
  organisationId,
  groupId,
  published: false,
  updatedAt: "1970-01-01T00:00:00.000Z",
});

/** Who a private feed's token stands for: the member, across all their groups. */
export interface MemberFeedRef {
  organisationId: string;
  memberId: string;
}
