// Named attendance through /api/v1 over DynamoDB Local: a group that records who came ticks
// members, the session's headcount becomes their number in the same write, and after the
// group's retention the names are gone while the count stays. A headcount group, a non-member,
// a name given twice, a session still to come: each refused, nothing changed.

import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { namedAttendanceFadesAt } from "#domain/rsvp-privacy.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import { createMember, joinGroup } from "#use-cases/directory/manage-directory.ts";
import {
  addGroup,
  buildDirectory,
  expectFieldProblem,
  expectJson,
  expectProblem,
  heldSessionIn,
  localStartInDays,
  outboxEvents,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type SessionView,
} from "./api-harness.ts";

interface Names {
  count: number;
  /** Coordinators only. */
  memberIds?: string[];
  fadesAt?: string;
}

let h: ApiHarness;
let d: Directory;
let coordinator: string;
let otherCoordinator: string;
/** Ann, Ben and Cat, members of the group. */
const people: string[] = [];
let outsider: string;
let otherGroupsMember: string;
let sessionId: string;

const groupPath = () => `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}`;
const sessionPath = (id = sessionId) => `${groupPath()}/sessions/${id}`;
const namesPath = (id = sessionId) => `${sessionPath(id)}/attendance/names`;
const record = (memberIds: unknown, token = coordinator, id = sessionId) =>
  h.call("PUT", namesPath(id), { token, json: { memberIds } });
const namesKept = async (token = coordinator) =>
  expectJson<Names>(await h.call("GET", namesPath(), { token }), 200);
const session = async () =>
  expectJson<SessionView>(await h.call("GET", sessionPath(), { token: coordinator }), 200);
const choose = async (json: unknown) =>
  expectJson(await h.call("PUT", `${groupPath()}/rsvp-privacy`, { token: coordinator, json }), 200);

/** The session's SessionAttendanceRecorded events in the outbox. */
type AttendanceRecorded = Extract<ConveneEvent, { type: "SessionAttendanceRecorded" }>;
const attendanceEvents = async (): Promise<AttendanceRecorded[]> =>
  (await outboxEvents(h, d.organisationId))
    .filter((e): e is AttendanceRecorded => e.type === "SessionAttendanceRecorded")
    .filter((e) => e.data.sessionId === sessionId);

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Named Network",
    group: "Named Group",
    member: "Ann Named",
    email: "ann@named.example.org",
  });
  people.push(d.memberId);
  const member = async (name: string) =>
    (
      await createMember(h.runtime.ports, d.organisationId, {
        name,
        email: `${name.split(" ")[0]!.toLowerCase()}@named.example.org`,
        reminders: [],
      })
    ).id;
  for (const name of ["Ben Named", "Cat Named"]) {
    const id = await member(name);
    await joinGroup(h.runtime.ports, d.organisationId, d.groupId, id);
    people.push(id);
  }
  outsider = await member("Dan Nowhere");
  const other = await addGroup(h, d, "Another Named Group");
  otherGroupsMember = await member("Eve Elsewhere");
  await joinGroup(h.runtime.ports, d.organisationId, other, otherGroupsMember);
  coordinator = await h.token({
    subject: "named-coord",
    role: "group-coordinator",
    organisationId: d.organisationId,
    groupIds: [d.groupId],
  });
  otherCoordinator = await h.token({
    subject: "named-coord-2",
    role: "group-coordinator",
    organisationId: d.organisationId,
    groupIds: [other],
  });
  sessionId = await heldSessionIn(h, d.organisationId, d.groupId);
});

afterAll(() => h.close());

