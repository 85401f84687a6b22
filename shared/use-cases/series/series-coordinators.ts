import type { Group } from "#domain/group.ts";
import { emailArrives, type Member } from "#domain/member.ts";
import type { Ports } from "#ports/ports.ts";

/** Who answers for a group's series: its coordinators, and its designated leader. */
const coordinatorIds = (group: Group): string[] => [
  ...new Set([
    ...(group.coordinatorMemberIds ?? []),
    ...(group.leaderMemberId ? [group.leaderMemberId] : []),
  ]),
];

export const isSeriesCoordinator = (group: Group, memberId: string): boolean =>
  coordinatorIds(group).includes(memberId);

/** The group's coordinators whom email can reach. */
export const seriesCoordinators = async (deps: Pick<Ports, "store">, group: Group): Promise<Member[]> =>
  (
    await Promise.all(coordinatorIds(group).map((id) => deps.store.getMember(group.organisationId, id)))
  ).filter((m): m is Member => m !== undefined && emailArrives(m));
