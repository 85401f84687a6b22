// A session's RSVPs through /api/v1 over DynamoDB Local: the settings (and a series' that its
// sessions inherit), the counts anyone who runs the group may read, the names only its
// coordinators see, and a capacity below the places given refused naming the field.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newEvent } from "#domain/new-event.ts";
import { createExtendSeriesWindows } from "#functions/extend-series-windows/handler.ts";
import { createMember, joinGroup } from "#use-cases/directory/manage-directory.ts";
import { recordRsvp } from "#use-cases/rsvp/record-rsvp.ts";
import { seriesSnapshot } from "#use-cases/series/create-series.ts";
import {
  addGroup,
  buildDirectory,
  expectFieldProblem,
  expectJson,
  expectProblem,
  localStartInDays,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type SessionView,
} from "./api-harness.ts";

interface RsvpSummary {
  asked: boolean;
  capacity?: number;
  reserved: number;
  counts: { yes: number; maybe: number; no: number; waiting: number };
  answers?: { memberId: string; name: string; answer: string; place?: string }[];
}

let h: ApiHarness;
let d: Directory;
let coordinator: string;
let otherCoordinator: string;
const people: string[] = [];

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Rsvp Network",
    group: "Rsvp Group",
    member: "Ann Answer",
    email: "ann@rsvp.example.org",
  });
  people.push(d.memberId);
  for (const name of ["Ben Answer", "Cat Answer"]) {
    const m = await createMember(h.runtime.ports, d.organisationId, {
      name,
      email: `${name.split(" ")[0]!.toLowerCase()}@rsvp.example.org`,
      reminders: [],
    });
    await joinGroup(h.runtime.ports, d.organisationId, d.groupId, m.id);
    people.push(m.id);
  }
  const other = await addGroup(h, d, "Another Group");
  const { organisationId, groupId } = d;
  coordinator = await h.token({
    subject: "coord",
    role: "group-coordinator",
    organisationId,
    groupIds: [groupId],
  });
  otherCoordinator = await h.token({
    subject: "coord-2",
    role: "group-coordinator",
    organisationId,
    groupIds: [other],
  });
});

afterAll(() => h.close());

const groupPath = () => `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}`;
const aSession = async () =>
  expectJson<SessionView>(
    await h.call("POST", `${groupPath()}/sessions`, {
      token: d.adminToken,
      json: { title: "Monthly meeting", startLocal: localStartInDays(5) },
    }),
    201,
  );
const answer = (sessionId: string, memberId: string, given: "yes" | "no" | "maybe") =>
  recordRsvp(h.runtime.ports, {
    organisationId: d.organisationId,
    groupId: d.groupId,
    sessionId,
    memberId,
    answer: given,
    source: "link",
    answeredAt: new Date(),
  });

