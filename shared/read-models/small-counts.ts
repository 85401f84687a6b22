// How organisation-level views show counts of people. No imports: the dashboard uses it too.

/**
 * Counts of people under this are shown as "fewer than 3" on organisation-level views. With
 * one or two people (or none) a group's figure points at individuals: the umbrella's staff
 * could tell who came, or that nobody did. Three is the smallest that leaves a person among
 * others; a group's own organisers still see exact counts on its sessions tab.
 */
export const smallCountThreshold = 3;

/** A count too small to show: the API's `{ "fewerThan": 3 }`. */
export interface FewerThan {
  fewerThan: typeof smallCountThreshold;
}

/** A count as an organisation-level view shows it: exact from the threshold up, else hidden. */
export type ShownCount = number | FewerThan;

export const shownCount = (count: number): ShownCount =>
  count < smallCountThreshold ? { fewerThan: smallCountThreshold } : count;

export const isHidden = (count: ShownCount): count is FewerThan => typeof count !== "number";
