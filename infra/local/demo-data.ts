import type { Ports } from "#ports/ports.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { recordAttendance } from "#use-cases/sessions/session-changes.ts";
import { createSeries } from "#use-cases/series/create-series.ts";
import { extendSeriesWindow } from "#use-cases/series/extend-series-window.ts";
import {
  assignRole,
  recordTraining,
  setLeadership,
  stepDownFromRole,
  takeUpRole,
  volunteerFor,
} from "#use-cases/roles/role-holders.ts";
import { localDateTimeAt } from "#domain/local-time.ts";

export const demoOrganisationId = "demo";

/** Headcounts of the past sessions, oldest first; drop-in visitors count, so some exceed the members. */
const headcounts = [6, 8, 5, 7, 9];
const weekMs = 7 * 86_400_000;

/**
 * How each group (by its place in `groups`) meets, at 19:00 on its own clock: the two London
 * groups every week, Brooklyn on the last Sunday of the month.
 */
const meetings = [
  { title: "Weekly meeting", rrule: "FREQ=WEEKLY" },
  { title: "Weekly meeting", rrule: "FREQ=WEEKLY" },
  { title: "Monthly meeting", rrule: "FREQ=MONTHLY;BYDAY=-1SU" },
] as const;

const groups = [
  { name: "Riverside Carers' Circle", timeZone: "Europe/London", leadershipModel: "collective" as const },
  { name: "Harbour Lights Recovery", timeZone: "Europe/London", leadershipModel: "designated" as const },
  {
    name: "Brooklyn Mental Health Peer Group",
    timeZone: "America/New_York",
    leadershipModel: "rotating" as const,
  },
];

const people = [
  ["Amira Hassan", [{ channel: "email", offsetMinutes: 2880 }]],
  [
    "Ben Okafor",
    [
      { channel: "email", offsetMinutes: 2880 },
      { channel: "sms", offsetMinutes: 120 },
    ],
  ],
  ["Chloe Martin", [{ channel: "sms", offsetMinutes: 180 }]],
  ["Dev Patel", [{ channel: "email", offsetMinutes: 1440 }]],
] as const;

/**
 * The demo organisation that `npm start` seeds once: three groups (two in London, one in New
 * York) formed eight weeks ago, four members each with different reminder preferences, and a
 * series each since then (seedSeries): weekly in London, six sessions held and this week's
 * skipped; monthly on the last Sunday in New York.
 * Addresses use the reserved example.org domain; phone numbers the UK's drama range.
 */
export const seedDemo = async (ports: Ports): Promise<"seeded" | "present"> => {
  if (await ports.store.getOrganisation(demoOrganisationId)) return "present";
  await createOrganisation(ports, {
    id: demoOrganisationId,
    name: "Northfield Peer Support Network",
    alertEmails: ["umbrella-admins@example.org"],
  });
  // The groups and their members date from eight weeks ago, before the past sessions; the
  // clock moves a second at each reading there, so the log keeps the order things happened in.
  const eightWeeksAgo = ports.clock.now().getTime() - 8 * weekMs;
  let readings = 0;
  const then = { ...ports, clock: { now: () => new Date(eightWeeksAgo + readings++ * 1000) } };
  let n = 0;
  for (const groupInput of groups) {
    const group = await createGroup(then, demoOrganisationId, groupInput);
    const memberIds: string[] = [];
    for (const [name, reminders] of people) {
      n++;
      const member = await createMember(then, demoOrganisationId, {
        name,
        email: `${name.split(" ")[0]!.toLowerCase()}.${n}@example.org`,
        phone: `+44770090${String(n).padStart(4, "0")}`,
        reminders: reminders.map((r) => ({ ...r })),
        quietHours: { start: "21:00", end: "08:00" },
      });
      await joinGroup(then, demoOrganisationId, group.id, member.id);
      memberIds.push(member.id);
    }
    await seedRoles(ports, group.id, memberIds, groupInput === groups[0]);
    if (groupInput === groups[2]) await seedUnreachableTreasurer(ports, then, group.id);
    await seedSeries(ports, then, group.id, group.timeZone, memberIds, groups.indexOf(groupInput));
  }
  return "seeded";
};

/** "YYYY-MM-DD" moved by whole days on the calendar. */
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The first date after `date` that is the last Sunday of its month. */
const lastSundayAfter = (date: string): string => {
  let day = addDays(date, 1);
  while (new Date(`${day}T00:00Z`).getUTCDay() !== 0 || addDays(day, 7).slice(5, 7) === day.slice(5, 7))
    day = addDays(day, 1);
  return day;
};

