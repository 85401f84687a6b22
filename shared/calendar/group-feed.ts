import { groupEntries, type FeedPorts } from "./group-entries.ts";
import { writeFeed } from "./write-feed.ts";

/** A feed ready to serve: its text and when it last changed. */
export interface CalendarFeed {
  body: string;
  lastModified: Date;
}

/**
 * A group's public feed: every series and session of the group, with no names of people and,
 * when the group chose one, its neutral title in place of every name; undefined when the group
 * does not exist or has not published its feed.
 */
export async function groupFeed(ports: FeedPorts, o: string, g: string): Promise<CalendarFeed | undefined> {
  const entries = await groupEntries(ports, o, g);
  if (!entries?.settings.published) return undefined;
  const { group, settings, events, changedAt } = entries;
  return { body: writeFeed(settings.neutralTitle ?? group.name, events), lastModified: new Date(changedAt) };
}
