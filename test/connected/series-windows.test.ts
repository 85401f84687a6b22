// A series' occurrences made sessions 13 weeks ahead, against DynamoDB Local: on SeriesCreated
// (delivered twice, and at once), by the daily job as the clock moves on, after a process died
// at any step of either (the re-run completes the window and duplicates nothing), and undone
// for the future when the series ends. The sessions are ordinary ones: the same flows plan
// their reminders.

import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import {
  createExtendDueSeriesWindows,
  createExtendSeriesWindows,
} from "#functions/extend-series-windows/handler.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { seriesWindowMs, type Series } from "#domain/series.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import type { SeriesStore } from "#ports/series-store.ts";
import { createSeries, seriesSnapshot, type SeriesDetails } from "#use-cases/series/create-series.ts";
import { endSeries } from "#use-cases/series/end-series.ts";
import { extendSeriesWindow } from "#use-cases/series/extend-series-window.ts";
import { cancelSession, recordAttendance, rescheduleSession } from "#use-cases/sessions/session-changes.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { createNotifySessionChange } from "#functions/notify-session-change/handler.ts";
import { buildDirectory, startApiHarness, type ApiHarness, type Directory } from "./api-harness.ts";

const dayMs = 86_400_000;
let h: ApiHarness;
let a: Directory;
let ports: Ports;

beforeAll(async () => {
  h = await startApiHarness();
  ports = h.runtime.ports;
  a = await buildDirectory(h, {
    organisation: "Seriesford Network",
    group: "Seriesford Tuesday Group",
    member: "Sam Seriesford",
    email: "sam@seriesford.example.org",
  });
});

afterAll(async () => {
  await h?.close();
});

/** 19:00 in London `days` from the platform's now, written YYYY-MM-DDTHH:mm. */
const startIn = (days: number) =>
  `${localDateTimeAt(new Date(ports.clock.now().getTime() + days * dayMs), "Europe/London").slice(0, 10)}T19:00`;

const details = (more: Partial<SeriesDetails> = {}): SeriesDetails => ({
  title: "Tuesday meeting",
  startLocal: startIn(2),
  durationMinutes: 90,
  duties: [],
  facilitatorMemberId: a.memberId,
  rrule: "FREQ=WEEKLY",
  rdates: [],
  exdates: [],
  ...more,
});

const created = (series: Series): ConveneEvent =>
  newEvent(
    "SeriesCreated",
    { organisationId: series.organisationId, groupId: series.groupId },
    { series: seriesSnapshot(series) },
    ports.clock.now(),
  );

const ref = (series: Series) => ({
  organisationId: series.organisationId,
  groupId: series.groupId,
  id: series.id,
});

/** The series' scheduled sessions, past and to come, by start (cancelled ones leave the index). */
const sessionsOf = async (series: Series): Promise<Session[]> => {
  const all = await ports.store.listUpcomingSessions(
    series.organisationId,
    series.groupId,
    new Date(0),
    1000,
  );
  return all.filter((s) => s.series?.seriesId === series.id);
};

/** Every event of a type in the table's outbox (the connected tests may scan their own table). */
const outbox = async (type: string): Promise<ConveneEvent[]> => {
  const events: ConveneEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await h.runtime.dynamo.send(
      new ScanCommand({
        TableName: h.runtime.store.tableName,
        FilterExpression: "kind = :outbox AND eventType = :type",
        ExpressionAttributeValues: { ":outbox": "outbox", ":type": type },
        ExclusiveStartKey: start,
      }),
    );
    events.push(...(page.Items ?? []).map((item) => JSON.parse(item.detail as string) as ConveneEvent));
    start = page.LastEvaluatedKey;
  } while (start);
  return events;
};

/** How many SessionScheduled events each of the series' sessions has. */
const scheduledCounts = async (series: Series): Promise<Record<string, number>> => {
  const counts: Record<string, number> = {};
  for (const event of await outbox("SessionScheduled")) {
    if (event.type !== "SessionScheduled" || !event.data.session.id.startsWith(series.id)) continue;
    counts[event.data.session.id] = (counts[event.data.session.id] ?? 0) + 1;
  }
  return counts;
};