/**
 * The group's series, made through createSeries when the group formed (the `then` clock):
 * a weekly one starts six weeks ago on today's weekday and skips today's date (EXDATE), so
 * six sessions have been held and the next is a week from today; the monthly one starts on the
 * first last Sunday after the group formed. Its sessions up to 13 weeks after that are made
 * then too (extendSeriesWindow, as SeriesCreated would), and the rest of the 13 weeks from now
 * at once, as the daily run would have since (SeriesCreated, handled once the platform runs,
 * fills the window only as of when it happened). Their reminders and checks are long
 * past, so nothing is sent for the past ones; every one but the latest has its attendance
 * recorded, so the latest waits for a coordinator.
 */
const seedSeries = async (
  ports: Ports,
  then: Ports,
  groupId: string,
  timeZone: string,
  memberIds: string[],
  groupIndex: number,
) => {
  const o = demoOrganisationId;
  const { title, rrule } = meetings[groupIndex]!;
  const weekly = rrule === "FREQ=WEEKLY";
  const today = localDateTimeAt(ports.clock.now(), timeZone).slice(0, 10);
  const formed = localDateTimeAt(then.clock.now(), timeZone).slice(0, 10);
  const series = await createSeries(then, o, groupId, {
    title,
    startLocal: `${weekly ? addDays(today, -42) : lastSundayAfter(formed)}T19:00`,
    durationMinutes: 90,
    venue: { name: "Community Centre, Room 2", address: "1 High Street" },
    facilitatorMemberId: memberIds[0],
    duties: [
      { kind: "venue-booking", holderMemberId: memberIds[1] },
      { kind: "refreshments", holderMemberId: memberIds[2] },
    ],
    rrule,
    rdates: [],
    exdates: weekly ? [`${today}T19:00`] : [],
  });
  await extendSeriesWindow(then, series);
  await extendSeriesWindow(ports, series);
  const held = await ports.store.listPastSessions(o, groupId, ports.clock.now(), 10);
  for (const [i, session] of held.slice(1).entries())
    await recordAttendance(ports, o, groupId, session.id, headcounts[(i + 2 + groupIndex) % 5]!);
};

/**
 * Brooklyn's treasurer, Eli, gave an address that does not exist: SES's mailbox simulator
 * bounces it (locally, the MailboxSimulator does), so his welcome comes back and the overview
 * counts him among the members who cannot be reached; he has no phone.
 */
const seedUnreachableTreasurer = async (ports: Ports, then: Ports, groupId: string) => {
  const eli = await createMember(then, demoOrganisationId, {
    name: "Eli Moreno",
    email: "bounce+eli@simulator.amazonses.com",
    reminders: [{ channel: "email", offsetMinutes: 1440 }],
  });
  await joinGroup(then, demoOrganisationId, groupId, eli.id);
  await takeUpRole(ports, demoOrganisationId, groupId, { roleId: "treasurer" });
  await assignRole(ports, demoOrganisationId, groupId, "treasurer", { memberId: eli.id }, "assigned");
};

/**
 * Every group shares out its roles: a trained facilitator, a venue booker and refreshments.
 * In the first group the venue booker has just stepped down and Ben has volunteered, so the
 * dashboard shows a vacancy being filled: advancing the clock 7 days closes volunteering, and
 * 3 more (no objection) confirm him, with a welcome email.
 */
const seedRoles = async (ports: Ports, groupId: string, memberIds: string[], withVacancy: boolean) => {
  const [amira, ben, chloe, dev] = memberIds as [string, string, string, string];
  const o = demoOrganisationId;
  const lastYear = new Date(ports.clock.now().getTime() - 30 * 86_400_000).toISOString();
  const inAYear = new Date(ports.clock.now().getTime() + 335 * 86_400_000).toISOString();
  for (const trainingId of ["facilitation-basics", "safeguarding"])
    await recordTraining(ports, o, groupId, {
      memberId: amira,
      trainingId,
      completedAt: lastYear,
      expiresAt: inAYear,
    });
  await setLeadership(ports, o, groupId, {
    leaderMemberId: amira,
    rotationOrder: [amira, ben, chloe, dev],
    coordinatorMemberIds: [amira],
  });
  for (const [roleId, holder] of [
    ["facilitator", amira],
    ["venue-and-bookings", dev],
    ["refreshments", chloe],
  ] as const) {
    await takeUpRole(ports, o, groupId, { roleId });
    await assignRole(ports, o, groupId, roleId, { memberId: holder }, "assigned");
  }
  if (!withVacancy) return;
  await stepDownFromRole(ports, o, groupId, "venue-and-bookings", dev);
  const role = await ports.roles.getRole(o, groupId, "venue-and-bookings");
  await volunteerFor(
    ports,
    { organisationId: o, groupId, roleId: "venue-and-bookings", vacantSince: role!.vacantSince! },
    ben,
  );
};
