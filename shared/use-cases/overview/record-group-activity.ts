import type { ConveneEvent } from "#events/catalogue.ts";
import type { Ports } from "#ports/ports.ts";
import { activityOf, oldestKeptAt } from "#read-models/group-activity.ts";

export type ActivityRecorded = { recorded: boolean } | { recorded: false; expired: true };

/**
 * The activity projection's use case:
 * 1. the event's item (activityOf); an event the log does not record gives undefined;
 * 2. an event older than the log keeps (a replay from the archive) is not written;
 * 3. otherwise the item is written once, keyed by the event's instant and id, so a
 *    redelivery writes nothing and events arriving out of order still sort by when they occurred.
 */
export const recordActivity = async (
  { activity, clock }: Pick<Ports, "activity" | "clock">,
  event: ConveneEvent,
): Promise<ActivityRecorded | undefined> => {
  const item = activityOf(event);
  if (!item) return undefined;
  if (item.occurredAt <= oldestKeptAt(clock.now())) return { recorded: false, expired: true };
  return { recorded: await activity.record(event.organisationId, event.groupId, item) };
};
