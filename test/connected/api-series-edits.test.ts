// A series previewed before saving and edited through /api/v1 over DynamoDB Local: the
// preview answers what creating would, and writes nothing; an edit answers the series as it
// now is. Bad input is a problem+json naming the field, and nothing is written.

import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import {
  buildDirectory,
  expectFieldProblem,
  expectJson,
  startApiHarness,
  type ApiHarness,
  type Directory,
} from "./api-harness.ts";

interface SeriesView {
  id: string;
  version: number;
  status: "active" | "ended";
  startLocal: string;
  title: string;
  rrule: string;
  rdates: string[];
  exdates: string[];
  recurrence: string[];
  ruleInWords: string;
  nextDates: { startLocal: string; startsAt: string }[];
  splitFrom?: { seriesId: string; originalStartLocal: string };
}

const dayMs = 86_400_000;
let h: ApiHarness;
let d: Directory;

const seriesPath = () => `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}/series`;
const post = (path: string, json: unknown) => h.call("POST", path, { token: d.adminToken, json });
const patch = (seriesId: string, json: unknown) =>
  h.call("PATCH", `${seriesPath()}/${seriesId}`, { token: d.adminToken, json });

/** The London date `days` from the platform's now, moved on to `weekday` (0 = Sunday). */
const dateIn = (days: number, weekday: number) => {
  const at = new Date(h.runtime.clock.now().getTime() + days * dayMs);
  const shift = (weekday - at.getUTCDay() + 7) % 7;
  return localDateTimeAt(new Date(at.getTime() + shift * dayMs), "Europe/London").slice(0, 10);
};
const weeksOn = (local: string, weeks: number) =>
  `${new Date(Date.parse(`${local.slice(0, 10)}T12:00Z`) + weeks * 7 * dayMs).toISOString().slice(0, 10)}T${local.slice(11)}`;

/** Everything the group's series are, and every series event written: bad input changes neither. */
const written = async () => {
  const scan = await h.runtime.dynamo.send(
    new ScanCommand({
      TableName: h.runtime.store.tableName,
      FilterExpression: "kind = :outbox AND begins_with(eventType, :series)",
      ExpressionAttributeValues: { ":outbox": "outbox", ":series": "Series" },
    }),
  );
  return {
    events: scan.Items?.length,
    series: await expectJson(await h.call("GET", seriesPath(), { token: d.adminToken }), 200),
  };
};

const tuesdayCircle = () => ({
  title: "Tuesday circle",
  startLocal: `${dateIn(3, 2)}T19:00`,
  rrule: "FREQ=WEEKLY;BYDAY=TU",
  exdates: [`${dateIn(17, 2)}T19:00`],
});

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Previewton Network",
    group: "Previewton Tuesday Circle",
    member: "Pat Previewton",
    email: "pat@previewton.example.org",
  });
});

afterAll(async () => {
  await h?.close();
});

describe("a series previewed before saving", () => {
  it("answers the rule in words, the RRULE, the dates and the next five, as creating would, writing nothing", async () => {
    const before = await written();
    const preview = await expectJson<SeriesView>(await post(`${seriesPath()}/preview`, tuesdayCircle()), 200);
    expect(await written()).toEqual(before);
    expect(preview).toMatchObject({
      rrule: "FREQ=WEEKLY;BYDAY=TU",
      rdates: [],
      exdates: [`${dateIn(17, 2)}T19:00`],
      ruleInWords: expect.stringMatching(
        /^Every Tuesday at 19:00, London time; not \d+ \w+ \d{4}$/,
      ) as string,
    });
    expect(preview.nextDates.map((n) => n.startLocal)).toEqual(
      [0, 1, 3, 4, 5].map((week) => weeksOn(`${dateIn(3, 2)}T19:00`, week)),
    );
    const made = await expectJson<SeriesView>(await post(seriesPath(), tuesdayCircle()), 201);
    const {
      id: _p,
      createdAt: _pc,
      updatedAt: _pu,
      confirmedAt: _pf,
      ...previewed
    } = preview as SeriesView & Record<string, unknown>;
    const {
      id: _m,
      createdAt: _mc,
      updatedAt: _mu,
      confirmedAt: _mf,
      ...saved
    } = made as SeriesView & Record<string, unknown>;
    expect(saved).toEqual(previewed);
  });

  it.each([
    ["an hourly rule", { rrule: "FREQ=HOURLY" }, "rrule", /several times a day/],
    [
      "an EXDATE not on the rule",
      { exdates: ["2099-01-01T19:00"] },
      "exdates.0",
      /within 5 years|not one of/,
    ],
    [
      "a facilitator not in the group",
      { facilitatorMemberId: "not-a-member" },
      "facilitatorMemberId",
      /member/,
    ],
  ])("refuses %s as creating does, naming the field", async (_name, body, field, message) => {
    const before = await written();
    const problem = await expectFieldProblem(
      await post(`${seriesPath()}/preview`, { ...tuesdayCircle(), ...body }),
      field,
    );
    expect(problem.errors!.find((e) => e.field === field)!.message).toMatch(message);
    const created = await expectFieldProblem(
      await post(seriesPath(), { ...tuesdayCircle(), ...body }),
      field,
    );
    expect(created).toEqual(problem);
    expect(await written()).toEqual(before);
  });
});

