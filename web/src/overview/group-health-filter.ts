import type { AttentionLevel, GroupHealth } from "#read-models/organisation-overview.ts";

export interface GroupHealthFilter {
  level: AttentionLevel | "all";
  /** Words to find in a group's name, its reasons for attention or its vacant roles. */
  search: string;
  onlyVacancies: boolean;
}

export const noFilter: GroupHealthFilter = { level: "all", search: "", onlyVacancies: false };

const rank: Record<AttentionLevel, number> = { urgent: 0, warning: 1, ok: 2 };

const text = (g: GroupHealth) =>
  [g.name, ...g.attention.reasons, ...g.vacantRoles.map((r) => r.name)].join(" ").toLocaleLowerCase();

/**
 * The groups to show, needing help first: the API's order within each level of attention is
 * kept, and every search word must appear somewhere in the group's text.
 */
export const filterGroups = (groups: readonly GroupHealth[], filter: GroupHealthFilter): GroupHealth[] => {
  const words = filter.search.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return groups
    .filter((g) => filter.level === "all" || g.attention.level === filter.level)
    .filter((g) => !filter.onlyVacancies || g.vacantRoles.length > 0)
    .filter((g) => words.every((w) => text(g).includes(w)))
    .map((g, index) => ({ g, index }))
    .sort((a, b) => rank[a.g.attention.level] - rank[b.g.attention.level] || a.index - b.index)
    .map(({ g }) => g);
};

/** How many groups are at each level of attention. */
export const countByLevel = (groups: readonly GroupHealth[]): Record<AttentionLevel, number> => {
  const counts = { urgent: 0, warning: 0, ok: 0 };
  for (const g of groups) counts[g.attention.level]++;
  return counts;
};
