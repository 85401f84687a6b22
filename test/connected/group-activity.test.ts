// A group's activity log end to end against DynamoDB Local: the record-activity projection
// handles each event twice and out of order, and GET …/groups/{g}/activity reads the log back
// newest first, a page at a time, for that group only. Organisations are made up per run.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { createRecordActivity } from "#functions/record-activity/handler.ts";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { newEvent } from "#domain/new-event.ts";
import { activityFactNames } from "#read-models/activity-item.ts";
import {
  activityEventTypes,
  activityExpiresAt,
  activityLifetimeDays,
  activityOf,
  oldestKeptAt,
  type ActivityItem,
  type ActivityType,
} from "#read-models/group-activity.ts";
import { recordActivity } from "#use-cases/overview/record-group-activity.ts";
import {
  buildDirectory,
  expectFieldProblem,
  expectJson,
  expectProblem,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type GroupView,
} from "./api-harness.ts";

interface Page {
  items: ActivityItem[];
  next?: string;
}

// What people typed: none of it may reach the log or an answer.
const typed = {
  member: "Wren Activity-Probe",
  email: "wren.activity-probe@example.org",
  title: "Wren's private check-in",
  venue: "14 Quiet Lane, Flat 2",
  reason: "Wren is unwell this week",
  question: "Should Wren lead the next session?",
};

let h: ApiHarness;
let a: Directory;
let b: Directory;
let otherGroupId: string;
let record: EventHandler;
const base = Date.now() - 3_600_000;
/** An instant `i` seconds after the test's base, an hour ago. */
const at = (i: number) => new Date(base + i * 1000);

const activityPath = (d: { organisationId: string }, groupId: string) =>
  `/api/v1/organisations/${d.organisationId}/groups/${groupId}/activity`;

/** Every page of a group's log, following `next`, as the admin of `d`'s organisation. */
const readAll = async (d: Directory, groupId: string, limit: number) => {
  const pages: Page[] = [];
  let before: string | undefined;
  do {
    const query = `?limit=${limit}${before ? `&before=${before}` : ""}`;
    const page = await expectJson<Page>(
      await h.call("GET", `${activityPath(d, groupId)}${query}`, { token: d.adminToken }),
      200,
    );
    pages.push(page);
    before = page.next;
    if (pages.length > 50) throw new Error("the pages never end");
  } while (before);
  return pages;
};

/** Events of group A1 at increasing instants (index = seconds after base), checked against the catalogue. */
const groupEvents = (d: Directory, groupId: string, memberId: string): ConveneEvent[] => {
  const scope = { organisationId: d.organisationId, groupId };
  const sessionId = randomUUID();
  const voteId = randomUUID();
  const session = {
    id: sessionId,
    version: 1,
    title: typed.title,
    startLocal: "2031-05-06T19:00",
    timeZone: "Europe/London",
    durationMinutes: 90,
    venue: { name: "Hall", address: typed.venue },
    duties: [],
  };
  const events: ConveneEvent[] = [
    newEvent("MemberJoinedGroup", scope, { memberId }, at(1)),
    newEvent("SessionScheduled", scope, { session }, at(2)),
    newEvent(
      "SessionRescheduled",
      scope,
      {
        session: { ...session, version: 2, startLocal: "2031-05-07T19:30" },
        previousStartLocal: "2031-05-06T19:00",
      },
      at(3),
    ),
    newEvent(
      "VoteOpened",
      scope,
      {
        vote: {
          id: voteId,
          question: typed.question,
          kind: "proposal",
          options: [],
          closesAt: at(100).toISOString(),
          quorum: 0.5,
          threshold: 0.5,
          secrecy: "secret",
          eligibleMemberIds: [memberId],
          reminderMinutesBeforeClose: 0,
        },
      },
      at(4),
    ),
    newEvent("BallotCast", scope, { voteId, memberId, replaced: false }, at(5)),
    newEvent(
      "VoteClosed",
      scope,
      {
        voteId,
        kind: "proposal",
        closedEarly: true,
        result: {
          counts: { yes: 1 },
          ballots: 1,
          eligible: 1,
          turnout: 1,
          quorumMet: true,
          outcome: { kind: "passed" },
        },
      },
      at(6),
    ),
    newEvent("RoleFilled", scope, { roleId: "venue-booker", memberId, how: "elected" }, at(7)),
    newEvent(
      "RoleVacated",
      scope,
      { roleId: "venue-booker", memberId, reason: "stepped-down", vacatedAt: at(8).toISOString() },
      at(8),
    ),
    newEvent("SessionCancelled", scope, { session: { ...session, version: 3 }, reason: typed.reason }, at(9)),
    // Two events in the same millisecond: the event id keeps them apart.
    newEvent("MemberUnsubscribed", scope, { memberId, channel: "sms" }, at(10)),
    newEvent("TrainingRecorded", scope, { memberId, trainingId: "safeguarding" }, at(10)),
  ];
  return events.map(parseEvent);
};

