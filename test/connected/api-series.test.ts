// Series through /api/v1 over DynamoDB Local: made with an RFC 5545 rule and read back with the
// rule in words and the next five dates; listed; ended (twice: the same answer). Bad input is a
// problem+json naming the field, and nothing is written.

import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExtendSeriesWindows } from "#functions/extend-series-windows/handler.ts";
import { localDateTimeAt } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { seriesSnapshot } from "#use-cases/series/create-series.ts";
import {
  addGroup,
  buildDirectory,
  expectFieldProblem,
  expectJson,
  expectProblem,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type MemberView,
} from "./api-harness.ts";

interface SeriesView {
  id: string;
  version: number;
  status: "active" | "ended";
  title: string;
  startLocal: string;
  timeZone: string;
  rrule: string;
  rdates: string[];
  exdates: string[];
  recurrence: string[];
  ruleInWords: string;
  nextDates: { startLocal: string; startsAt: string }[];
  endedAt?: string;
}

const dayMs = 86_400_000;
let h: ApiHarness;
let d: Directory;
let quietGroupId: string;

const seriesPath = (groupId = d.groupId) =>
  `/api/v1/organisations/${d.organisationId}/groups/${groupId}/series`;
const post = (json: unknown, groupId?: string) =>
  h.call("POST", seriesPath(groupId), { token: d.adminToken, json });

/** The date `days` ahead in London, and the next date from it that falls on `weekday` (0 = Sunday). */
const dateIn = (days: number, weekday?: number) => {
  const at = new Date(Date.now() + days * dayMs);
  const shift = weekday === undefined ? 0 : (weekday - at.getUTCDay() + 7) % 7;
  return localDateTimeAt(new Date(at.getTime() + shift * dayMs), "Europe/London").slice(0, 10);
};

/** The last Sunday of the month after next. */
const lastSundayInTwoMonths = () => {
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 3, 0));
  return new Date(last.getTime() - last.getUTCDay() * dayMs).toISOString().slice(0, 10);
};

/** The next last Sunday of March after today, for a start the clocks skip in London. */
const nextSpringForward = () => {
  for (let year = new Date().getUTCFullYear(); ; year++) {
    const lastOfMarch = new Date(Date.UTC(year, 2, 31));
    const sunday = new Date(lastOfMarch.getTime() - lastOfMarch.getUTCDay() * dayMs);
    if (sunday.getTime() > Date.now() + dayMs) return sunday.toISOString().slice(0, 10);
  }
};

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Seriesbridge Network",
    group: "Seriesbridge Tuesday Circle",
    member: "Tess Seriesbridge",
    email: "tess@seriesbridge.example.org",
  });
  quietGroupId = await addGroup(h, d, "Seriesbridge Quiet Group");
});

afterAll(async () => {
  await h?.close();
});

