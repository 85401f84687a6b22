// The organisation overview: the answer of
// GET /api/v1/organisations/{organisationId}/overview, and the pure rules that decide which
// groups need help. The web app builds against these types, so they change only by agreement.
// No imports but types from import-free files: this file must stay usable in the browser as
// well as on Lambda.

import type { FewerThan, ShownCount } from "./small-counts.ts";

export type AttentionLevel = "urgent" | "warning" | "ok";

export interface Attention {
  level: AttentionLevel;
  /** Short sentences, most pressing first; never a name, an address or a vote's question. */
  reasons: string[];
}

export interface UpcomingSessionHealth {
  sessionId: string;
  /** ISO UTC instant. */
  startsAt: string;
  hasFacilitator: boolean;
}

export interface VacantRoleHealth {
  roleId: string;
  /** The catalogue's name of the role. */
  name: string;
  critical: boolean;
  /** ISO UTC instant. */
  vacantSince: string;
}

export interface OpenVoteHealth {
  voteId: string;
  question: string;
  /** ISO UTC instant. */
  closesAt: string;
  ballots: number;
  eligible: number;
}

/** A series of sessions nobody has confirmed for its staleness period, or whose "still meeting?" awaits an answer. */
export interface SeriesNeedingConfirmation {
  seriesId: string;
  /** ISO UTC instant: when a coordinator last confirmed it (its creation, an edit or a "yes"). */
  lastConfirmedAt: string;
  /** ISO UTC instant of the unanswered "still meeting?"; null when not asked yet. */
  askedAt: string | null;
}

/**
 * Sessions that asked for RSVPs and have their attendance recorded: how many said yes against
 * how many came. Counts of people under 3 read `{ "fewerThan": 3 }` (small-counts.ts), so a
 * small group's attendance cannot be read off the organisation's dashboard.
 */
export interface ExpectedVsAttended {
  sessions: number;
  expected: ShownCount;
  attended: ShownCount;
}

export interface GroupHealth {
  groupId: string;
  name: string;
  timeZone: string;
  members: number;
  /** Unsubscribed from every channel they have, or no channel at all. */
  unreachableMembers: number;
  nextSession: UpcomingSessionHealth | null;
  vacantRoles: VacantRoleHealth[];
  openVotes: OpenVoteHealth[];
  /** Role holders whose required training expires within 30 days (or has expired). */
  trainingExpiring: number;
  /** The group's series that need a coordinator to say whether the group still meets on them. */
  seriesNeedingConfirmation: SeriesNeedingConfirmation[];
  /** Over the 12 months of the trends; null when no such session was held. */
  expectedVsAttended: ExpectedVsAttended | null;
  /** Computed at read time ("now"). */
  attention: Attention;
  /** ISO UTC instant: when the newest part of this group's figures was computed. */
  updatedAt: string;
}

export interface MonthTrend {
  /** "YYYY-MM". */
  month: string;
  sessionsHeld: number;
  /**
   * Mean headcount of the month's sessions whose attendance was recorded; null when none was;
   * `{ "fewerThan": 3 }` when fewer than 3 people came in all (the mean would tell how many).
   */
  attendance: number | FewerThan | null;
  /** Ballots over eligible members of the votes closed that month; null when none closed. */
  voteTurnout: number | null;
  /** Role places vacated that month (a holder stepped down, left the group or ended a term). */
  vacancies: number;
  /** The month's sessions, every group's together; null when no such session was held. */
  expectedVsAttended: ExpectedVsAttended | null;
}

export interface OrganisationOverview {
  organisationId: string;
  generatedAt: string;
  /** Sorted, needing help first. */
  groups: GroupHealth[];
  /** The last 12 months, oldest first. */
  trends: MonthTrend[];
}

/**
 * What attention is decided from: a group's health before its attention, plus each open vote's
 * quorum (the response does not carry it).
 */
export type HealthFacts = Omit<GroupHealth, "attention" | "openVotes"> & {
  openVotes: (OpenVoteHealth & { quorum: number })[];
};

/** The thresholds of the attention rules, in one place. */
export const attentionRules = {
  /** Urgent: the next session starts within this many days and has no facilitator. */
  facilitatorWithinDays: 7,
  /** Urgent: a critical role has been vacant this many days or more. */
  criticalVacantDays: 14,
  /** Warning: an open vote under its quorum closes within this many hours (or is past its close). */
  voteClosingWithinHours: 48,
  /** Warning (and trainingExpiring): a holder's required training expires within this many days. */
  trainingWithinDays: 30,
} as const;

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * One thing wrong with a group. Concerns compare by level, then kind (`rank`, lower is more
 * pressing), then `order` within the kind (lower is more pressing).
 */