let events: ConveneEvent[];
/** The scheduler's own triggers, which the log leaves out. */
let triggers: ConveneEvent[];
/** The same group's events, newest first: instant, then event id, descending. */
const newestFirst = () =>
  [...events].sort((x, y) =>
    x.occurredAt === y.occurredAt ? y.id.localeCompare(x.id) : y.occurredAt.localeCompare(x.occurredAt),
  );

beforeAll(async () => {
  h = await startApiHarness();
  a = await buildDirectory(h, {
    organisation: "Activity Network",
    group: "Activity Circle",
    member: typed.member,
    email: typed.email,
  });
  b = await buildDirectory(h, {
    organisation: "Other Network",
    group: "Other Circle",
    member: "Olive Other",
    email: "olive@example.org",
  });
  const other = await expectJson<GroupView>(
    await h.call("POST", `/api/v1/organisations/${a.organisationId}/groups`, {
      token: a.adminToken,
      json: { name: "Activity Circle Two", timeZone: "Europe/London" },
    }),
    201,
  );
  otherGroupId = other.id;
  record = createRecordActivity(h.runtime.ports);
  events = groupEvents(a, a.groupId, a.memberId);
  const scope = { organisationId: a.organisationId, groupId: a.groupId };
  triggers = [
    newEvent("VoteCloseDue", scope, { voteId: randomUUID() }, at(11)),
    newEvent(
      "SessionReminderDue",
      scope,
      { sessionId: randomUUID(), sessionVersion: 1, dueAt: at(12).toISOString() },
      at(12),
    ),
  ].map(parseEvent);
  // The same group's events under the other group and the other organisation, with later instants.
  const elsewhere = [
    ...groupEvents(a, otherGroupId, a.memberId),
    ...groupEvents(b, b.groupId, b.memberId),
  ].map((e) => ({ ...e, occurredAt: new Date(Date.parse(e.occurredAt) + 60_000).toISOString() }));

  // Delivered out of order (newest first, then shuffled), each twice, some at the same time.
  const shuffled = [...events, ...triggers, ...elsewhere].sort(() => Math.random() - 0.5);
  await Promise.all(newestFirst().map((e) => record(e)));
  await Promise.all(shuffled.map((e) => record(e)));
  for (const e of [...elsewhere].reverse()) await record(e);
});

afterAll(async () => {
  await h?.close();
});