describe("named attendance", () => {
  it("is refused in a group that records a headcount, with nothing changed", async () => {
    const problem = await expectProblem(await record([people[0]]), 409);
    expect(problem.title).toMatch(/records attendance as a headcount/);
    expect((await session()).attendance).toBeUndefined();
    expect(await namesKept()).toEqual({ count: 0, memberIds: [] });
    expect(await attendanceEvents()).toHaveLength(0);
  });

  it("records who came, and the session's headcount as their number, in one write", async () => {
    await choose({ names: "organisers", attendance: "named", retentionMonths: 3 });
    const before = await session();
    const recorded = await expectJson<SessionView>(await record([people[1], people[0]]), 200);
    expect(recorded).toMatchObject({ version: before.version + 1, attendance: { headcount: 2 } });
    expect(await session()).toEqual(recorded);
    const fadesAt = namedAttendanceFadesAt(before.startsAt, 3);
    expect(await namesKept()).toEqual({
      count: 2,
      memberIds: [people[1], people[0]],
      fadesAt: new Date(fadesAt * 1000).toISOString(),
    });
    // The names' item carries the table's TTL attribute, in epoch seconds.
    const stored = await h.runtime.store.doc.send(
      new GetCommand({
        TableName: h.runtime.store.tableName,
        Key: keys.attendedNames(d.organisationId, d.groupId, sessionId),
        ConsistentRead: true,
      }),
    );
    expect(stored.Item?.expiresAt).toBe(fadesAt);
    // The event carries the count, never the names.
    const events = await attendanceEvents();
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ headcount: 2 });
    expect(JSON.stringify(events)).not.toContain(people[0]!);
  });

  it("refuses a non-member, another group's member, a name given twice and a session to come, changing nothing", async () => {
    const before = await session();
    await expectFieldProblem(await record([people[0], outsider]), "memberIds.1");
    await expectFieldProblem(await record([otherGroupsMember]), "memberIds.0");
    const twice = await expectFieldProblem(await record([people[0], people[2], people[0]]), "memberIds.2");
    expect(twice.errors?.[0]?.message).toMatch(/twice/);
    await expectFieldProblem(await record(["not an id"]), "memberIds.0");
    await expectFieldProblem(await record(undefined), "memberIds");
    const coming = await expectJson<SessionView>(
      await h.call("POST", `${groupPath()}/sessions`, {
        token: coordinator,
        json: { title: "Next week", startLocal: localStartInDays(7) },
      }),
      201,
    );
    const early = await expectFieldProblem(await record([people[0]], coordinator, coming.id), "sessionId");
    expect(early.errors?.[0]?.message).toMatch(/not started/);
    // Another group's coordinator learns nothing; a session that does not exist is not found.
    await expectProblem(await record([people[0]], otherCoordinator), 404);
    await expectProblem(await h.call("GET", namesPath(), { token: otherCoordinator }), 404);
    await expectProblem(await record([people[0]], coordinator, "no-such-session"), 404);
    expect(await session()).toEqual(before);
    expect((await namesKept()).memberIds).toEqual([people[1], people[0]]);
    expect(await attendanceEvents()).toHaveLength(1);
  });

  it("changes nothing twice: the same names again, one after another and at once", async () => {
    const before = await session();
    const again = await expectJson<SessionView>(await record([people[0], people[1]]), 200);
    expect(again).toEqual(before);
    const at = await Promise.all(
      Array.from({ length: 6 }, () => record([people[0], people[1], people[2]]).then((r) => r.json())),
    );
    for (const answer of at) expect(answer).toEqual(at[0]);
    expect(at[0]).toMatchObject({ version: before.version + 1, attendance: { headcount: 3 } });
    // The outbox's keys are event ids, in no order of time.
    const counts = (await attendanceEvents()).map((e) => e.data).sort((x, y) => x.headcount - y.headcount);
    expect(counts).toMatchObject([{ headcount: 2 }, { headcount: 3, previousHeadcount: 2 }]);
  });

  it("lets the organisation's umbrella admin record too, as for a headcount, but read only the count", async () => {
    const recorded = await expectJson<SessionView>(await record([people[2]], d.adminToken), 200);
    expect(recorded.attendance?.headcount).toBe(1);
    const seen = await namesKept(d.adminToken);
    expect(seen).toMatchObject({ count: 1 });
    expect(seen.memberIds).toBeUndefined();
    expect((await namesKept()).memberIds).toEqual([people[2]]);
    await expectJson(await record(people, coordinator), 200);
  });

  it("fades to the count after the retention: the names are gone, the count stays, and no new names are taken", async () => {
    const { fadesAt } = await namesKept();
    const before = await session();
    expect(before.attendance?.headcount).toBe(3);
    h.runtime.clock.advance(Date.parse(fadesAt!) - h.runtime.clock.now().getTime() - 60_000);
    expect((await namesKept()).memberIds).toHaveLength(3);
    h.runtime.clock.advance(120_000);
    expect(await namesKept()).toEqual({ count: 0, memberIds: [] });
    expect(await session()).toEqual(before);
    // DynamoDB's TTL deletes late (DynamoDB Local never): the item is still there, and ignored.
    const stored = await h.runtime.store.doc.send(
      new GetCommand({
        TableName: h.runtime.store.tableName,
        Key: keys.attendedNames(d.organisationId, d.groupId, sessionId),
        ConsistentRead: true,
      }),
    );
    expect(stored.Item?.memberIds).toHaveLength(3);
    const late = await expectFieldProblem(await record([people[0]]), "sessionId");
    expect(late.errors?.[0]?.message).toMatch(/retention/);
    expect(await session()).toEqual(before);
  });

  it("never writes a member's id or name to the log", () => {
    const logged = JSON.stringify(h.log.lines);
    for (const id of [...people, outsider, otherGroupsMember]) expect(logged).not.toContain(id);
    for (const name of ["Ann Named", "Ben Named", "Cat Named"]) expect(logged).not.toContain(name);
  });
});
