import type { ActivityPage } from "#ports/activity-store.ts";
import type { Ports } from "#ports/ports.ts";
import { oldestKeptAt, type ActivityPosition } from "#read-models/group-activity.ts";

/** One page of a group's log, newest first, without what has expired. Authorise first. */
export const readGroupActivity = (
  { activity, clock }: Pick<Ports, "activity" | "clock">,
  organisationId: string,
  groupId: string,
  page: { limit: number; before?: ActivityPosition },
): Promise<ActivityPage> =>
  activity.listActivity(organisationId, groupId, { ...page, after: oldestKeptAt(clock.now()) });