describe("the record-activity projection", () => {
  it("keeps one item per event, newest first, however often and in whatever order the events came", async () => {
    const [page] = await readAll(a, a.groupId, 100);
    expect(page!.items.map((i) => i.eventId)).toEqual(newestFirst().map((e) => e.id));
    expect(page!.next).toBeUndefined();
  });

  it("records ids and facts only, never what someone typed", async () => {
    const [page] = await readAll(a, a.groupId, 100);
    const byType = (type: string) => page!.items.find((i) => i.type === type);
    const rescheduled = events.find((e) => e.type === "SessionRescheduled")!;
    expect(byType("SessionRescheduled")).toEqual({
      eventId: rescheduled.id,
      type: "SessionRescheduled",
      occurredAt: rescheduled.occurredAt,
      sessionId: rescheduled.type === "SessionRescheduled" ? rescheduled.data.session.id : "",
      startLocal: "2031-05-07T19:30",
      previousStartLocal: "2031-05-06T19:00",
    });
    expect(byType("VoteClosed")).toMatchObject({
      outcome: "passed",
      voteKind: "proposal",
      closedEarly: true,
    });
    expect(byType("RoleFilled")).toMatchObject({
      roleId: "venue-booker",
      memberId: a.memberId,
      how: "elected",
    });
    expect(byType("RoleVacated")).toMatchObject({ reason: "stepped-down" });
    // A ballot may be secret: the log says one was counted, not whose.
    expect(byType("BallotCast")).not.toHaveProperty("memberId");
    const stored = JSON.stringify(page);
    for (const text of Object.values(typed)) expect(stored).not.toContain(text);
    for (const line of h.log.lines)
      for (const text of Object.values(typed)) expect(JSON.stringify(line)).not.toContain(text);
  });

  it("leaves out the scheduler's own triggers", async () => {
    const [page] = await readAll(a, a.groupId, 100);
    for (const trigger of triggers) expect(page!.items.map((i) => i.eventId)).not.toContain(trigger.id);
  });

  it("stores each item with a TTL of 400 days after its event", async () => {
    const event = events[0]!;
    const out = await h.runtime.store.doc.send(
      new GetCommand({
        TableName: h.runtime.store.tableName,
        Key: keys.groupActivity(a.organisationId, a.groupId, event.occurredAt, event.id),
      }),
    );
    expect(out.Item?.expiresAt).toBe(
      Math.floor((Date.parse(event.occurredAt) + activityLifetimeDays * 86_400_000) / 1000),
    );
    expect(out.Item?.kind).toBe("group-activity");
  });

  it("writes nothing for an event older than the log keeps, as a replay from the archive", async () => {
    const old = newEvent(
      "MemberJoinedGroup",
      { organisationId: a.organisationId, groupId: a.groupId },
      { memberId: a.memberId },
      new Date(Date.now() - (activityLifetimeDays + 1) * 86_400_000),
    );
    expect(await recordActivity(h.runtime.ports, old)).toEqual({ recorded: false, expired: true });
    const [page] = await readAll(a, a.groupId, 100);
    expect(page!.items.map((i) => i.eventId)).not.toContain(old.id);
  });
});

describe("every kind of item, through DynamoDB and back", () => {
  const samplesDir = new URL("../../events/samples/", import.meta.url);
  const sample = (type: ActivityType): ConveneEvent =>
    JSON.parse(readFileSync(new URL(`${type}.v1.json`, samplesDir), "utf8")) as ConveneEvent;
  /** Each kind from its catalogue sample, and the values easiest to lose: a count of 0, false, a complaint. */
  const variants = (type: ActivityType): Record<string, unknown>[] => {
    switch (type) {
      case "SessionAttendanceRecorded":
        return [
          { headcount: 0, previousHeadcount: 12 },
          { headcount: 7, previousHeadcount: undefined },
        ];
      case "MemberEmailUndeliverable":
        return [{ reason: "complained" }];
      case "BallotCast":
        return [{ replaced: true }];
      case "VoteClosed":
        return [{ closedEarly: false }];
      default:
        return [];
    }
  };

  it("reads back every fact it was given, for every activity kind", async () => {
    const group = await expectJson<GroupView>(
      await h.call("POST", `/api/v1/organisations/${a.organisationId}/groups`, {
        token: a.adminToken,
        json: { name: "Round Trip Circle", timeZone: "Europe/London" },
      }),
      201,
    );
    const scope = { organisationId: a.organisationId, groupId: group.id };
    const sent: ConveneEvent[] = [];
    for (const type of activityEventTypes) {
      const base = sample(type);
      for (const change of [{}, ...variants(type)])
        sent.push(
          parseEvent({
            ...base,
            ...scope,
            id: randomUUID(),
            occurredAt: at(sent.length).toISOString(),
            data: { ...base.data, ...change },
          }),
        );
    }
    for (const event of sent) await record(event);

    const [page] = await readAll(a, group.id, 100);
    const read = new Map(page!.items.map((item) => [item.eventId, item]));
    for (const event of sent) expect(read.get(event.id), event.type).toEqual(activityOf(event));
    expect(page!.items).toHaveLength(sent.length);
    // Every fact the shape declares went through the table at least once.
    const seen = new Set(page!.items.flatMap((item) => Object.keys(item)));
    for (const name of activityFactNames) expect(seen, name).toContain(name);
  });

  it("refuses an item outside the shape on the way in, and on the way out", async () => {
    const { activity } = h.runtime.ports;
    const groupId = randomUUID();
    const item = activityOf(
      newEvent(
        "MemberJoinedGroup",
        { organisationId: a.organisationId, groupId },
        { memberId: "m-1" },
        at(1),
      ),
    )!;
    const withName = { ...item, memberName: typed.member } as ActivityItem;
    await expect(activity.record(a.organisationId, groupId, withName)).rejects.toThrow();
    await expect(activity.record(a.organisationId, groupId, { ...item, headcount: -1 })).rejects.toThrow();

    // An item written past the store, with an attribute the shape does not name, fails the read.
    await h.runtime.store.doc.send(
      new PutCommand({
        TableName: h.runtime.store.tableName,
        Item: {
          ...keys.groupActivity(a.organisationId, groupId, item.occurredAt, item.eventId),
          kind: "group-activity",
          ...item,
          expiresAt: activityExpiresAt(item.occurredAt),
          headCount: 3,
        },
      }),
    );
    await expect(
      activity.listActivity(a.organisationId, groupId, { limit: 10, after: oldestKeptAt(new Date()) }),
    ).rejects.toThrow(/headCount/);
  });
});

