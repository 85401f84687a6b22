// Calendar feeds through /api/v1 over DynamoDB Local: a group's public feed (off until the group
// publishes it, with a neutral title on request) and a member's private feed at a URL that can
// be replaced and revoked. Each feed is read with ical.js, not the library that writes it.

import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newEvent } from "#domain/new-event.ts";
import { createExtendSeriesWindows } from "#functions/extend-series-windows/handler.ts";
import { seriesSnapshot } from "#use-cases/series/create-series.ts";
import { readFeed } from "#test/unit/calendar-feed-reader.ts";
import {
  addGroup,
  buildDirectory,
  expectJson,
  expectProblem,
  localStartInDays,
  readOpenApiDocument,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type SessionView,
} from "./api-harness.ts";

interface SeriesView {
  id: string;
  nextDates: { startLocal: string; startsAt: string }[];
}
interface GroupFeedView {
  published: boolean;
  neutralTitle?: string;
  url: string;
}

const dayMs = 86_400_000;
const member = { name: "Tess Feedbridge", email: "tess@feedbridge.example.org" };
let h: ApiHarness;
let d: Directory;
let otherGroupId: string;
let secondGroupId: string;
let series: SeriesView;
let moved: SessionView;
let cancelled: SessionView;
let oneOff: SessionView;

const groupPath = (groupId = d.groupId) => `/api/v1/organisations/${d.organisationId}/groups/${groupId}`;
const feedPath = (groupId = d.groupId) =>
  `/api/v1/feeds/organisations/${d.organisationId}/groups/${groupId}.ics`;
const publish = async (json: unknown, groupId = d.groupId) =>
  expectJson<GroupFeedView>(
    await h.call("PUT", `${groupPath(groupId)}/calendar-feed`, { token: d.adminToken, json }),
    200,
  );
const issue = async (memberId = d.memberId) =>
  expectJson<{ url: string; issuedAt: string }>(
    await h.call("POST", `${groupPath()}/members/${memberId}/calendar-feed`, { token: d.adminToken }),
    201,
  );
const pathOf = (url: string) => new URL(url).pathname;

/** The next date from `days` ahead that falls on `weekday` (0 = Sunday), in UTC terms. */
const dateIn = (days: number, weekday: number) => {
  const at = new Date(Date.now() + days * dayMs);
  return new Date(at.getTime() + ((weekday - at.getUTCDay() + 7) % 7) * dayMs).toISOString().slice(0, 10);
};

/** Makes a weekly series in the group and materialises its window, as the bus would. */
const weeklySeries = async (groupId: string, title: string, first: string): Promise<SeriesView> => {
  const made = await expectJson<SeriesView>(
    await h.call("POST", `${groupPath(groupId)}/series`, {
      token: d.adminToken,
      json: {
        title,
        startLocal: `${first}T19:00`,
        rrule: "FREQ=WEEKLY;BYDAY=TU",
        // The member facilitates in their own group: the feed must still not name them.
        ...(groupId === d.groupId ? { facilitatorMemberId: d.memberId } : {}),
      },
    }),
    201,
  );
  const stored = (await h.runtime.ports.series.getSeries(d.organisationId, groupId, made.id))!;
  await createExtendSeriesWindows(h.runtime.ports)(
    newEvent(
      "SeriesCreated",
      { organisationId: d.organisationId, groupId },
      { series: seriesSnapshot(stored) },
      new Date(),
    ),
  );
  return made;
};

const occurrenceId = (startLocal: string) => `${series.id}_${startLocal.replace(/[-:]/g, "")}`;

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Feedbridge Network",
    group: "Bipolar Support Feedbridge",
    member: member.name,
    email: member.email,
  });
  otherGroupId = await addGroup(h, d, "Feedbridge Other Circle");
  secondGroupId = await addGroup(h, d, "Feedbridge Carers", "America/New_York");
  expect(
    (await h.call("PUT", `${groupPath(secondGroupId)}/members/${d.memberId}`, { token: d.adminToken }))
      .status,
  ).toBe(204);

  series = await weeklySeries(d.groupId, "Tuesday circle", dateIn(3, 2));
  await weeklySeries(otherGroupId, "Other circle", dateIn(3, 2));
  const [, second, third] = series.nextDates;
  moved = await expectJson<SessionView>(
    await h.call("POST", `${groupPath()}/sessions/${occurrenceId(second!.startLocal)}/reschedule`, {
      token: d.adminToken,
      json: { startLocal: `${second!.startLocal.slice(0, 10)}T20:00` },
    }),
    200,
  );
  cancelled = await expectJson<SessionView>(
    await h.call("POST", `${groupPath()}/sessions/${occurrenceId(third!.startLocal)}/cancel`, {
      token: d.adminToken,
      json: { reason: "Venue closed" },
    }),
    200,
  );
  oneOff = await expectJson<SessionView>(
    await h.call("POST", `${groupPath(secondGroupId)}/sessions`, {
      token: d.adminToken,
      json: { title: "Carers' picnic", startLocal: localStartInDays(10), facilitatorMemberId: d.memberId },
    }),
    201,
  );
});