describe("a series edited", () => {
  it("answers each kind of edit with the series as it now is", async () => {
    const made = await expectJson<SeriesView>(await post(seriesPath(), tuesdayCircle()), 201);
    const second = made.nextDates[1]!.startLocal;
    const one = await expectJson<SeriesView>(
      await patch(made.id, { scope: "this", occurrence: second, changes: { venue: { name: "Library" } } }),
      200,
    );
    expect(one).toMatchObject({ id: made.id, version: 2, recurrence: made.recurrence });
    const all = await expectJson<SeriesView>(
      await patch(made.id, { scope: "all", changes: { title: "Tuesday circle (open)", onlineUrl: null } }),
      200,
    );
    expect(all).toMatchObject({ id: made.id, version: 3, title: "Tuesday circle (open)" });
    const third = made.nextDates[2]!.startLocal;
    const following = await expectJson<SeriesView>(
      await patch(made.id, {
        scope: "following",
        occurrence: third,
        changes: { rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" },
      }),
      200,
    );
    expect(following).toMatchObject({
      version: 1,
      startLocal: third,
      rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
      splitFrom: { seriesId: made.id, originalStartLocal: third },
      ruleInWords: expect.stringMatching(/^Every other Tuesday at 19:00/) as string,
    });
    expect(following.id).not.toBe(made.id);
  });
});

describe("bad edits", () => {
  let series: SeriesView;
  let ended: SeriesView;
  beforeAll(async () => {
    series = await expectJson<SeriesView>(
      await post(seriesPath(), { ...tuesdayCircle(), title: "To edit" }),
      201,
    );
    ended = await expectJson<SeriesView>(
      await post(seriesPath(), { ...tuesdayCircle(), title: "Ended" }),
      201,
    );
    await expectJson(await post(`${seriesPath()}/${ended.id}/end`, {}), 200);
    // The first session is held: the clock passes it.
    const first = sessionStartInstant(series.startLocal, "Europe/London").getTime();
    h.runtime.clock.advance(first - h.runtime.clock.now().getTime() + 3_600_000);
  });

  it.each([
    [
      "an occurrence already held",
      () => ({ scope: "this", occurrence: series.startLocal, changes: { title: "Late" } }),
      "occurrence",
      /already held/,
    ],
    [
      "splitting at an occurrence already held",
      () => ({ scope: "following", occurrence: series.startLocal, changes: { title: "Late" } }),
      "occurrence",
      /already held/,
    ],
    [
      "an occurrence not in the series",
      () => ({
        scope: "this",
        occurrence: weeksOn(series.startLocal, 1).replace("T19:00", "T18:00"),
        changes: { title: "Odd" },
      }),
      "occurrence",
      /not one of the series' dates/,
    ],
    [
      "a skipped occurrence",
      () => ({ scope: "this", occurrence: series.exdates[0], changes: { title: "Odd" } }),
      "occurrence",
      /not one of/,
    ],
    [
      '"this" without its occurrence',
      () => ({ scope: "this", changes: { title: "Which?" } }),
      "occurrence",
      /is required/,
    ],
    [
      '"following" without its occurrence',
      () => ({ scope: "following", changes: { title: "Which?" } }),
      "occurrence",
      /is required/,
    ],
    [
      "an hourly rule",
      () => ({ scope: "all", changes: { rrule: "FREQ=HOURLY" } }),
      "changes.rrule",
      /several times a day/,
    ],
    [
      "a rule its new start is not on",
      () => ({
        scope: "following",
        occurrence: weeksOn(series.startLocal, 4),
        changes: { rrule: "FREQ=WEEKLY;BYDAY=WE" },
      }),
      "changes.startLocal",
      /not one of the rule's dates/,
    ],
    [
      "a skipped date not on the rule",
      () => ({
        scope: "all",
        changes: { exdates: [weeksOn(series.startLocal, 3).replace("T19:00", "T18:00")] },
      }),
      "changes.exdates.0",
      /not one of the rule's dates/,
    ],
    [
      "a new rule for one occurrence",
      () => ({
        scope: "this",
        occurrence: weeksOn(series.startLocal, 1),
        changes: { rrule: "FREQ=MONTHLY" },
      }),
      "changes.rrule",
      /following/,
    ],
    ["cancelling all", () => ({ scope: "all", changes: { cancelled: true } }), "changes.cancelled", /end it/],
    [
      "a start in the past",
      () => ({
        scope: "this",
        occurrence: weeksOn(series.startLocal, 1),
        changes: { startLocal: `${dateIn(-3, 1)}T19:00` },
      }),
      "changes.startLocal",
      /future/,
    ],
    [
      "a facilitator not in the group",
      () => ({ scope: "all", changes: { facilitatorMemberId: "not-a-member" } }),
      "changes.facilitatorMemberId",
      /member of the group/,
    ],
    ["an unknown scope", () => ({ scope: "some", changes: { title: "?" } }), "scope", /./],
  ])("refuses %s, naming the field, and writes nothing", async (_name, body, field, message) => {
    const before = await written();
    const problem = await expectFieldProblem(await patch(series.id, body()), field);
    expect(problem.errors!.find((e) => e.field === field)!.message).toMatch(message);
    expect(await written()).toEqual(before);
  });

  it("refuses to edit an ended series, and writes nothing", async () => {
    const before = await written();
    const problem = await expectFieldProblem(
      await patch(ended.id, { scope: "all", changes: { title: "Revived" } }),
      "seriesId",
    );
    expect(problem.errors![0]!.message).toMatch(/has ended/);
    expect(await written()).toEqual(before);
  });
});
