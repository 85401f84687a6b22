import { sessionStartInstant } from "#domain/local-time.ts";
import type { Group } from "#domain/group.ts";
import { takesEmail, type Member } from "#domain/member.ts";
import { smsArrives } from "#domain/sms-failure.ts";
import { findDefinition, isVacant, type GroupRole, type RoleDefinition } from "#domain/role.ts";
import type { Series } from "#domain/series.ts";
import {
  awaitsConfirmation,
  defaultStaleAfterMonths,
  lastConfirmed,
  needsConfirmation,
} from "#domain/series-staleness.ts";
import type { Session } from "#domain/session.ts";
import type { TrainingRecord } from "#domain/training.ts";
import type { Vote } from "#domain/vote.ts";
import {
  attentionRules,
  type HealthFacts,
  type OpenVoteHealth,
  type SeriesNeedingConfirmation,
  type UpcomingSessionHealth,
  type VacantRoleHealth,
} from "./organisation-overview.ts";
import { shownExpectedVsAttended, totalOf, type ExpectedAttendanceMonth } from "./expected-attendance.ts";
import { monthsUpTo } from "./monthly-trends.ts";

/**
 * A group's health as the projection stores it (one item per group), and how it becomes the
 * overview's HealthFacts at read time. Pure.
 *
 * The snapshot has six sections, each recomputed from the store by the events that change it
 * and written with the instant its reads began; a section is never replaced by one computed
 * earlier, so concurrent or redelivered events cannot put an older picture back. What depends
 * on "now" (the next session, the 7- and 14-day rules, expiring training) is stored as
 * instants and decided at read time.
 */

export interface MembersHealth {
  count: number;
  unreachable: number;
}

export interface RolesHealth {
  vacant: VacantRoleHealth[];
  /**
   * One instant per role holder with a required training that expires: the earliest expiry
   * of their required trainings (each training's longest-lasting record counts).
   */
  trainingExpiries: string[];
}

export type OpenVoteFacts = OpenVoteHealth & { quorum: number };

export interface HealthSections {
  members: MembersHealth;
  /** The next few sessions, soonest first, so the next one is known after one has passed. */
  sessions: UpcomingSessionHealth[];
  votes: OpenVoteFacts[];
  roles: RolesHealth;
  /** The active series and when each was last confirmed; whether one needs it is decided at read time. */
  series: SeriesConfirmationHealth[];
  /** Per month, its sessions that asked for RSVPs and have attendance recorded (exact counts). */
  rsvps: ExpectedAttendanceMonth[];
}

/** An active series' confirmation: when it was last confirmed and, if unanswered, asked. */
export type SeriesConfirmationHealth = Omit<SeriesNeedingConfirmation, "askedAt"> & { askedAt?: string };

export type HealthSectionName = keyof HealthSections;
export const healthSectionNames = ["members", "sessions", "votes", "roles", "series", "rsvps"] as const;

/** A section with the instant the reads behind it began (ISO UTC). */
export interface Computed<T> {
  value: T;
  at: string;
}

export type GroupHealthSnapshot = { groupId: string } & {
  [S in HealthSectionName]?: Computed<HealthSections[S]>;
};

export type SectionWrite = {
  [S in HealthSectionName]: { name: S } & Computed<HealthSections[S]>;
}[HealthSectionName];

/** How many upcoming sessions a snapshot keeps. */
export const upcomingSessionsKept = 5;

/**
 * No channel left: email when they have an address that has not bounced or complained and
 * they take it, SMS when they have a phone number they have not unsubscribed whose texts have
 * not failed for good.
 */
export const isUnreachable = (
  member: Pick<Member, "email" | "phone" | "unsubscribed" | "emailUndeliverable" | "phoneUndeliverable">,
): boolean => {
  const email = Boolean(member.email) && takesEmail(member);
  const sms = Boolean(member.phone) && !member.unsubscribed.includes("sms") && smsArrives(member);
  return !email && !sms;
};

export const membersHealth = (members: readonly Member[]): MembersHealth => ({
  count: members.length,
  unreachable: members.filter(isUnreachable).length,
});

/** A session has a facilitator when one is named, or someone holds its facilitation duty. */
export const hasFacilitator = (session: Pick<Session, "facilitatorMemberId" | "duties">): boolean =>
  Boolean(session.facilitatorMemberId) ||
  session.duties.some((duty) => duty.kind === "facilitation" && Boolean(duty.holderMemberId));

/** Scheduled sessions starting after `now`, soonest first, at most upcomingSessionsKept. */
export const upcomingSessions = (sessions: readonly Session[], now: Date): UpcomingSessionHealth[] =>
  sessions
    .filter((session) => session.status === "scheduled")
    .map((session) => ({ session, startsAt: sessionStartInstant(session.startLocal, session.timeZone) }))
    .filter(({ startsAt }) => startsAt.getTime() > now.getTime())
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.session.id.localeCompare(b.session.id))
    .slice(0, upcomingSessionsKept)
    .map(({ session, startsAt }) => ({
      sessionId: session.id,
      startsAt: startsAt.toISOString(),
      hasFacilitator: hasFacilitator(session),
    }));

/** The open votes, soonest close first, with their ballots so far. */
export const openVotesHealth = (
  votes: readonly Vote[],
  ballotsOf: (voteId: string) => number,
): OpenVoteFacts[] =>
  votes
    .filter((vote) => vote.status === "open")
    .sort((a, b) => a.closesAt.localeCompare(b.closesAt) || a.id.localeCompare(b.id))
    .map((vote) => ({
      voteId: vote.id,
      question: vote.question,
      closesAt: vote.closesAt,
      ballots: ballotsOf(vote.id),
      eligible: vote.eligibleMemberIds.length,
      quorum: vote.quorum,
    }));