describe("GET …/groups/{groupId}/activity", () => {
  it("pages newest first with an opaque cursor, every item once, until no `next` is left", async () => {
    const pages = await readAll(a, a.groupId, 3);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 3, 2]);
    expect(pages.flatMap((p) => p.items.map((i) => i.eventId))).toEqual(newestFirst().map((e) => e.id));
    for (const page of pages.slice(0, -1)) expect(page.next).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("ends without an empty page when the last page is full", async () => {
    const pages = await readAll(a, a.groupId, events.length);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.items).toHaveLength(events.length);
  });

  it("shows a group its own activity only", async () => {
    const ours = new Set(events.map((e) => e.id));
    const [other] = await readAll(a, otherGroupId, 100);
    expect(other!.items).toHaveLength(events.length);
    for (const item of other!.items) expect(ours.has(item.eventId)).toBe(false);
    const [theirs] = await readAll(b, b.groupId, 100);
    expect(theirs!.items).toHaveLength(events.length);
    for (const item of theirs!.items) expect(ours.has(item.eventId)).toBe(false);
  });

  it("answers another organisation's admin and another group's coordinator as for a group that does not exist", async () => {
    const path = activityPath(a, a.groupId);
    const missing = activityPath(a, randomUUID());
    const coordinator = await h.token({
      subject: "coordinator-of-the-other-group",
      role: "group-coordinator",
      organisationId: a.organisationId,
      groupIds: [otherGroupId],
    });
    for (const token of [b.adminToken, coordinator]) {
      const refused = await h.call("GET", path, { token });
      const text = await refused.clone().text();
      await expectProblem(refused, 404);
      expect(text).toBe(await (await h.call("GET", missing, { token })).text());
      expect(text).not.toContain(a.memberId);
    }
    await expectProblem(await h.call("GET", missing, { token: a.adminToken }), 404);
  });

  it("keeps a cursor from another group's log inside the group asked for", async () => {
    const [first] = await readAll(a, otherGroupId, 2);
    const response = await h.call("GET", `${activityPath(a, a.groupId)}?limit=100&before=${first!.next!}`, {
      token: a.adminToken,
    });
    const page = await expectJson<Page>(response, 200);
    // The other group's items are a minute later than all of this group's: every one is older.
    expect(page.items.map((i) => i.eventId)).toEqual(newestFirst().map((e) => e.id));
  });

  it("rejects a bad limit or a cursor it did not give, naming the field", async () => {
    const path = activityPath(a, a.groupId);
    for (const limit of ["0", "101", "abc", "2.5"])
      await expectFieldProblem(
        await h.call("GET", `${path}?limit=${limit}`, { token: a.adminToken }),
        "limit",
      );
    const forged = Buffer.from("ORG#other#GROUP#x").toString("base64url");
    for (const before of ["not a cursor", "%00", forged, "x".repeat(201)])
      await expectFieldProblem(
        await h.call("GET", `${path}?before=${encodeURIComponent(before)}`, { token: a.adminToken }),
        "before",
      );
  });

  it("answers an empty log for a group nothing has happened in", async () => {
    const quiet = await expectJson<GroupView>(
      await h.call("POST", `/api/v1/organisations/${a.organisationId}/groups`, {
        token: a.adminToken,
        json: { name: "Quiet Circle", timeZone: "Europe/London" },
      }),
      201,
    );
    expect(await readAll(a, quiet.id, 10)).toEqual([{ items: [] }]);
  });
});
