// The organisation overview's projection (functions/track-group-health) and its read, against
// DynamoDB Local: the events that real use cases and stores wrote to the outbox are handled in
// order, twice, and backwards, and the overview comes out the same; the read is two queries.
// Expected against attended (RSVP yes answers against headcounts) likewise, small counts hidden.

import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { createTrackGroupHealth } from "#functions/track-group-health/handler.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import { DynamoOverviewStore } from "#adapters/aws/dynamodb/dynamo-overview-store.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoRsvpStore } from "#adapters/aws/dynamodb/dynamo-rsvp-store.ts";
import { DynamoSeriesStore } from "#adapters/aws/dynamodb/dynamo-series-store.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { DynamoVoteStore } from "#adapters/aws/dynamodb/dynamo-vote-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { newEvent } from "#domain/new-event.ts";
import { assignHolder, stepDown } from "#domain/role-assignment.ts";
import { defaultRoleCatalogue, newGroupRole } from "#domain/role.ts";
import type { Clock } from "#ports/clock.ts";
import type { Log } from "#ports/logger.ts";
import type { Ports } from "#ports/ports.ts";
import type { OrganisationOverview } from "#read-models/organisation-overview.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { readOrganisationOverview } from "#use-cases/overview/read-organisation-overview.ts";
import {
  cancelSession,
  recordAttendance,
  rescheduleSession,
  scheduleSession,
} from "#use-cases/sessions/session-changes.ts";
import { closeAndTally, openGroupVote } from "#use-cases/votes/vote-lifecycle.ts";
import { localMetrics } from "#adapters/local/local-metrics.ts";
import { countsOf } from "#domain/rsvp.ts";
import { recordRsvp } from "#use-cases/rsvp/record-rsvp.ts";
import { setRsvpSettings } from "#use-cases/rsvp/set-rsvp-settings.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const tableName = `convene-${randomUUID()}`;
const silent: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const dayMs = 86_400_000;
const t0 = new Date("2030-03-10T12:00:00.000Z");
const daysFromT0 = (n: number) => new Date(t0.getTime() + n * dayMs);

/** A clock the test sets: the use cases stamp events with it, the projection computes with it. */
class SetClock implements Clock {
  constructor(private at: Date) {}
  now() {
    return new Date(this.at);
  }
  set(at: Date) {
    this.at = at;
  }
}

type Deps = Pick<Ports, "store" | "votes" | "roles" | "series" | "rsvps" | "overview" | "clock" | "log">;

let dynamo: DynamoDBClient;
let store: DynamoStore;
let clock: SetClock;
let deps: Deps;
let track: EventHandler;

beforeAll(async () => {
  dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
  clock = new SetClock(t0);
  deps = {
    store,
    votes: new DynamoVoteStore(new TableClient(dynamo, tableName)),
    roles: new DynamoRoleStore(new TableClient(dynamo, tableName)),
    series: new DynamoSeriesStore(new TableClient(dynamo, tableName)),
    rsvps: new DynamoRsvpStore(new TableClient(dynamo, tableName)),
    overview: new DynamoOverviewStore(new TableClient(dynamo, tableName)),
    clock,
    log: silent,
  };
  track = createTrackGroupHealth(deps);
});

afterAll(() => dynamo?.destroy());

// --- fixtures -------------------------------------------------------------------------------

/**
 * The events an organisation's commands put in the outbox, oldest first. A Scan is fine here:
 * it is the test reading its own throwaway table, never a request path.
 */
const outboxEventsOf = async (organisationId: string): Promise<ConveneEvent[]> => {
  const events: ConveneEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.doc.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    for (const item of out.Items ?? [])
      if (item.kind === "outbox" && String(item.PK).startsWith(`ORG#${organisationId}#`))
        events.push(JSON.parse(String(item.detail)) as ConveneEvent);
    start = out.LastEvaluatedKey;
  } while (start);
  return events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
};

const handleAll = async (events: readonly ConveneEvent[]) => {
  for (const event of events) await track(event);
};

const overviewAt = (organisationId: string, at: Date) => readOrganisationOverview(deps, organisationId, at);

