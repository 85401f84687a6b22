// A group's RSVP privacy through /api/v1 over DynamoDB Local: the default (names for the group's
// coordinators), counts only, names by the members' own opt-in; bad input refused naming the field,
// and nobody outside the group learns anything.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember, joinGroup } from "#use-cases/directory/manage-directory.ts";
import { recordRsvp } from "#use-cases/rsvp/record-rsvp.ts";
import { setNameOptIn } from "#use-cases/rsvp/set-name-opt-in.ts";
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
  counts: { yes: number; maybe: number; no: number; waiting: number };
  answers?: { memberId: string; name: string; answer: string }[];
}

let h: ApiHarness;
let d: Directory;
let coordinator: string;
let otherCoordinator: string;
let outsider: string;
let rsvpsPath: string;
const people: string[] = [];

const groupPath = () => `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}`;
const privacyPath = () => `${groupPath()}/rsvp-privacy`;
const namesSeen = async (token: string) => {
  const body = await expectJson<RsvpSummary>(await h.call("GET", rsvpsPath, { token }), 200);
  expect(body.counts).toEqual({ yes: 2, maybe: 1, no: 0, waiting: 0 });
  return body.answers?.map((a) => a.name).sort();
};
const choose = async (json: unknown) =>
  expectJson(await h.call("PUT", privacyPath(), { token: coordinator, json }), 200);

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Privacy Network",
    group: "Privacy Group",
    member: "Ann Private",
    email: "ann@privacy.example.org",
  });
  people.push(d.memberId);
  for (const name of ["Ben Private", "Cat Private"]) {
    const m = await createMember(h.runtime.ports, d.organisationId, {
      name,
      email: `${name.split(" ")[0]!.toLowerCase()}@privacy.example.org`,
      reminders: [],
    });
    await joinGroup(h.runtime.ports, d.organisationId, d.groupId, m.id);
    people.push(m.id);
  }
  outsider = (
    await createMember(h.runtime.ports, d.organisationId, {
      name: "Dan Elsewhere",
      email: "dan@privacy.example.org",
      reminders: [],
    })
  ).id;
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
  const session = await expectJson<SessionView>(
    await h.call("POST", `${groupPath()}/sessions`, {
      token: d.adminToken,
      json: { title: "Monthly meeting", startLocal: localStartInDays(6) },
    }),
    201,
  );
  await expectJson(
    await h.call("PUT", `${groupPath()}/sessions/${session.id}/rsvp-settings`, {
      token: coordinator,
      json: { asked: true },
    }),
    200,
  );
  const answers = ["yes", "yes", "maybe"] as const;
  for (const [i, memberId] of people.entries())
    await recordRsvp(h.runtime.ports, {
      organisationId,
      groupId,
      sessionId: session.id,
      memberId,
      answer: answers[i]!,
      source: "link",
      answeredAt: new Date(),
    });
  rsvpsPath = `${groupPath()}/sessions/${session.id}/rsvps`;
});

afterAll(() => h.close());

describe("a group's RSVP privacy", () => {
  it("is names for the group's organisers by default, headcounts, a year's retention", async () => {
    expect(await expectJson(await h.call("GET", privacyPath(), { token: coordinator }), 200)).toEqual({
      names: "organisers",
      attendance: "headcount",
      retentionMonths: 12,
    });
    expect(await namesSeen(coordinator)).toEqual(["Ann Private", "Ben Private", "Cat Private"]);
    // The organisation's view is counts, whatever the group chose.
    expect(await namesSeen(d.adminToken)).toBeUndefined();
  });

  it("counts only: nobody sees a name, the counts stay", async () => {
    expect(await choose({ names: "counts", attendance: "named", retentionMonths: 6 })).toEqual({
      names: "counts",
      attendance: "named",
      retentionMonths: 6,
    });
    expect(await namesSeen(coordinator)).toBeUndefined();
    expect(await namesSeen(d.adminToken)).toBeUndefined();
    expect(await expectJson(await h.call("GET", privacyPath(), { token: d.adminToken }), 200)).toMatchObject({
      names: "counts",
      attendance: "named",
    });
  });

  it("opt-in: the coordinators see only the names of members who chose to show theirs", async () => {
    await choose({ names: "opt-in", attendance: "headcount" });
    expect(await namesSeen(coordinator)).toEqual([]);
    // The member's own choice (made on their signed link page, not by a coordinator).
    const optIn = (memberId: string, optedIn: boolean) =>
      setNameOptIn(
        h.runtime.ports,
        { organisationId: d.organisationId, groupId: d.groupId, memberId },
        optedIn,
      );
    await optIn(people[0]!, true);
    await optIn(people[2]!, true);
    expect(await namesSeen(coordinator)).toEqual(["Ann Private", "Cat Private"]);
    await optIn(people[2]!, false);
    expect(await namesSeen(coordinator)).toEqual(["Ann Private"]);
    expect(await namesSeen(d.adminToken)).toBeUndefined();
    // Someone who is not in the group cannot opt in to it.
    await expect(optIn(outsider, true)).rejects.toMatchObject({ kind: "not-found" });
    // Back to the default: every member's name again for the coordinators.
    await choose({ names: "organisers", attendance: "headcount" });
    expect(await namesSeen(coordinator)).toEqual(["Ann Private", "Ben Private", "Cat Private"]);
  });

  it("refuses bad input naming the field, and answers another group's coordinator 'not found'", async () => {
    const put = (json: unknown, token = coordinator) => h.call("PUT", privacyPath(), { token, json });
    await expectFieldProblem(await put({ names: "everyone", attendance: "headcount" }), "names");
    await expectFieldProblem(await put({ names: "counts", attendance: "guessed" }), "attendance");
    await expectFieldProblem(
      await put({ names: "counts", attendance: "named", retentionMonths: 0 }),
      "retentionMonths",
    );
    await expectFieldProblem(await put({ names: "counts", attendance: "named", extra: true }), "extra");
    await expectProblem(await put({ names: "counts", attendance: "named" }, otherCoordinator), 404);
    await expectProblem(await h.call("GET", privacyPath(), { token: otherCoordinator }), 404);
    // Nothing changed by the refusals.
    expect(await expectJson(await h.call("GET", privacyPath(), { token: coordinator }), 200)).toMatchObject({
      names: "organisers",
    });
  });
});
