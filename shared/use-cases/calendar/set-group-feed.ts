import type { GroupFeedSettings } from "#domain/calendar-feed.ts";
import type { Ports } from "#ports/ports.ts";

export interface GroupFeedChoice {
  published: boolean;
  /** Null or absent: the group's own names are shown. */
  neutralTitle?: string | null;
}

/** Records whether the group publishes its feed and under which title. */
export async function setGroupFeed(
  ports: Pick<Ports, "calendarFeeds" | "clock">,
  organisationId: string,
  groupId: string,
  choice: GroupFeedChoice,
): Promise<GroupFeedSettings> {
  const settings: GroupFeedSettings = {
    organisationId,
    groupId,
    published: choice.published,
    ...(choice.neutralTitle ? { neutralTitle: choice.neutralTitle } : {}),
    updatedAt: ports.clock.now().toISOString(),
  };
  await ports.calendarFeeds.putFeedSettings(settings);
  return settings;
}