/**
 * A London group's life over a month, through the real use cases and stores:
 * - 30 days before t0: Ann, Bob and Cat join; Ann completes facilitation-basics (expires in
 *   200 days) and safeguarding (expires 10 days after t0); the group takes up the facilitator,
 *   welfare-and-safety and treasurer roles; Ann facilitates and looks after welfare, Bob is
 *   treasurer.
 * - 20 days before t0: Ann steps down as facilitator.
 * - at t0: Cat (email only) unsubscribes from email; a session is scheduled for 13 March at
 *   19:00 with no facilitator; a vote closing in 20 hours is opened and Bob votes.
 */
const aGroupsMonth = async () => {
  clock.set(daysFromT0(-30));
  const organisation = await createOrganisation(deps, { name: "Northfield Network" });
  const o = organisation.id;
  const group = await createGroup(deps, o, {
    name: "Riverside Carers' Circle",
    timeZone: "Europe/London",
    leadershipModel: "collective",
  });
  const g = group.id;
  const person = async (name: string, phone?: string) => {
    const member = await createMember(deps, o, {
      name,
      email: `${randomUUID()}@example.org`,
      ...(phone ? { phone } : {}),
      reminders: [],
    });
    await joinGroup(deps, o, g, member.id);
    return member.id;
  };
  const ann = await person("Ann Example");
  const bob = await person("Bob Example", "+447700900123");
  const cat = await person("Cat Example");

  const completedAt = daysFromT0(-31).toISOString();
  for (const [trainingId, expiresAt] of [
    ["facilitation-basics", daysFromT0(200)],
    ["safeguarding", daysFromT0(10)],
  ] as const) {
    const record = { memberId: ann, trainingId, completedAt, expiresAt: expiresAt.toISOString() };
    await deps.roles.recordTraining(
      o,
      record,
      newEvent(
        "TrainingRecorded",
        { organisationId: o, groupId: g },
        { memberId: ann, trainingId },
        clock.now(),
      ),
    );
  }
  const catalogue = defaultRoleCatalogue();
  const holdRole = async (roleId: string, memberId: string) => {
    await deps.roles.putRole(newGroupRole({ organisationId: o, groupId: g, roleId }, clock.now()));
    const role = (await deps.roles.getRole(o, g, roleId))!;
    const training = await deps.roles.listMemberTraining(o, memberId);
    const held = assignHolder(
      { roleId, memberId },
      { roles: [role], catalogue, memberIds: [ann, bob, cat], training },
      clock.now(),
    );
    await deps.roles.applyRoleChange({ role: held, vacancies: [], expectedVersion: role.version }, [
      newEvent(
        "RoleFilled",
        { organisationId: o, groupId: g },
        { roleId, memberId, how: "assigned" },
        clock.now(),
      ),
    ]);
  };
  await holdRole("facilitator", ann);
  await holdRole("welfare-and-safety", ann);
  await holdRole("treasurer", bob);

  clock.set(daysFromT0(-20));
  const facilitator = (await deps.roles.getRole(o, g, "facilitator"))!;
  const steppedDown = stepDown(facilitator, ann, clock.now());
  await deps.roles.applyRoleChange(
    { ...steppedDown, expectedVersion: facilitator.version },
    steppedDown.vacancies.map((vacancy) =>
      newEvent("RoleVacated", { organisationId: o, groupId: g }, vacancy, clock.now()),
    ),
  );

  clock.set(t0);
  await store.unsubscribeMember(
    o,
    cat,
    "email",
    newEvent(
      "MemberUnsubscribed",
      { organisationId: o, groupId: g },
      { memberId: cat, channel: "email" },
      t0,
    ),
  );
  const session = await scheduleSession(deps, o, g, {
    title: "Monthly meeting",
    startLocal: "2030-03-13T19:00",
    durationMinutes: 90,
    duties: [],
  });
  const vote = await openGroupVote(deps, o, g, "coordinator-1", {
    question: "Shall we meet fortnightly?",
    kind: "proposal",
    closesAt: new Date(t0.getTime() + 20 * 3_600_000).toISOString(),
    quorum: 0.5,
    threshold: 0.5,
    secrecy: "secret",
    reminderMinutesBeforeClose: 0,
  });
  await deps.votes.castBallot(
    { organisationId: o, groupId: g, id: vote.id },
    { organisationId: o, voteId: vote.id, memberId: bob, optionId: "yes", castAt: t0.toISOString() },
    `message-${randomUUID()}`,
    t0,
    (replaced) =>
      newEvent(
        "BallotCast",
        { organisationId: o, groupId: g },
        { voteId: vote.id, memberId: bob, replaced },
        t0,
      ),
  );
  return { o, g, session, vote, members: { ann, bob, cat }, events: await outboxEventsOf(o) };
};

