import type { ActivityItem, ActivityPosition } from "#read-models/group-activity.ts";

export interface ActivityPage {
  /** Newest first. */
  items: ActivityItem[];
  /** Present when older items remain: pass it as `before` for the next page. */
  next?: ActivityPosition;
}

export interface ActivityPageRequest {
  /** At most this many items (1 to 100). */
  limit: number;
  /** Only items older than this position; absent, from the newest. */
  before?: ActivityPosition;
  /** Only items that occurred after this instant (ISO UTC): older ones have expired. */
  after: string;
}

/** A group's activity log, kept by the record-activity projection. */
export interface ActivityStore {
  /**
   * Records an item once per event: false (and nothing written) when the event's item is
   * there already, as after a redelivery.
   */
  record(organisationId: string, groupId: string, item: ActivityItem): Promise<boolean>;

  /** One page of the group's log, newest first. */
  listActivity(organisationId: string, groupId: string, page: ActivityPageRequest): Promise<ActivityPage>;
}
