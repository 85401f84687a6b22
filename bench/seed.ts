// Seeds the benchmark's organisation through the use cases, as the API would: G groups of M
// members, each member with one email reminder 48 hours before, and one session per group.

import pMap from "p-map";
import type { Group } from "#domain/group.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { scheduleSession } from "#use-cases/sessions/session-changes.ts";

export const reminderOffsetMinutes = 48 * 60;

/** Sessions alternate between two zones, so the reminder instants are not all the same. */
const timeZones = ["Europe/London", "America/New_York"] as const;

export interface SeededGroup {
  group: Group;
  session: Session;
  members: Member[];
}

export interface Seeded {
  organisationId: string;
  groups: SeededGroup[];
  /** The reminder instants (session start minus 48 h), earliest and latest. */
  firstReminderAt: Date;
  lastReminderAt: Date;
}

export const seed = async (
  ports: Ports,
  options: {
    groups: number;
    members: number;
    concurrency: number;
    /** Runs once the members have joined, before any session is scheduled. */
    afterMembers?: () => Promise<void>;
  },
  progress: (message: string) => void,
): Promise<Seeded> => {
  const { concurrency } = options;
  const organisation = await createOrganisation(ports, { name: "Benchmark Peer Support Network" });
  const o = organisation.id;

  const groups = await pMap(
    Array.from({ length: options.groups }, (_, g) => g),
    (g) =>
      createGroup(ports, o, {
        name: `Benchmark group ${g + 1}`,
        timeZone: timeZones[g % timeZones.length]!,
        leadershipModel: "collective",
      }),
    { concurrency },
  );

  let joined = 0;
  const total = options.groups * options.members;
  const membersOf = await pMap(
    groups,
    (group, g) =>
      pMap(
        Array.from({ length: options.members }, (_, m) => m),
        async (m) => {
          const member = await createMember(ports, o, {
            name: `Member ${g + 1}-${m + 1}`,
            // The reserved example.org domain: nothing can ever be delivered there.
            email: `member-${g + 1}-${m + 1}@example.org`,
            reminders: [{ channel: "email", offsetMinutes: reminderOffsetMinutes }],
          });
          await joinGroup(ports, o, group.id, member.id);
          if (++joined % 1000 === 0 || joined === total) progress(`seeded ${joined}/${total} members`);
          return member;
        },
        // Groups run side by side too, so in all about `concurrency` requests are in flight.
        { concurrency: Math.max(1, Math.ceil(concurrency / Math.min(concurrency, groups.length))) },
      ),
    { concurrency: Math.min(concurrency, groups.length) },
  );

  await options.afterMembers?.();

  // Eight days ahead at 19:00 in the group's zone: the facilitator's 7-day check is still to
  // come in every zone whatever the hour of the run (a week ahead, it fell due at once in
  // zones already past 19:00), and the reminders are due in about six days.
  const inEightDays = new Date(ports.clock.now().getTime() + 8 * 24 * 3600_000);
  const sessions = await pMap(
    groups,
    (group, g) => {
      const members = membersOf[g]!;
      return scheduleSession(ports, o, group.id, {
        title: "Weekly meeting",
        startLocal: `${localDateTimeAt(inEightDays, group.timeZone).slice(0, 10)}T19:00`,
        durationMinutes: 90,
        venue: { name: "Community Centre, Room 2", address: "1 High Street" },
        facilitatorMemberId: members[0]?.id,
        duties: [
          { kind: "venue-booking", holderMemberId: members[1]?.id },
          { kind: "refreshments", holderMemberId: members[2]?.id },
        ],
      });
    },
    { concurrency },
  );
  progress(`scheduled ${sessions.length} sessions`);

  const reminderAt = sessions.map(
    (s) => sessionStartInstant(s.startLocal, s.timeZone).getTime() - reminderOffsetMinutes * 60_000,
  );
  return {
    organisationId: o,
    groups: groups.map((group, g) => ({ group, session: sessions[g]!, members: membersOf[g]! })),
    firstReminderAt: new Date(reminderAt.reduce((a, b) => Math.min(a, b))),
    lastReminderAt: new Date(reminderAt.reduce((a, b) => Math.max(a, b))),
  };
};