type Month = Awaited<ReturnType<typeof aGroupsMonth>>;

/** What the overview must say of that group at t0, whatever order its events came in. */
const expectedAtT0 = (s: Month): OrganisationOverview => ({
  organisationId: s.o,
  generatedAt: t0.toISOString(),
  groups: [
    {
      groupId: s.g,
      name: "Riverside Carers' Circle",
      timeZone: "Europe/London",
      members: 3,
      unreachableMembers: 1,
      nextSession: { sessionId: s.session.id, startsAt: "2030-03-13T19:00:00.000Z", hasFacilitator: false },
      vacantRoles: [
        {
          roleId: "facilitator",
          name: "Facilitator",
          critical: true,
          vacantSince: daysFromT0(-20).toISOString(),
        },
      ],
      openVotes: [
        {
          voteId: s.vote.id,
          question: "Shall we meet fortnightly?",
          closesAt: s.vote.closesAt,
          ballots: 1,
          eligible: 3,
        },
      ],
      trainingExpiring: 1,
      seriesNeedingConfirmation: [],
      expectedVsAttended: null,
      attention: {
        level: "urgent",
        reasons: [
          "The next session starts in 3 days and has no facilitator",
          "Facilitator (critical) has been vacant for 20 days",
          "A vote closing in 20 hours has 1 of 3 ballots; its quorum needs 2",
          "1 role holder's required training expires within 30 days or has expired",
          "1 member cannot be reached on any channel",
        ],
      },
      updatedAt: t0.toISOString(),
    },
  ],
  trends: [
    ...[
      "2029-04",
      "2029-05",
      "2029-06",
      "2029-07",
      "2029-08",
      "2029-09",
      "2029-10",
      "2029-11",
      "2029-12",
    ].map((month) => ({
      month,
      sessionsHeld: 0,
      attendance: null,
      voteTurnout: null,
      vacancies: 0,
      expectedVsAttended: null,
    })),
    {
      month: "2030-01",
      sessionsHeld: 0,
      attendance: null,
      voteTurnout: null,
      vacancies: 0,
      expectedVsAttended: null,
    },
    // Ann stepped down on 18 February.
    {
      month: "2030-02",
      sessionsHeld: 0,
      attendance: null,
      voteTurnout: null,
      vacancies: 1,
      expectedVsAttended: null,
    },
    // The session on 13 March is not held yet on the 10th.
    {
      month: "2030-03",
      sessionsHeld: 0,
      attendance: null,
      voteTurnout: null,
      vacancies: 0,
      expectedVsAttended: null,
    },
  ],
});

// --- the projection -------------------------------------------------------------------------