/** Weekly at 19:00 London time from the first start: the window's sessions, independently worked out. */
const expectWeeklyWindow = async (series: Series, through: Date) => {
  const sessions = await sessionsOf(series);
  const firstDate = Date.parse(`${series.startLocal.slice(0, 10)}T12:00Z`);
  const expected: string[] = [];
  for (let week = 0; ; week++) {
    const local = `${new Date(firstDate + week * 7 * dayMs).toISOString().slice(0, 10)}T19:00`;
    if (sessionStartInstant(local, "Europe/London") >= through) break;
    expected.push(local);
  }
  expect(sessions.map((s) => s.startLocal)).toEqual(expected);
  expect(sessions.map((s) => s.id)).toEqual(expected.map((l) => `${series.id}_${l.replace(/[-:]/g, "")}`));
  // Each made once: one session, one SessionScheduled.
  expect(Object.values(await scheduledCounts(series))).toEqual(expected.map(() => 1));
  return sessions;
};

describe("an occurrence is an ordinary session", () => {
  // First, while the stream holds little else for the engine to work through.
  it("gets its members' reminders planned by the same flow as any scheduled session", async () => {
    const series = await createSeries(
      ports,
      a.organisationId,
      a.groupId,
      details({ startLocal: startIn(3) }),
    );
    const engine = new LocalEngine(h.runtime);
    await engine.settle();
    const sessions = await sessionsOf(series);
    expect(sessions).toHaveLength(13);
    const far = new Date(ports.clock.now().getTime() + 2 * seriesWindowMs);
    const planned = new Set<string>();
    for (const schedule of await h.runtime.scheduler.due(far, 5000)) {
      const event = schedule.event as ConveneEvent;
      if (event.type === "SessionReminderDue") planned.add(event.data.sessionId);
    }
    for (const session of sessions) expect(planned, session.id).toContain(session.id);
    await engine.stop();
  });
});

describe("making a series' occurrences sessions", () => {
  it("makes the next 13 weeks' occurrences ordinary sessions, once, however often and at once SeriesCreated comes", async () => {
    const series = await createSeries(ports, a.organisationId, a.groupId, details());
    expect(await sessionsOf(series)).toEqual([]);
    const handle = createExtendSeriesWindows(ports);
    const event = created(series);
    await Promise.all([handle(event), handle(event), handle(event)]);
    await handle(event);

    const sessions = await expectWeeklyWindow(series, new Date(ports.clock.now().getTime() + seriesWindowMs));
    expect(sessions).toHaveLength(13);
    for (const session of sessions)
      expect(session).toMatchObject({
        version: 1,
        status: "scheduled",
        title: "Tuesday meeting",
        timeZone: "Europe/London",
        durationMinutes: 90,
        facilitatorMemberId: a.memberId,
        series: { seriesId: series.id, originalStartLocal: session.startLocal },
      });
    const stored = (await ports.series.getSeries(a.organisationId, a.groupId, series.id))!;
    const edge = Date.parse(stored.materialisedUntil!);
    expect(edge).toBeGreaterThan(sessionStartInstant(sessions.at(-1)!.startLocal, "Europe/London").getTime());
    expect(edge).toBeLessThanOrEqual(ports.clock.now().getTime() + seriesWindowMs);
    expect(Date.parse(stored.nextOccurrenceAt!)).toBe(
      sessionStartInstant(sessions.at(-1)!.startLocal, "Europe/London").getTime() + 7 * dayMs,
    );
    // Each SessionScheduled follows from SeriesCreated.
    const scheduled = (await outbox("SessionScheduled")).filter(
      (e) => e.type === "SessionScheduled" && e.data.session.id.startsWith(series.id),
    );
    expect(new Set(scheduled.map((e) => e.correlationId))).toEqual(new Set([event.correlationId]));
  });

  it("leaves an occurrence a coordinator moved or cancelled as they left it when the window is made again", async () => {
    const series = await createSeries(
      ports,
      a.organisationId,
      a.groupId,
      details({ startLocal: startIn(3) }),
    );
    // Every session written, the edge not yet moved: the next run makes the whole window again.
    await expect(
      extendSeriesWindow({ ...ports, series: dying(ports.series, "before-edge", 0) }, ref(series)),
    ).rejects.toThrow(/process died/);
    const [first, second] = await sessionsOf(series);
    await rescheduleSession(ports, a.organisationId, a.groupId, first!.id, {
      startLocal: first!.startLocal.replace("T19:00", "T18:00"),
    });
    await cancelSession(ports, a.organisationId, a.groupId, second!.id, "Venue closed");

    expect(await extendSeriesWindow(ports, ref(series))).toMatchObject({ added: 0, existing: 13 });
    expect(await ports.store.getSession(a.organisationId, a.groupId, first!.id)).toMatchObject({
      startLocal: first!.startLocal.replace("T19:00", "T18:00"),
      version: 2,
      series: { seriesId: series.id, originalStartLocal: first!.startLocal },
    });
    expect(await ports.store.getSession(a.organisationId, a.groupId, second!.id)).toMatchObject({
      status: "cancelled",
      version: 2,
    });
  });
});

