import { defaultFeedSettings, type GroupFeedSettings } from "#domain/calendar-feed.ts";
import type { Group } from "#domain/group.ts";
import type { Ports } from "#ports/ports.ts";
import { feedEvents, type FeedEvent } from "./feed-events.ts";

/** What building a feed reads. */
export type FeedPorts = Pick<Ports, "store" | "series" | "calendarFeeds" | "clock">;

/** How far back a feed keeps sessions that are not a series' own (moved, cancelled, one-off). */
export const feedHistoryDays = 92;

export interface GroupEntries {
  group: Group;
  settings: GroupFeedSettings;
  events: FeedEvent[];
  /** The latest change among them (Last-Modified). */
  changedAt: number;
}

/** One group's entries for a feed, named as its settings say; undefined when the group is gone. */
export async function groupEntries(
  ports: FeedPorts,
  o: string,
  g: string,
): Promise<GroupEntries | undefined> {
  const since = new Date(ports.clock.now().getTime() - feedHistoryDays * 86_400_000);
  const [group, stored, series, sessions] = await Promise.all([
    ports.store.getGroup(o, g),
    ports.calendarFeeds.getFeedSettings(o, g),
    ports.series.listSeries(o, g),
    ports.calendarFeeds.listFeedSessions(o, g, since.toISOString().slice(0, 10)),
  ]);
  if (!group) return undefined;
  const settings = stored ?? defaultFeedSettings(o, g);
  const events = feedEvents(series, sessions, {
    groupName: group.name,
    ...(settings.neutralTitle !== undefined ? { neutralTitle: settings.neutralTitle } : {}),
  });
  const changedAt = Math.max(
    Date.parse(group.createdAt),
    Date.parse(settings.updatedAt),
    ...events.map((e) => Date.parse(e.stamp)),
  );
  return { group, settings, events, changedAt };
}