describe("the projection of a group's health", () => {
  test("applied in order, the events give the group's health and trends as the overview reads them", async () => {
    const month = await aGroupsMonth();
    expect(month.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["MemberJoinedGroup", "TrainingRecorded", "RoleFilled", "RoleVacated"]),
    );
    await handleAll(month.events);
    expect(await overviewAt(month.o, t0)).toEqual(expectedAtT0(month));

    // Four days on, nothing else happened: the session has been held and nothing is urgent about it.
    const later = await overviewAt(month.o, daysFromT0(4));
    expect(later.trends.at(-1)).toMatchObject({ month: "2030-03", sessionsHeld: 1 });
    expect(later.groups[0]!.nextSession).toBeNull();
    expect(later.groups[0]!.attention.reasons).not.toContain(
      "The next session starts in 3 days and has no facilitator",
    );
  });

  test("redelivered, every event twice and shuffled, nothing is counted twice", async () => {
    const month = await aGroupsMonth();
    await handleAll(month.events);
    const once = await overviewAt(month.o, t0);
    const shuffled = [...month.events, ...month.events].sort((a, b) => a.id.localeCompare(b.id));
    await handleAll(shuffled);
    expect(await overviewAt(month.o, t0)).toEqual(once);
    expect(once).toEqual(expectedAtT0(month));
  });

  test("out of order, the newest events first, the overview comes out the same", async () => {
    const month = await aGroupsMonth();
    await handleAll([...month.events].reverse());
    expect(await overviewAt(month.o, t0)).toEqual(expectedAtT0(month));
  });

  test("an older computation of a section never replaces a newer one", async () => {
    const month = await aGroupsMonth();
    await handleAll(month.events);
    const stale = {
      name: "members" as const,
      value: { count: 99, unreachable: 0 },
      at: daysFromT0(-1).toISOString(),
    };
    expect(await deps.overview.putHealthSection(month.o, month.g, stale)).toBe(false);
    expect((await overviewAt(month.o, t0)).groups[0]!.members).toBe(3);
    const newer = { ...stale, at: daysFromT0(1).toISOString() };
    expect(await deps.overview.putHealthSection(month.o, month.g, newer)).toBe(true);
    expect((await overviewAt(month.o, t0)).groups[0]!.members).toBe(99);
  });

  test("sessions moved and cancelled count where they end up, in any order", async () => {
    clock.set(t0);
    const { id: o } = await createOrganisation(deps, { name: "Sessions" });
    const { id: g } = await createGroup(deps, o, {
      name: "Moves",
      timeZone: "Europe/London",
      leadershipModel: "collective",
    });
    const moved = await scheduleSession(deps, o, g, {
      title: "A",
      startLocal: "2030-03-11T19:00",
      durationMinutes: 60,
      duties: [],
    });
    const cancelled = await scheduleSession(deps, o, g, {
      title: "B",
      startLocal: "2030-03-12T19:00",
      durationMinutes: 60,
      duties: [],
    });
    await scheduleSession(deps, o, g, {
      title: "C",
      startLocal: "2030-03-14T19:00",
      durationMinutes: 60,
      duties: [],
    });
    clock.set(new Date(t0.getTime() + 60_000));
    await rescheduleSession(deps, o, g, moved.id, { startLocal: "2030-04-01T19:00" });
    await cancelSession(deps, o, g, cancelled.id);
    const events = await outboxEventsOf(o);

    await handleAll([...events].reverse());
    const read = await overviewAt(o, new Date("2030-04-02T12:00:00.000Z"));
    expect(read.trends.slice(-2)).toEqual([
      {
        month: "2030-03",
        sessionsHeld: 1,
        attendance: null,
        voteTurnout: null,
        vacancies: 0,
        expectedVsAttended: null,
      },
      {
        month: "2030-04",
        sessionsHeld: 1,
        attendance: null,
        voteTurnout: null,
        vacancies: 0,
        expectedVsAttended: null,
      },
    ]);
    await handleAll(events);
    expect(await overviewAt(o, new Date("2030-04-02T12:00:00.000Z"))).toEqual(read);
    // On 10 March, the next session is C on the 14th: A moved to April, B was cancelled.
    expect((await overviewAt(o, t0)).groups[0]!.nextSession?.startsAt).toBe("2030-03-14T19:00:00.000Z");
  });

  test("attendance is the mean headcount of the month's counted sessions; a correction counts its difference, each event once", async () => {
    clock.set(t0);
    const { id: o } = await createOrganisation(deps, { name: "Attendance" });
    const { id: g } = await createGroup(deps, o, {
      name: "Counts",
      timeZone: "Europe/London",
      leadershipModel: "collective",
    });
    const session = (startLocal: string) =>
      scheduleSession(deps, o, g, { title: "Circle", startLocal, durationMinutes: 60, duties: [] });
    // The third session (25 March) is held but nobody records its attendance.
    const [first, second, , april] = await Promise.all(
      ["2030-03-11T19:00", "2030-03-18T19:00", "2030-03-25T19:00", "2030-04-01T19:00"].map(session),
    );
    clock.set(new Date("2030-04-02T12:00:00.000Z"));
    await recordAttendance(deps, o, g, first!.id, 8);
    await recordAttendance(deps, o, g, second!.id, 4);
    await recordAttendance(deps, o, g, first!.id, 10); // corrected: 8 → 10
    await recordAttendance(deps, o, g, april!.id, 0);
    const events = await outboxEventsOf(o);
    expect(events.filter((e) => e.type === "SessionAttendanceRecorded")).toHaveLength(4);

    await handleAll([...events].reverse());
    const read = await overviewAt(o, clock.now());
    // March: (10 + 4) / 2 sessions counted, the third having no count; April: one session of 0,
    // fewer than 3 people in all, so its mean is hidden as the count would be.
    expect(read.trends.slice(-2)).toEqual([
      {
        month: "2030-03",
        sessionsHeld: 3,
        attendance: 7,
        voteTurnout: null,
        vacancies: 0,
        expectedVsAttended: null,
      },
      {
        month: "2030-04",
        sessionsHeld: 1,
        attendance: { fewerThan: 3 },
        voteTurnout: null,
        vacancies: 0,
        expectedVsAttended: null,
      },
    ]);
    await handleAll(events);
    expect(await overviewAt(o, clock.now())).toEqual(read);
  });

  test("a closed vote leaves the open votes and counts its turnout in its month, once", async () => {
    const month = await aGroupsMonth();
    const { o, g, vote, members } = month;
    for (const memberId of [members.ann, members.cat])
      await deps.votes.castBallot(
        { organisationId: o, groupId: g, id: vote.id },
        { organisationId: o, voteId: vote.id, memberId, optionId: "no", castAt: t0.toISOString() },
        `message-${randomUUID()}`,
        t0,
        (replaced) =>
          newEvent(
            "BallotCast",
            { organisationId: o, groupId: g },
            { voteId: vote.id, memberId, replaced },
            t0,
          ),
      );
    const metrics = localMetrics();
    expect(await closeAndTally({ ...deps, metrics }, o, g, vote.id)).toBeDefined(); // everyone has voted
    // A second close (a redelivered VoteCloseDue) changes nothing and counts nothing again.
    expect(await closeAndTally({ ...deps, metrics }, o, g, vote.id)).toBeUndefined();
    expect(metrics.snapshot()).toEqual([{ metric: "BallotsCounted", dimensions: {}, value: 3 }]);
    const events = await outboxEventsOf(o);
    await handleAll(events);
    await handleAll(events.filter((e) => e.type === "VoteClosed"));
    const read = await overviewAt(o, t0);
    expect(read.groups[0]!.openVotes).toEqual([]);
    expect(read.trends.at(-1)).toMatchObject({ month: "2030-03", voteTurnout: 1 });
    const [march] = (await deps.overview.readOverview(o, "2030-03", "2030-03")).trends;
    expect(march?.counters).toMatchObject({ votesClosed: 1, ballots: 3, eligible: 3 });
  });

  test("a member's unsubscribe and training change every group they belong to", async () => {
    const month = await aGroupsMonth();
    const { o, members } = month;
    const other = await createGroup(deps, o, {
      name: "Second group",
      timeZone: "Europe/London",
      leadershipModel: "collective",
    });
    await joinGroup(deps, o, other.id, members.ann);
    await handleAll(await outboxEventsOf(o));
    expect((await overviewAt(o, t0)).groups.find((x) => x.groupId === other.id)).toMatchObject({
      members: 1,
      unreachableMembers: 0,
    });

    // Ann unsubscribes through the first group's mail: the second group loses her too.
    const unsubscribed = newEvent(
      "MemberUnsubscribed",
      { organisationId: o, groupId: month.g },
      { memberId: members.ann, channel: "email" },
      t0,
    );
    await store.unsubscribeMember(o, members.ann, "email", unsubscribed);
    await track(unsubscribed);
    expect((await overviewAt(o, t0)).groups.find((x) => x.groupId === other.id)).toMatchObject({
      members: 1,
      unreachableMembers: 1,
    });
  });

  test("a group nothing has happened to yet is listed, and another organisation's groups never are", async () => {
    const month = await aGroupsMonth();
    const quiet = await createGroup(deps, month.o, {
      name: "Quiet group",
      timeZone: "Europe/Paris",
      leadershipModel: "rotating",
    });
    await handleAll(month.events);
    const elsewhere = await aGroupsMonth();
    await handleAll(elsewhere.events);
    const read = await overviewAt(month.o, t0);
    expect(read.groups.map((x) => x.groupId)).toEqual([month.g, quiet.id]);
    expect(read.groups[1]).toMatchObject({
      name: "Quiet group",
      members: 0,
      nextSession: null,
      attention: { level: "ok", reasons: [] },
    });
  });
});