afterAll(async () => {
  await h?.close();
});

describe("a group's public feed", () => {
  it("is not there until the group publishes it", async () => {
    await expectProblem(await h.call("GET", feedPath()), 404);
    const settings = await expectJson<GroupFeedView>(
      await h.call("GET", `${groupPath()}/calendar-feed`, { token: d.adminToken }),
      200,
    );
    expect(settings).toMatchObject({ published: false });
    expect(pathOf(settings.url)).toBe(feedPath());
  });

  it("once published, holds the series as one recurring VEVENT, its moved and cancelled occurrences, and no person", async () => {
    expect(await publish({ published: true })).toMatchObject({ published: true });
    const response = await h.call("GET", feedPath());
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
    expect(response.headers.get("etag")).toMatch(/^"[\w-]+"$/);
    expect(Date.parse(response.headers.get("last-modified")!)).not.toBeNaN();

    const read = readFeed(text);
    const ours = read.vevents.filter((e) => e.getFirstPropertyValue("uid") === `${series.id}@convene`);
    const master = ours.find((e) => !e.hasProperty("recurrence-id"))!;
    const from = new Date(series.nextDates[0]!.startsAt);
    expect(read.expand(master, from, 5).map((t) => t.toISOString())).toEqual(
      series.nextDates.map((n) => n.startsAt),
    );
    const overrides = ours.filter((e) => e.hasProperty("recurrence-id"));
    expect(overrides).toHaveLength(2);
    const byStatus = Object.fromEntries(overrides.map((e) => [String(e.getFirstPropertyValue("status")), e]));
    expect(read.instantOf(byStatus.CONFIRMED!, "recurrence-id").toISOString()).toBe(
      series.nextDates[1]!.startsAt,
    );
    expect(read.instantOf(byStatus.CONFIRMED!, "dtstart").toISOString()).toBe(moved.startsAt);
    expect(read.instantOf(byStatus.CANCELLED!, "recurrence-id").toISOString()).toBe(cancelled.startsAt);
    expect(byStatus.CANCELLED!.getFirstPropertyValue("sequence")).toBe(cancelled.version - 1);

    // Nothing about who attends or runs it; only this group's entries.
    for (const personal of [member.name, member.email, d.memberId, "ATTENDEE", "ORGANIZER"])
      expect(text).not.toContain(personal);
    expect(text).not.toContain("Other circle");
    expect(text).not.toContain(oneOff.id);
  });

  it("answers 304 to the ETag it gave while nothing changed, and a new ETag once something did", async () => {
    const first = await h.call("GET", feedPath());
    const etag = first.headers.get("etag")!;
    const again = await h.call("GET", feedPath(), { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);

    const fourth = series.nextDates[3]!;
    await expectJson(
      await h.call("POST", `${groupPath()}/sessions/${occurrenceId(fourth.startLocal)}/cancel`, {
        token: d.adminToken,
        json: {},
      }),
      200,
    );
    const changed = await h.call("GET", feedPath(), { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("shows the neutral title in place of the group's and sessions' names, and is gone once withdrawn", async () => {
    expect(await publish({ published: true, neutralTitle: "Group meeting" })).toMatchObject({
      neutralTitle: "Group meeting",
    });
    const text = await (await h.call("GET", feedPath())).text();
    expect(text).not.toMatch(/bipolar|tuesday circle/i);
    const read = readFeed(text);
    expect(new Set(read.vevents.map((e) => e.getFirstPropertyValue("summary")))).toEqual(
      new Set(["Group meeting"]),
    );

    await publish({ published: false, neutralTitle: null });
    await expectProblem(await h.call("GET", feedPath()), 404);
    await expectProblem(await h.call("GET", feedPath("no-such-group")), 404);
  });

  it("is set only by the group's coordinators and admins, with a token", async () => {
    const coordinatorElsewhere = await h.token({
      subject: "coordinator-elsewhere",
      role: "group-coordinator",
      organisationId: d.organisationId,
      groupIds: [otherGroupId],
    });
    await expectProblem(
      await h.call("PUT", `${groupPath()}/calendar-feed`, {
        token: coordinatorElsewhere,
        json: { published: true },
      }),
      404,
    );
    await expectProblem(
      await h.call("PUT", `${groupPath()}/calendar-feed`, { json: { published: true } }),
      401,
    );
    await expectProblem(
      await h.call("POST", `${groupPath()}/members/${d.memberId}/calendar-feed`, {
        token: coordinatorElsewhere,
      }),
      404,
    );
  });
});

describe("a member's private feed", () => {
  it("holds the sessions of the member's groups only, published or not, and never the token in the table", async () => {
    const { url } = await issue();
    expect(pathOf(url)).toMatch(/^\/api\/v1\/feeds\/members\/[\w-]{43}\.ics$/);
    const response = await h.call("GET", pathOf(url));
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/^private, /);
    const uids = readFeed(text).vevents.map((e) => String(e.getFirstPropertyValue("uid")));
    expect(uids).toContain(`${series.id}@convene`);
    expect(uids).toContain(`${oneOff.id}@convene`);
    const others = (await h.runtime.ports.series.listSeries(d.organisationId, otherGroupId)).map(
      (s) => `${s.id}@convene`,
    );
    expect(others).toHaveLength(1);
    expect(uids).not.toContain(others[0]);
    for (const personal of [member.name, member.email]) expect(text).not.toContain(personal);

    const token = pathOf(url).split("/").pop()!.replace(".ics", "");
    const scan = await h.runtime.dynamo.send(new ScanCommand({ TableName: h.runtime.store.tableName }));
    expect(JSON.stringify(scan.Items)).not.toContain(token);
  });

  it("stops at its old URL when a new one is issued, and at every URL once revoked", async () => {
    const { url: old } = await issue();
    expect((await h.call("GET", pathOf(old))).status).toBe(200);
    const { url: current } = await issue();
    expect(current).not.toBe(old);
    await expectProblem(await h.call("GET", pathOf(old)), 404);
    expect((await h.call("GET", pathOf(current))).status).toBe(200);

    const revoked = await h.call("DELETE", `${groupPath()}/members/${d.memberId}/calendar-feed`, {
      token: d.adminToken,
    });
    expect(revoked.status).toBe(204);
    await expectProblem(await h.call("GET", pathOf(current)), 404);
    await expectProblem(
      await h.call("DELETE", `${groupPath()}/members/${d.memberId}/calendar-feed`, { token: d.adminToken }),
      404,
    );
    await expectProblem(await h.call("GET", "/api/v1/feeds/members/not-a-token.ics"), 404);
  });

  it("is issued only for a member of the group", async () => {
    const stranger = await expectJson<{ id: string }>(
      await h.call("POST", `/api/v1/organisations/${d.organisationId}/members`, {
        token: d.adminToken,
        json: { name: "Sam Stranger", email: "sam@feedbridge.example.org" },
      }),
      201,
    );
    await expectProblem(
      await h.call("POST", `${groupPath()}/members/${stranger.id}/calendar-feed`, { token: d.adminToken }),
      404,
    );
  });
});

describe("the feeds in the contract and the logs", () => {
  it("are in the OpenAPI document, the feeds without a bearer token", async () => {
    const doc = (await readOpenApiDocument(h)) as unknown as {
      paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
    };
    const feed = doc.paths["/api/v1/feeds/organisations/{organisationId}/groups/{groupFeed}"]!.get!;
    expect(feed).toMatchObject({ operationId: "readGroupCalendarFeed", security: [] });
    expect(doc.paths["/api/v1/feeds/members/{memberFeed}"]!.get!.security).toEqual([]);
    const settings = doc.paths["/api/v1/organisations/{organisationId}/groups/{groupId}/calendar-feed"]!;
    expect(Object.keys(settings).sort()).toEqual(["get", "put"]);
    expect(settings.put!.security).toBeUndefined();
  });

  it("logged no name or address", () => {
    const logged = JSON.stringify(h.log.lines);
    for (const personal of [member.name, member.email]) expect(logged).not.toContain(personal);
  });
});