describe("a series through the API", () => {
  it("is made from an RRULE and read back with the rule in words and the next five dates", async () => {
    const first = dateIn(3, 2); // a Tuesday
    const made = await expectJson<SeriesView>(
      await post({
        title: "Tuesday circle",
        startLocal: `${first}T19:00`,
        rrule: "FREQ=WEEKLY;BYDAY=TU",
        facilitatorMemberId: d.memberId,
        exdates: [`${dateIn(10, 2)}T19:00`],
      }),
      201,
    );
    expect(made).toMatchObject({
      version: 1,
      status: "active",
      timeZone: "Europe/London",
      rrule: "FREQ=WEEKLY;BYDAY=TU",
      ruleInWords: expect.stringMatching(
        /^Every Tuesday at 19:00, London time; not \d+ \w+ \d{4}$/,
      ) as string,
      recurrence: [
        "RRULE:FREQ=WEEKLY;BYDAY=TU",
        `EXDATE;TZID=Europe/London:${dateIn(10, 2).replace(/-/g, "")}T190000`,
      ],
    });
    expect(made.nextDates.map((n) => n.startLocal)).toEqual(
      [0, 2, 3, 4, 5].map(
        (week) => `${new Date(Date.parse(first) + week * 7 * dayMs).toISOString().slice(0, 10)}T19:00`,
      ),
    );
    for (const next of made.nextDates)
      expect(localDateTimeAt(new Date(next.startsAt), "Europe/London")).toBe(next.startLocal);

    expect(
      await expectJson<SeriesView>(
        await h.call("GET", `${seriesPath()}/${made.id}`, { token: d.adminToken }),
        200,
      ),
    ).toEqual(made);
    const listed = await expectJson<{ items: SeriesView[] }>(
      await h.call("GET", seriesPath(), { token: d.adminToken }),
      200,
    );
    expect(listed.items.map((s) => s.id)).toContain(made.id);
  });

  it("makes sessions that say which series and which of its dates they are", async () => {
    const made = await expectJson<SeriesView>(
      await post({
        title: "Thursday circle",
        startLocal: `${dateIn(2, 4)}T18:30`,
        rrule: "FREQ=WEEKLY;INTERVAL=2",
      }),
      201,
    );
    const series = (await h.runtime.ports.series.getSeries(d.organisationId, d.groupId, made.id))!;
    await createExtendSeriesWindows(h.runtime.ports)(
      newEvent(
        "SeriesCreated",
        { organisationId: d.organisationId, groupId: d.groupId },
        { series: seriesSnapshot(series) },
        new Date(),
      ),
    );
    const { items } = await expectJson<{ items: { id: string; startLocal: string; series?: object }[] }>(
      await h.call(
        "GET",
        `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}/sessions?limit=100`,
        {
          token: d.adminToken,
        },
      ),
      200,
    );
    const ours = items.filter((s) => s.id.startsWith(made.id));
    expect(ours).toHaveLength(7); // every other week, within 13 weeks
    expect(ours.slice(0, 5).map((s) => s.startLocal)).toEqual(made.nextDates.map((n) => n.startLocal));
    for (const session of ours)
      expect(session.series).toEqual({ seriesId: made.id, originalStartLocal: session.startLocal });
  });

  it("is ended once: ending it again answers the same, and it has no next dates", async () => {
    const made = await expectJson<SeriesView>(
      await post({
        title: "Last-Sunday circle",
        startLocal: `${lastSundayInTwoMonths()}T15:00`,
        rrule: "FREQ=MONTHLY;BYDAY=-1SU",
      }),
      201,
    );
    const end = () =>
      h.call("POST", `${seriesPath()}/${made.id}/end`, {
        token: d.adminToken,
        json: { reason: "We meet weekly now" },
      });
    const ended = await expectJson<SeriesView>(await end(), 200);
    expect(ended).toMatchObject({
      status: "ended",
      version: 2,
      nextDates: [],
      endedAt: expect.any(String) as string,
    });
    expect(await expectJson<SeriesView>(await end(), 200)).toEqual(ended);
    expect(
      await expectJson<SeriesView>(
        await h.call("GET", `${seriesPath()}/${made.id}`, { token: d.adminToken }),
        200,
      ),
    ).toEqual(ended);
    await expectProblem(
      await h.call("POST", `${seriesPath()}/no-such-series/end`, { token: d.adminToken }),
      404,
    );
    await expectProblem(await h.call("GET", `${seriesPath()}/no-such-series`, { token: d.adminToken }), 404);
  });
});