// --- expected against attended ---------------------------------------------------------------

// Answers and headcounts written by the real use cases; each session counts once however often
// its events come, and a small group's counts stay hidden on the organisation's view.

const beforeMarchSessions = new Date("2030-03-10T12:00:00.000Z");
const afterMarchSessions = new Date("2030-03-25T12:00:00.000Z");
const hidden = { fewerThan: 3 };

/**
 * An organisation of two groups in March 2030, through the real use cases:
 * - Riverside (6 members) asks who is coming to its 11 March session: 5 say yes, 1 no; 4 are
 *   counted, then corrected to 6. Its 18 March session asks nobody; 9 came.
 * - Harbour (2 members) asks about its 12 March session: both say yes; 1 came.
 */
const aMarch = async (metrics = localMetrics()) => {
  clock.set(beforeMarchSessions);
  const { id: o } = await createOrganisation(deps, { name: `Network ${randomUUID()}` });
  const group = async (name: string, size: number) => {
    const { id } = await createGroup(deps, o, {
      name,
      timeZone: "Europe/London",
      leadershipModel: "collective",
    });
    const members: string[] = [];
    for (let i = 0; i < size; i++) {
      const member = await createMember(deps, o, {
        name: `Member ${i}`,
        email: `${randomUUID()}@example.org`,
        reminders: [],
      });
      await joinGroup(deps, o, id, member.id);
      members.push(member.id);
    }
    return { id, members };
  };
  const riverside = await group("Riverside", 6);
  const harbour = await group("Harbour", 2);
  const session = async (g: string, startLocal: string, asked: boolean) => {
    const { id } = await scheduleSession(deps, o, g, {
      title: "Circle",
      startLocal,
      durationMinutes: 90,
      duties: [],
    });
    if (asked)
      expect(
        await setRsvpSettings(
          deps,
          { organisationId: o, groupId: g, sessionId: id },
          { asked: true, reserved: 0 },
        ),
      ).toMatchObject({ kind: "set" });
    return id;
  };
  const asked = await session(riverside.id, "2030-03-11T19:00", true);
  const notAsked = await session(riverside.id, "2030-03-18T19:00", false);
  const small = await session(harbour.id, "2030-03-12T19:00", true);
  const answer = async (g: string, sessionId: string, memberId: string, answer: "yes" | "no") =>
    expect(
      await recordRsvp(
        deps,
        {
          organisationId: o,
          groupId: g,
          sessionId,
          memberId,
          answer,
          source: "link",
          answeredAt: clock.now(),
        },
        metrics,
      ),
    ).toMatchObject({ kind: "recorded" });
  for (const [i, memberId] of riverside.members.entries())
    await answer(riverside.id, asked, memberId, i < 5 ? "yes" : "no");
  for (const memberId of harbour.members) await answer(harbour.id, small, memberId, "yes");

  clock.set(afterMarchSessions);
  await recordAttendance(deps, o, riverside.id, asked, 4);
  await recordAttendance(deps, o, riverside.id, notAsked, 9);
  await recordAttendance(deps, o, harbour.id, small, 1);
  await recordAttendance(deps, o, riverside.id, asked, 6); // corrected: 4 → 6
  return { o, riverside: riverside.id, harbour: harbour.id, small, events: await outboxEventsOf(o) };
};