/** The series store, dying (throwing, as a killed process stops) at one step of a materialisation. */
const dying = (
  real: SeriesStore,
  step: "before-occurrence" | "after-occurrence" | "before-edge",
  afterCalls: number,
): SeriesStore => {
  let calls = 0;
  const crash = () => new Error(`process died (${step})`);
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property === "addOccurrence" && step !== "before-edge")
        return async (...args: Parameters<SeriesStore["addOccurrence"]>) => {
          if (++calls > afterCalls && step === "before-occurrence") throw crash();
          const outcome = await target.addOccurrence(...args);
          if (calls > afterCalls) throw crash(); // written, but its answer never arrived
          return outcome;
        };
      if (property === "advanceSeriesWindow" && step === "before-edge") return () => Promise.reject(crash());
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
};

describe("a materialisation cut short", () => {
  it.each([
    ["before writing its 5th session", "before-occurrence", 4],
    ["right after writing its 8th session, before hearing it was written", "after-occurrence", 7],
    ["after every session, before moving the window's edge", "before-edge", 0],
  ] as const)("%s: the next run completes the window with nothing twice", async (_name, step, afterCalls) => {
    const series = await createSeries(
      ports,
      a.organisationId,
      a.groupId,
      details({ startLocal: startIn(4) }),
    );
    await expect(
      extendSeriesWindow({ ...ports, series: dying(ports.series, step, afterCalls) }, ref(series)),
    ).rejects.toThrow(/process died/);
    expect(
      (await ports.series.getSeries(a.organisationId, a.groupId, series.id))!.materialisedUntil,
    ).toBeUndefined();
    const made = (await sessionsOf(series)).length;
    expect(made).toBe(
      step === "before-edge" ? 13 : step === "after-occurrence" ? afterCalls + 1 : afterCalls,
    );

    expect(await extendSeriesWindow(ports, ref(series))).toEqual({
      added: 13 - made,
      existing: made,
      until: expect.any(String) as string,
    });
    await expectWeeklyWindow(series, new Date(ports.clock.now().getTime() + seriesWindowMs));
    expect(
      (await ports.series.getSeries(a.organisationId, a.groupId, series.id))!.materialisedUntil,
    ).toBeDefined();
  });
});