describe("bad input", () => {
  /** What the quiet group holds, and every SeriesCreated written: neither may change. */
  const written = async () => {
    const scan = await h.runtime.dynamo.send(
      new ScanCommand({
        TableName: h.runtime.store.tableName,
        FilterExpression: "kind = :outbox AND eventType = :type",
        ExpressionAttributeValues: { ":outbox": "outbox", ":type": "SeriesCreated" },
      }),
    );
    return {
      created: scan.Items?.length,
      series: await expectJson(await h.call("GET", seriesPath(quietGroupId), { token: d.adminToken }), 200),
    };
  };

  const tuesday = () => `${dateIn(3, 2)}T19:00`;

  it.each([
    ["an hourly rule", () => ({ rrule: "FREQ=HOURLY" }), "rrule", /several times a day/],
    ["a rule by the minute", () => ({ rrule: "FREQ=MINUTELY;INTERVAL=15" }), "rrule", /several times a day/],
    [
      "more than one session a day",
      () => ({ rrule: "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10,19" }),
      "rrule",
      /once a day/,
    ],
    ["a rule that is not RRULE text", () => ({ rrule: "every Tuesday" }), "rrule", /NAME=VALUE/],
    ["COUNT and UNTIL together", () => ({ rrule: "FREQ=WEEKLY;COUNT=3;UNTIL=20991231" }), "rrule", /both/],
    [
      "a start the clocks skip",
      () => ({ startLocal: `${nextSpringForward()}T01:30`, rrule: "FREQ=MONTHLY;BYDAY=-1SU" }),
      "startLocal",
      /does not exist on .* in Europe\/London: the clocks go forward/,
    ],
    [
      "a time the clocks skip on a later date",
      () => ({ startLocal: `${dateIn(2, 0)}T01:30`, rrule: "FREQ=WEEKLY;BYDAY=SU" }),
      "startLocal",
      /01:30 does not exist on \d{4}-03-\d\d/,
    ],
    [
      "a start not on the rule",
      () => ({ rrule: "FREQ=WEEKLY;BYDAY=WE" }),
      "startLocal",
      /not one of the rule's dates/,
    ],
    [
      "an EXDATE not on the rule",
      () => ({ rrule: "FREQ=WEEKLY;BYDAY=TU", exdates: [`${dateIn(10, 3)}T19:00`] }),
      "exdates.0",
      /is not one of the rule's dates/,
    ],
    [
      "an EXDATE at another time of day",
      () => ({ rrule: "FREQ=WEEKLY;BYDAY=TU", exdates: [`${dateIn(10, 2)}T18:00`] }),
      "exdates.0",
      /is not one of the rule's dates/,
    ],
    [
      "an RDATE on a day it meets already",
      () => ({ rrule: "FREQ=WEEKLY;BYDAY=TU", rdates: [`${dateIn(10, 2)}T11:00`] }),
      "rdates.0",
      /at most once a day/,
    ],
    [
      "an RDATE that is not a date",
      () => ({ rrule: "FREQ=WEEKLY", rdates: ["next Friday"] }),
      "rdates.0",
      /YYYY-MM-DDTHH:mm/,
    ],
    [
      "a facilitator not in the group",
      () => ({ rrule: "FREQ=WEEKLY", facilitatorMemberId: "not-a-member" }),
      "facilitatorMemberId",
      /member of the group/,
    ],
  ])("refuses %s, naming the field, and writes nothing", async (_name, body, field, message) => {
    const before = await written();
    const problem = await expectFieldProblem(
      await post({ title: "Refused", startLocal: tuesday(), ...body() }, quietGroupId),
      field,
    );
    expect(problem.errors!.find((e) => e.field === field)!.message).toMatch(message);
    expect(await written()).toEqual(before);
  });

  it("refuses a series for a group that does not exist", async () => {
    await expectProblem(
      await post({ title: "Nowhere", startLocal: tuesday(), rrule: "FREQ=WEEKLY" }, "no-such-group"),
      404,
    );
  });

  it("lets a member who is in the group facilitate", async () => {
    const member = await expectJson<MemberView>(
      await h.call("POST", `/api/v1/organisations/${d.organisationId}/members`, {
        token: d.adminToken,
        json: { name: "Quinn Quiet", email: "quinn@seriesbridge.example.org" },
      }),
      201,
    );
    expect(
      (
        await h.call(
          "PUT",
          `/api/v1/organisations/${d.organisationId}/groups/${quietGroupId}/members/${member.id}`,
          { token: d.adminToken },
        )
      ).status,
    ).toBe(204);
    await expectJson(
      await post(
        { title: "Allowed", startLocal: tuesday(), rrule: "FREQ=WEEKLY", facilitatorMemberId: member.id },
        quietGroupId,
      ),
      201,
    );
  });
});