/** What the overview says of expected against attended, per group and for March. */
const figures = async (o: string) => {
  const read = await readOrganisationOverview(deps, o, afterMarchSessions);
  return {
    groups: Object.fromEntries(read.groups.map((g) => [g.name, g.expectedVsAttended])),
    march: read.trends.find((t) => t.month === "2030-03")!.expectedVsAttended,
    others: read.trends.filter((t) => t.month !== "2030-03").map((t) => t.expectedVsAttended),
  };
};

const expected = {
  groups: {
    Riverside: { sessions: 1, expected: 5, attended: 6 },
    // Two said yes and one came: the organisation's view says only "fewer than 3".
    Harbour: { sessions: 1, expected: hidden, attended: hidden },
  },
  march: { sessions: 2, expected: 7, attended: 7 },
  others: Array.from({ length: 11 }, () => null),
};

describe("expected against attended on the overview", () => {
  test("in order, each asked session's yes answers against its latest headcount; a session not asked is left out", async () => {
    const metrics = localMetrics();
    const march = await aMarch(metrics);
    expect(march.events.filter((e) => e.type === "RsvpRecorded")).toHaveLength(8);
    // Each answer recorded is counted once, by answer and how it came.
    expect(metrics.snapshot()).toEqual(
      expect.arrayContaining([
        { metric: "RsvpAnswers", dimensions: { answer: "yes", source: "link" }, value: 7 },
        { metric: "RsvpAnswers", dimensions: { answer: "no", source: "link" }, value: 1 },
      ]),
    );
    expect(metrics.snapshot()).toHaveLength(2);
    await handleAll(march.events);
    expect(await figures(march.o)).toEqual(expected);
  });

  test("redelivered, every event twice and shuffled, nothing is counted twice", async () => {
    const march = await aMarch();
    await handleAll(march.events);
    const shuffled = [...march.events, ...march.events].sort((a, b) => a.id.localeCompare(b.id));
    await handleAll(shuffled);
    expect(await figures(march.o)).toEqual(expected);
  });

  test("backwards, and all at once, the figures come out the same", async () => {
    const backwards = await aMarch();
    await handleAll([...backwards.events].reverse());
    expect(await figures(backwards.o)).toEqual(expected);

    const together = await aMarch();
    await Promise.all([...together.events, ...together.events].map((event) => track(event)));
    expect(await figures(together.o)).toEqual(expected);
  });

  test("the group's own organisers keep the exact counts the organisation's view hides", async () => {
    const march = await aMarch();
    await handleAll(march.events);
    const places = await deps.rsvps.getPlaces(march.o, march.small);
    expect(countsOf(places!)).toMatchObject({ yes: 2 });
    expect((await store.getSession(march.o, march.harbour, march.small))?.attendance?.headcount).toBe(1);
    expect((await figures(march.o)).groups.Harbour).toEqual({
      sessions: 1,
      expected: hidden,
      attended: hidden,
    });
  });
});