/** Holders of roles that require training: whose records the roles section needs. */
export const holdersNeedingTraining = (
  roles: readonly GroupRole[],
  catalogue: readonly RoleDefinition[],
): string[] => [
  ...new Set(
    roles
      .filter((role) => (findDefinition(catalogue, role.roleId)?.requiredTrainingIds.length ?? 0) > 0)
      .flatMap((role) => role.holders.map((holder) => holder.memberId)),
  ),
];

/**
 * Vacant roles (longest vacant first) and, per holder, the earliest expiry among the
 * trainings their roles require. A required training without any record (an admin's
 * override) is not an expiry, and a record that never expires outlasts every other.
 */
export const rolesHealth = (
  roles: readonly GroupRole[],
  catalogue: readonly RoleDefinition[],
  trainingOf: (memberId: string) => readonly TrainingRecord[],
): RolesHealth => {
  const vacant = roles
    .filter((role): role is GroupRole & { vacantSince: string } => isVacant(role) && !!role.vacantSince)
    .map((role) => {
      const definition = findDefinition(catalogue, role.roleId);
      return {
        roleId: role.roleId,
        name: definition?.name ?? role.roleId,
        critical: definition?.critical ?? false,
        vacantSince: role.vacantSince,
      };
    })
    .sort((a, b) => a.vacantSince.localeCompare(b.vacantSince) || a.roleId.localeCompare(b.roleId));

  const required = new Map<string, Set<string>>();
  for (const role of roles) {
    const trainingIds = findDefinition(catalogue, role.roleId)?.requiredTrainingIds ?? [];
    for (const holder of role.holders)
      for (const trainingId of trainingIds)
        required.set(holder.memberId, (required.get(holder.memberId) ?? new Set()).add(trainingId));
  }
  const trainingExpiries: string[] = [];
  for (const [memberId, trainingIds] of required) {
    const records = trainingOf(memberId);
    const expiries = [...trainingIds].flatMap((trainingId) => {
      const own = records.filter((record) => record.trainingId === trainingId);
      if (own.length === 0 || own.some((record) => record.expiresAt === undefined)) return [];
      return [Math.max(...own.map((record) => Date.parse(record.expiresAt!)))];
    });
    if (expiries.length > 0) trainingExpiries.push(new Date(Math.min(...expiries)).toISOString());
  }
  return { vacant, trainingExpiries: trainingExpiries.sort() };
};

/** The active series' confirmations, oldest first. */
export const seriesHealth = (series: readonly Series[]): SeriesConfirmationHealth[] =>
  series
    .filter((s) => s.status === "active")
    .map((s) => ({
      seriesId: s.id,
      lastConfirmedAt: lastConfirmed(s).toISOString(),
      ...(awaitsConfirmation(s) ? { askedAt: s.confirmationAskedAt! } : {}),
    }))
    .sort(
      (a, b) => a.lastConfirmedAt.localeCompare(b.lastConfirmedAt) || a.seriesId.localeCompare(b.seriesId),
    );

/** The series that need confirming at `now`: asked and unanswered, or stale. */
const seriesNeedingConfirmationAt = (
  series: readonly SeriesConfirmationHealth[],
  staleAfterMonths: number,
  now: Date,
): SeriesNeedingConfirmation[] =>
  series
    .filter((s) =>
      needsConfirmation(
        {
          status: "active",
          createdAt: s.lastConfirmedAt,
          updatedAt: s.lastConfirmedAt,
          ...(s.askedAt ? { confirmationAskedAt: s.askedAt } : {}),
        },
        staleAfterMonths,
        now,
      ),
    )
    .map((s) => ({ seriesId: s.seriesId, lastConfirmedAt: s.lastConfirmedAt, askedAt: s.askedAt ?? null }));

const dayMs = 86_400_000;

/**
 * A group's facts at `now`, from its group item and its snapshot (absent before the first
 * event about it: a group with nothing recorded yet). updatedAt is the newest section's
 * instant, or the group's creation.
 */
export const healthFactsAt = (
  group: Pick<Group, "id" | "name" | "timeZone" | "createdAt">,
  snapshot: GroupHealthSnapshot | undefined,
  now: Date,
  staleAfterMonths = defaultStaleAfterMonths,
): HealthFacts => {
  const horizon = now.getTime() + attentionRules.trainingWithinDays * dayMs;
  const months = monthsUpTo(now);
  const instants = healthSectionNames.flatMap((name) => (snapshot?.[name] ? [snapshot[name].at] : []));
  return {
    groupId: group.id,
    name: group.name,
    timeZone: group.timeZone,
    members: snapshot?.members?.value.count ?? 0,
    unreachableMembers: snapshot?.members?.value.unreachable ?? 0,
    nextSession:
      snapshot?.sessions?.value.find((session) => Date.parse(session.startsAt) > now.getTime()) ?? null,
    vacantRoles: snapshot?.roles?.value.vacant ?? [],
    openVotes: snapshot?.votes?.value ?? [],
    trainingExpiring:
      snapshot?.roles?.value.trainingExpiries.filter((expiry) => Date.parse(expiry) <= horizon).length ?? 0,
    seriesNeedingConfirmation: seriesNeedingConfirmationAt(
      snapshot?.series?.value ?? [],
      staleAfterMonths,
      now,
    ),
    // Shown on the organisation's dashboard: small counts hidden here, at the read.
    expectedVsAttended: shownExpectedVsAttended(
      totalOf(snapshot?.rsvps?.value ?? [], months[0]!, months.at(-1)!),
    ),
    updatedAt: instants.length > 0 ? instants.sort().at(-1)! : group.createdAt,
  };
};