describe("the daily job", () => {
  it("moves every due series' window on as the clock moves, in any organisation, and finds nothing to do when run again", async () => {
    const b = await buildDirectory(h, {
      organisation: "Other Series Network",
      group: "Other Group",
      member: "Olu Other",
      email: "olu@other-series.example.org",
    });
    const ours = await createSeries(ports, a.organisationId, a.groupId, details({ startLocal: startIn(1) }));
    const theirs = await createSeries(ports, b.organisationId, b.groupId, {
      ...details({ startLocal: startIn(1) }),
      facilitatorMemberId: b.memberId,
    });
    // A monthly series whose next session is beyond the window after the first fill.
    const monthly = await createSeries(
      ports,
      a.organisationId,
      a.groupId,
      details({ startLocal: startIn(1), rrule: "FREQ=MONTHLY;INTERVAL=12" }),
    );
    const job = createExtendDueSeriesWindows(ports);
    await job();
    for (const series of [ours, theirs])
      await expectWeeklyWindow(series, new Date(ports.clock.now().getTime() + seriesWindowMs));
    expect(await sessionsOf(monthly)).toHaveLength(1);
    const due = await ports.series.listSeriesDue(new Date(ports.clock.now().getTime() + seriesWindowMs));
    expect(due.items.map((s) => s.id)).not.toContain(ours.id);

    h.runtime.clock.advance(24 * dayMs);
    const dueNow = await ports.series.listSeriesDue(new Date(ports.clock.now().getTime() + seriesWindowMs));
    expect(dueNow.items.map((s) => s.id)).toEqual(expect.arrayContaining([ours.id, theirs.id]));
    expect(dueNow.items.map((s) => s.id)).not.toContain(monthly.id);
    await job();
    await job();
    for (const series of [ours, theirs]) {
      const sessions = await expectWeeklyWindow(
        series,
        new Date(ports.clock.now().getTime() + seriesWindowMs),
      );
      expect(sessions.length).toBeGreaterThanOrEqual(13 + 3);
    }
    expect(await sessionsOf(monthly)).toHaveLength(1);
  });
});

describe("ending a series", () => {
  it("cancels its sessions still to come, once, leaves one held alone, and makes no more", async () => {
    const series = await createSeries(
      ports,
      a.organisationId,
      a.groupId,
      details({ startLocal: startIn(5) }),
    );
    await extendSeriesWindow(ports, ref(series));
    const sessions = await sessionsOf(series);
    // One occurrence has happened by now and its attendance is recorded: it was held.
    h.runtime.clock.advance(6 * dayMs);
    const held = sessions[0]!;
    await recordAttendance(ports, a.organisationId, a.groupId, held.id, 9);
    const read = (await ports.series.getSeries(a.organisationId, a.groupId, series.id))!;

    const ended = await endSeries(ports, a.organisationId, a.groupId, series.id, "We now meet monthly");
    expect(ended).toMatchObject({ status: "ended", version: read.version + 1 });
    expect(ended.nextOccurrenceAt).toBeUndefined();
    expect(await endSeries(ports, a.organisationId, a.groupId, series.id)).toEqual(ended);
    const [endedEvent] = (await outbox("SeriesEnded")).filter(
      (e) => e.type === "SeriesEnded" && e.data.seriesId === series.id,
    );
    expect(endedEvent).toBeDefined();

    // A materialisation that read the series before it ended writes nothing more.
    const late = {
      ...sessions[1]!,
      id: `${series.id}_late`,
      series: { seriesId: series.id, originalStartLocal: "x" },
    };
    expect(await ports.series.addOccurrence(late, read.version, created(series))).toBe("series-changed");

    const handle = createExtendSeriesWindows(ports);
    await Promise.all([handle(endedEvent!), handle(endedEvent!)]);
    await handle(endedEvent!);
    const after = await Promise.all(
      sessions.map((s) => ports.store.getSession(a.organisationId, a.groupId, s.id)),
    );
    expect(after[0]).toMatchObject({ status: "scheduled", attendance: { headcount: 9 } });
    for (const session of after.slice(1)) expect(session).toMatchObject({ status: "cancelled", version: 2 });
    const cancellations = (await outbox("SessionCancelled")).filter(
      (e) => e.type === "SessionCancelled" && e.data.session.id.startsWith(series.id),
    );
    expect(cancellations).toHaveLength(sessions.length - 1);
    expect(cancellations.every((e) => e.type === "SessionCancelled" && e.data.cause === "series-ended")).toBe(
      true,
    );
    // None is within 48 hours, so members are not told of each at once (nor of the series' end yet).
    const sent = (await h.runtime.outbox.list()).length;
    const notify = createNotifySessionChange(ports);
    for (const cancellation of cancellations) await notify(cancellation);
    expect((await h.runtime.outbox.list()).length).toBe(sent);

    expect(await extendSeriesWindow(ports, ref(series))).toEqual({ skipped: "ended" });
    const due = await ports.series.listSeriesDue(new Date(ports.clock.now().getTime() + 10 * seriesWindowMs));
    expect(due.items.map((s) => s.id)).not.toContain(series.id);
  });
});