interface Concern {
  level: "urgent" | "warning";
  rank: number;
  order: number;
  reason: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const vacancyReason = (role: VacantRoleHealth, now: Date, critical: boolean): string => {
  const days = Math.floor((now.getTime() - Date.parse(role.vacantSince)) / dayMs);
  const name = critical ? `${role.name} (critical)` : role.name;
  return days < 1 ? `${name} became vacant today` : `${name} has been vacant for ${plural(days, "day")}`;
};

const sessionReason = (startsAtMs: number, now: Date): string => {
  const untilMs = startsAtMs - now.getTime();
  return untilMs < dayMs
    ? "The next session starts within 24 hours and has no facilitator"
    : `The next session starts in ${plural(Math.floor(untilMs / dayMs), "day")} and has no facilitator`;
};

const voteReason = (vote: HealthFacts["openVotes"][number], now: Date): string => {
  const untilMs = Date.parse(vote.closesAt) - now.getTime();
  const when =
    untilMs <= 0
      ? "A vote past its closing time"
      : untilMs < hourMs
        ? "A vote closing within the hour"
        : `A vote closing in ${plural(Math.floor(untilMs / hourMs), "hour")}`;
  const needed = Math.ceil(vote.quorum * vote.eligible);
  return `${when} has ${vote.ballots} of ${vote.eligible} ballots; its quorum needs ${needed}`;
};

/**
 * Everything that needs attention in a group at `now`, most pressing first.
 * Urgent:
 * 1. the next session starts within 7 days and has no facilitator (sooner first);
 * 2. a critical role has been vacant 14 days or more (longest vacant first).
 * Warning:
 * 3. an open vote whose turnout is under its quorum closes within 48 hours, or is past its
 *    close and not closed yet (soonest close first);
 * 4. any other vacancy: critical roles vacant under 14 days, then the rest (longest first);
 * 5. role holders whose required training expires within 30 days or has expired;
 * 6. members who cannot be reached on any channel;
 * 7. series of sessions nobody has confirmed for their staleness period ("still meeting?").
 */
function concernsOf(facts: HealthFacts, now: Date): Concern[] {
  const rules = attentionRules;
  const concerns: Concern[] = [];
  const next = facts.nextSession;
  if (next && !next.hasFacilitator) {
    const startsAtMs = Date.parse(next.startsAt);
    const untilMs = startsAtMs - now.getTime();
    if (untilMs > 0 && untilMs <= rules.facilitatorWithinDays * dayMs)
      concerns.push({ level: "urgent", rank: 0, order: startsAtMs, reason: sessionReason(startsAtMs, now) });
  }
  for (const role of facts.vacantRoles) {
    const sinceMs = Date.parse(role.vacantSince);
    const long = now.getTime() - sinceMs >= rules.criticalVacantDays * dayMs;
    if (role.critical && long)
      concerns.push({ level: "urgent", rank: 1, order: sinceMs, reason: vacancyReason(role, now, true) });
    else
      concerns.push({
        level: "warning",
        rank: role.critical ? 1 : 2,
        order: sinceMs,
        reason: vacancyReason(role, now, role.critical),
      });
  }
  for (const vote of facts.openVotes) {
    const closesAtMs = Date.parse(vote.closesAt);
    const underQuorum = vote.eligible > 0 && vote.ballots / vote.eligible < vote.quorum;
    if (underQuorum && closesAtMs - now.getTime() <= rules.voteClosingWithinHours * hourMs)
      concerns.push({ level: "warning", rank: 0, order: closesAtMs, reason: voteReason(vote, now) });
  }
  if (facts.trainingExpiring > 0)
    concerns.push({
      level: "warning",
      rank: 3,
      order: -facts.trainingExpiring,
      reason: `${facts.trainingExpiring === 1 ? "1 role holder's" : `${facts.trainingExpiring} role holders'`} required training expires within ${rules.trainingWithinDays} days or has expired`,
    });
  if (facts.unreachableMembers > 0)
    concerns.push({
      level: "warning",
      rank: 4,
      order: -facts.unreachableMembers,
      reason: `${plural(facts.unreachableMembers, "member")} cannot be reached on any channel`,
    });
  const unconfirmed = facts.seriesNeedingConfirmation.length;
  if (unconfirmed > 0)
    concerns.push({
      level: "warning",
      rank: 5,
      order: -unconfirmed,
      reason: `${plural(unconfirmed, "series", "series")} of sessions ${unconfirmed === 1 ? "needs" : "need"} a coordinator to confirm the group still meets`,
    });
  return concerns.sort(compareConcerns);
}

const levelRank: Record<AttentionLevel, number> = { urgent: 0, warning: 1, ok: 2 };

function compareConcerns(a: Concern, b: Concern): number {
  return levelRank[a.level] - levelRank[b.level] || a.rank - b.rank || a.order - b.order;
}

const attentionFrom = (concerns: readonly Concern[]): Attention => ({
  level: concerns[0]?.level ?? "ok",
  reasons: concerns.map((c) => c.reason),
});

/** The group's attention at `now`: its most pressing concern's level, and every reason. */
export function attentionOf(facts: HealthFacts, now: Date): Attention {
  return attentionFrom(concernsOf(facts, now));
}

/**
 * Every group with its attention at `now`, needing help first: urgent, then warning, then ok.
 * Within a level, the group whose most pressing concern is more pressing comes first (a
 * session without a facilitator before a long vacancy; the sooner session, the longer
 * vacancy, the sooner close first); then the group with more concerns; then by name.
 */
export function sortByNeed(groups: readonly HealthFacts[], now: Date): GroupHealth[] {
  return groups
    .map((facts) => ({ facts, concerns: concernsOf(facts, now) }))
    .sort((a, b) => {
      const [first, second] = [a.concerns[0], b.concerns[0]];
      if (first && second) {
        const byConcern = compareConcerns(first, second);
        if (byConcern !== 0) return byConcern;
      } else if (first || second) return first ? -1 : 1;
      return (
        b.concerns.length - a.concerns.length ||
        a.facts.name.localeCompare(b.facts.name) ||
        a.facts.groupId.localeCompare(b.facts.groupId)
      );
    })
    .map(({ facts, concerns }) => ({
      ...facts,
      openVotes: facts.openVotes.map(({ quorum: _quorum, ...vote }) => vote),
      attention: attentionFrom(concerns),
    }));
}
