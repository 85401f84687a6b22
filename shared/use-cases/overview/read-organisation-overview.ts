import { healthFactsAt } from "#read-models/group-health.ts";
import { monthlyTrends, monthsUpTo } from "#read-models/monthly-trends.ts";
import { sortByNeed, type OrganisationOverview } from "#read-models/organisation-overview.ts";
import type { Ports } from "#ports/ports.ts";

/**
 * An umbrella admin's overview of every group of the organisation, from the
 * aggregates the track-group-health projection keeps: nothing is computed by scanning.
 * 1. Two queries side by side: the organisation's group items, and its overview partition
 *    (every group's health item, then the trend items up to this month). Each is one page up
 *    to 1 MB, about 1,400 groups' health; more groups take more pages, never a scan.
 * 2. Each group's figures and attention at `now` (next session, 7- and 14-day rules,
 *    expiring training), needing help first.
 * 3. The 12 months oldest first, a month without counters as zero; expected against attended
 *    added up from every group's health. Counts of people under 3 are hidden (small-counts.ts).
 * The caller has authorised the organisation; an organisation without groups gets an empty list.
 */
export const readOrganisationOverview = async (
  { overview }: Pick<Ports, "overview">,
  organisationId: string,
  now: Date,
): Promise<OrganisationOverview> => {
  const months = monthsUpTo(now);
  const { groups, trends } = await overview.readOverview(organisationId, months[0]!, months.at(-1)!);
  return {
    organisationId,
    generatedAt: now.toISOString(),
    groups: sortByNeed(
      groups.map(({ group, snapshot }) => healthFactsAt(group, snapshot, now)),
      now,
    ),
    trends: monthlyTrends(
      trends,
      now,
      groups.flatMap(({ snapshot }) => snapshot?.rsvps?.value ?? []),
    ),
  };
};