describe("a session's RSVPs", () => {
  it("are asked for with a capacity; counts for all who run the group, names for its coordinators only", async () => {
    const session = await aSession();
    const set = await expectJson<RsvpSummary>(
      await h.call("PUT", `${groupPath()}/sessions/${session.id}/rsvp-settings`, {
        token: d.adminToken,
        json: { asked: true, capacity: 2 },
      }),
      200,
    );
    expect(set).toEqual({
      asked: true,
      capacity: 2,
      reserved: 0,
      counts: { yes: 0, maybe: 0, no: 0, waiting: 0 },
    });
    for (const m of people) expect(await answer(session.id, m, "yes")).toMatchObject({ kind: "recorded" });
    const path = `${groupPath()}/sessions/${session.id}/rsvps`;
    const asAdmin = await expectJson<RsvpSummary>(await h.call("GET", path, { token: d.adminToken }), 200);
    expect(asAdmin.counts).toEqual({ yes: 2, maybe: 0, no: 0, waiting: 1 });
    expect(asAdmin.answers).toBeUndefined();
    const asCoordinator = await expectJson<RsvpSummary>(
      await h.call("GET", path, { token: coordinator }),
      200,
    );
    expect(asCoordinator.answers?.map((a) => [a.name, a.place]).sort()).toEqual([
      ["Ann Answer", "going"],
      ["Ben Answer", "going"],
      ["Cat Answer", "waiting"],
    ]);
    // Another group's coordinator learns nothing, not even that the session exists.
    await expectProblem(await h.call("GET", path, { token: otherCoordinator }), 404);
  });

  it("no longer names a member who answered and then left the group", async () => {
    const session = await aSession();
    const sessionPath = `${groupPath()}/sessions/${session.id}`;
    await expectJson(
      await h.call("PUT", `${sessionPath}/rsvp-settings`, { token: d.adminToken, json: { asked: true } }),
      200,
    );
    const dan = await createMember(h.runtime.ports, d.organisationId, {
      name: "Dan Leaver",
      email: "dan@rsvp.example.org",
      reminders: [],
    });
    await joinGroup(h.runtime.ports, d.organisationId, d.groupId, dan.id);
    for (const m of [people[0]!, dan.id])
      expect(await answer(session.id, m, "yes")).toMatchObject({ kind: "recorded" });
    const names = async () =>
      (
        await expectJson<RsvpSummary>(
          await h.call("GET", `${sessionPath}/rsvps`, { token: coordinator }),
          200,
        )
      ).answers?.map((a) => a.name);
    expect(await names()).toEqual(expect.arrayContaining(["Ann Answer", "Dan Leaver"]));
    const left = await h.call("DELETE", `${groupPath()}/members/${dan.id}`, { token: d.adminToken });
    expect(left.status).toBe(204);
    expect(await names()).toEqual(["Ann Answer"]);
  });

  it("refuses a capacity below the places already given, naming the field; a raised one is kept", async () => {
    const session = await aSession();
    const settings = `${groupPath()}/sessions/${session.id}/rsvp-settings`;
    await h.call("PUT", settings, { token: coordinator, json: { asked: true, capacity: 3 } });
    for (const m of people) await answer(session.id, m, "yes");
    await expectFieldProblem(
      await h.call("PUT", settings, { token: coordinator, json: { asked: true, capacity: 2 } }),
      "capacity",
    );
    await expectFieldProblem(
      await h.call("PUT", settings, { token: coordinator, json: { asked: true, capacity: -1 } }),
      "capacity",
    );
    const raised = await expectJson<RsvpSummary>(
      await h.call("PUT", settings, { token: coordinator, json: { asked: true, capacity: 10, reserved: 1 } }),
      200,
    );
    expect(raised).toMatchObject({ capacity: 10, reserved: 1, counts: { yes: 3, waiting: 0 } });
  });

  it("a series' settings are its sessions' until one has its own", async () => {
    const first = localStartInDays(8);
    const series = await expectJson<{ id: string }>(
      await h.call("POST", `${groupPath()}/series`, {
        token: d.adminToken,
        json: { title: "Weekly circle", startLocal: first, rrule: "FREQ=WEEKLY" },
      }),
      201,
    );
    const stored = (await h.runtime.ports.series.getSeries(d.organisationId, d.groupId, series.id))!;
    await createExtendSeriesWindows(h.runtime.ports)(
      newEvent("SeriesCreated", d, { series: seriesSnapshot(stored) }, new Date()),
    );
    const sessions = (
      await h.runtime.ports.store.listUpcomingSessions(d.organisationId, d.groupId, new Date(), 50)
    ).filter((s) => s.series?.seriesId === series.id);
    expect(sessions.length).toBeGreaterThan(1);
    const [one, two] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];
    const rsvpsOf = async (id: string) =>
      expectJson<RsvpSummary>(
        await h.call("GET", `${groupPath()}/sessions/${id}/rsvps`, { token: coordinator }),
        200,
      );
    expect((await rsvpsOf(one.id)).asked).toBe(false);
    expect(await answer(one.id, people[0]!, "yes")).toEqual({ kind: "not-asked" });
    await expectJson(
      await h.call("PUT", `${groupPath()}/series/${series.id}/rsvp-settings`, {
        token: coordinator,
        json: { asked: true, capacity: 1 },
      }),
      200,
    );
    expect(await rsvpsOf(two.id)).toMatchObject({ asked: true, capacity: 1 });
    expect(await answer(one.id, people[0]!, "yes")).toMatchObject({ kind: "recorded", place: "going" });
    expect(await answer(one.id, people[1]!, "yes")).toMatchObject({ kind: "recorded", place: "waiting" });
    await expectProblem(
      await h.call("PUT", `${groupPath()}/series/no-such-series/rsvp-settings`, {
        token: coordinator,
        json: { asked: true },
      }),
      404,
    );
  });
});
