import type { Group } from "#domain/group.ts";
import type { GroupHealthSnapshot, SectionWrite } from "#read-models/group-health.ts";
import type { TrendCounts, TrendDelta } from "#read-models/monthly-trends.ts";

/** A group of the organisation with its health snapshot; none before the first event about it. */
export interface GroupWithHealth {
  group: Group;
  snapshot?: GroupHealthSnapshot;
}

export interface OverviewData {
  groups: GroupWithHealth[];
  trends: TrendCounts[];
}

/**
 * The aggregates behind the organisation overview, kept by the track-group-health
 * projection and read by the overview in two queries, whatever the number of groups.
 */
export interface OverviewStore {
  /**
   * Replaces one section of a group's health snapshot, unless the stored section was computed
   * later (`at`): then nothing is written and it returns false. At the same instant the later
   * write wins, so a redelivered event recomputes even on a clock that stands still.
   */
  putHealthSection(organisationId: string, groupId: string, section: SectionWrite): Promise<boolean>;

  /**
   * Adds an event's deltas to the monthly counters, once per event id, in one transaction with
   * the record that it was counted. Returns false (and adds nothing) for an event counted before.
   */
  addToTrends(
    organisationId: string,
    eventId: string,
    deltas: readonly TrendDelta[],
    now: Date,
  ): Promise<boolean>;

  /**
   * Every group of the organisation with its snapshot, and the monthly counters from
   * `fromMonth` to `toMonth` ("YYYY-MM", inclusive): two queries side by side, each one page
   * up to 1 MB (the groups; the health and trend items).
   */
  readOverview(organisationId: string, fromMonth: string, toMonth: string): Promise<OverviewData>;
}