// --- the read ---------------------------------------------------------------------------------

describe("reading the overview", () => {
  test("is exactly two Query requests, however many groups", async () => {
    clock.set(t0);
    const { id: o } = await createOrganisation(deps, { name: "Forty groups" });
    for (let i = 0; i < 40; i++) {
      const { id: g } = await createGroup(deps, o, {
        name: `Group ${i}`,
        timeZone: "Europe/London",
        leadershipModel: "collective",
      });
      await scheduleSession(deps, o, g, {
        title: "Meeting",
        startLocal: "2030-03-20T19:00",
        durationMinutes: 60,
        duties: [],
      });
    }
    await handleAll(await outboxEventsOf(o));

    // A client of its own, so only the overview's requests are counted.
    const counted = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
    const commands: string[] = [];
    counted.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName ?? "unknown");
        return next(args);
      },
      { step: "initialize", name: "count-requests" },
    );
    try {
      const overview = new DynamoOverviewStore(new TableClient(counted, tableName));
      const read = await readOrganisationOverview({ overview }, o, t0);
      expect(read.groups).toHaveLength(40);
      expect(read.trends.at(-1)).toMatchObject({ month: "2030-03", sessionsHeld: 0 });
      expect(commands).toEqual(["QueryCommand", "QueryCommand"]);
    } finally {
      counted.destroy();
    }
  });
});
