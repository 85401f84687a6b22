// Edits of a series against DynamoDB Local, as calendar users expect them: one occurrence
// ("this", and its cancellation), "this and following" (a split) and "all". Each edit's
// events are delivered twice, and again after a process died part-way through bringing the
// sessions in line: every session ends as the edit has it, with one event per change, and
// held sessions never change.

import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import {
  createExtendDueSeriesWindows,
  createExtendSeriesWindows,
} from "#functions/extend-series-windows/handler.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import type { Series } from "#domain/series.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import type { SeriesStore } from "#ports/series-store.ts";
import { createSeries, type SeriesDetails } from "#use-cases/series/create-series.ts";
import { editSeries } from "#use-cases/series/edit-series.ts";
import { recordAttendance } from "#use-cases/sessions/session-changes.ts";
import { buildDirectory, startApiHarness, type ApiHarness, type Directory } from "./api-harness.ts";

const dayMs = 86_400_000;
let h: ApiHarness;
let a: Directory;
let ports: Ports;

beforeAll(async () => {
  h = await startApiHarness();
  ports = h.runtime.ports;
  a = await buildDirectory(h, {
    organisation: "Editham Network",
    group: "Editham Tuesday Group",
    member: "Eda Editham",
    email: "eda@editham.example.org",
  });
});

afterAll(async () => {
  await h?.close();
});

/** The date `days` from the platform's now in London, at `time`. */
const dayIn = (days: number, time = "19:00") =>
  `${localDateTimeAt(new Date(ports.clock.now().getTime() + days * dayMs), "Europe/London").slice(0, 10)}T${time}`;
/** The same date `weeks` later. */
const weeksOn = (local: string, weeks: number) =>
  `${new Date(Date.parse(`${local.slice(0, 10)}T12:00Z`) + weeks * 7 * dayMs).toISOString().slice(0, 10)}T${local.slice(11)}`;

const details = (startLocal: string): SeriesDetails => ({
  title: "Tuesday meeting",
  startLocal,
  durationMinutes: 90,
  duties: [],
  facilitatorMemberId: a.memberId,
  rrule: "FREQ=WEEKLY",
  rdates: [],
  exdates: [],
});

/** Every outbox event (the connected tests may scan their own table), in the order written. */
const outbox = async (): Promise<ConveneEvent[]> => {
  const events: ConveneEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await h.runtime.dynamo.send(
      new ScanCommand({
        TableName: h.runtime.store.tableName,
        FilterExpression: "kind = :outbox",
        ExpressionAttributeValues: { ":outbox": "outbox" },
        ExclusiveStartKey: start,
      }),
    );
    events.push(...(page.Items ?? []).map((item) => JSON.parse(item.detail as string) as ConveneEvent));
    start = page.LastEvaluatedKey;
  } while (start);
  return events.sort((x, y) => x.occurredAt.localeCompare(y.occurredAt));
};

/** The series' events of one kind (SeriesCreated, SeriesChanged), by the series they name. */
const seriesEvents = async (type: "SeriesCreated" | "SeriesChanged", seriesId: string) =>
  (await outbox()).filter((e) => e.type === type && e.data.series.id === seriesId);

/** What the tests read of a session event. */
type SessionEvent = ConveneEvent & {
  data: { session: { id: string; durationMinutes: number }; cause?: string; previousStartLocal?: string };
};

/** Session events about the sessions whose ids start with `prefix`. */
const sessionEvents = async (
  type: "SessionRescheduled" | "SessionCancelled" | "SessionScheduled",
  prefix: string,
): Promise<SessionEvent[]> =>
  (await outbox()).filter(
    (e) => e.type === type && (e as SessionEvent).data.session.id.startsWith(prefix),
  ) as SessionEvent[];

/** Every session of the group made from `seriesIds`, cancelled ones too, by start. */
const sessionsFrom = async (...seriesIds: string[]): Promise<Session[]> => {
  const scheduled = await ports.store.listUpcomingSessions(a.organisationId, a.groupId, new Date(0), 1000);
  const ids = new Set(scheduled.map((s) => s.id));
  const page = await h.runtime.dynamo.send(
    new ScanCommand({
      TableName: h.runtime.store.tableName,
      FilterExpression: "kind = :session AND #status = :cancelled",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":session": "session", ":cancelled": "cancelled" },
    }),
  );
  for (const item of page.Items ?? []) ids.add(item.id as string);
  const all = await Promise.all(
    [...ids].map((id) => ports.store.getSession(a.organisationId, a.groupId, id)),
  );
  return all
    .filter((s): s is Session => !!s?.series && seriesIds.includes(s.id.split("_")[0]!))
    .sort((x, y) => x.startLocal.localeCompare(y.startLocal));
};

const handle = () => createExtendSeriesWindows(ports);

/** A series made and its window filled, as SeriesCreated's handling does. */
const madeSeries = async (startLocal: string): Promise<Series> => {
  const series = await createSeries(ports, a.organisationId, a.groupId, details(startLocal));
  const [created] = await seriesEvents("SeriesCreated", series.id);
  await handle()(created!);
  return (await ports.series.getSeries(a.organisationId, a.groupId, series.id))!;
};

/** The series store, dying after `afterCalls` sessions aligned (written, the answer lost). */
const dyingAfter = (real: SeriesStore, afterCalls: number): SeriesStore => {
  let calls = 0;
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property === "alignOccurrence")
        return async (...args: Parameters<SeriesStore["alignOccurrence"]>) => {
          const outcome = await target.alignOccurrence(...args);
          if (++calls > afterCalls) throw new Error("process died (after aligning a session)");
          return outcome;
        };
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
};

/** Delivers each event twice, the second time once the first has finished. */
const deliverTwice = async (events: ConveneEvent[], ports_: Ports = ports) => {
  for (const event of events) {
    await createExtendSeriesWindows(ports_)(event);
    await createExtendSeriesWindows(ports)(event);
  }
};

const ref = {
  get o() {
    return a.organisationId;
  },
  get g() {
    return a.groupId;
  },
};

describe('an edit of "this" occurrence', () => {
  it("changes that one session only, as an override with its RECURRENCE-ID, told in its next reminder", async () => {
    const series = await madeSeries(dayIn(3));
    const fourth = weeksOn(series.startLocal, 3);
    const edited = await editSeries(ports, ref.o, ref.g, series.id, {
      scope: "this",
      occurrence: fourth,
      changes: { startLocal: `${fourth.slice(0, 10)}T18:00`, venue: { name: "Library" } },
    });
    expect(edited.series.version).toBe(series.version + 1);
    const changed = await seriesEvents("SeriesChanged", series.id);
    expect(changed.map((e) => e.type === "SeriesChanged" && e.data)).toEqual([
      expect.objectContaining({
        scope: "this",
        occurrence: fourth,
        changed: ["startLocal", "venue"],
        previousVersion: 1,
      }),
    ]);
    await deliverTwice(changed);

    const sessions = await sessionsFrom(series.id);
    expect(sessions).toHaveLength(13);
    const moved = sessions.find((s) => s.series!.originalStartLocal === fourth)!;
    expect(moved).toMatchObject({
      id: `${series.id}_${fourth.replace(/[-:]/g, "")}`,
      version: 2,
      startLocal: `${fourth.slice(0, 10)}T18:00`,
      venue: { name: "Library" },
      series: { seriesId: series.id, originalStartLocal: fourth, overridden: true },
      changeNote: "Now at 18:00 (was 19:00); now at Library",
    });
    for (const other of sessions.filter((s) => s !== moved)) expect(other.version).toBe(1);
    const rescheduled = await sessionEvents("SessionRescheduled", series.id);
    expect(rescheduled).toHaveLength(1);
    expect(rescheduled[0]!.data).toMatchObject({ cause: "series-edited", previousStartLocal: fourth });
  });

  it("cancels that one session, and the series skips its date: made again, it stays cancelled", async () => {
    const series = await madeSeries(dayIn(4));
    const third = weeksOn(series.startLocal, 2);
    await editSeries(ports, ref.o, ref.g, series.id, {
      scope: "this",
      occurrence: third,
      changes: { cancelled: true },
    });
    const stored = (await ports.series.getSeries(ref.o, ref.g, series.id))!;
    expect(stored.recurrence).toContain(`EXDATE;TZID=Europe/London:${third.replace(/[-:]/g, "")}00`);
    await deliverTwice(await seriesEvents("SeriesChanged", series.id));
    const sessions = await sessionsFrom(series.id);
    expect(sessions.filter((s) => s.status === "cancelled").map((s) => s.series!.originalStartLocal)).toEqual(
      [third],
    );
    expect(sessions).toHaveLength(13);
    const cancelled = await sessionEvents("SessionCancelled", series.id);
    expect(cancelled).toHaveLength(1);
    // A coordinator's own cancellation of one session: members are told at once (no cause).
    expect(cancelled[0]!.data.cause).toBeUndefined();
    expect(await sessionEvents("SessionScheduled", series.id)).toHaveLength(13);
  });
});

describe('an edit of "all"', () => {
  it.each([
    ["delivered twice", undefined],
    ["after a process died having aligned 3 sessions", 3],
  ] as const)(
    "%s: moves every session to come, once each; an override and the past stay",
    async (_n, dieAfter) => {
      const series = await madeSeries(dayIn(2));
      const sixth = weeksOn(series.startLocal, 5);
      await editSeries(ports, ref.o, ref.g, series.id, {
        scope: "this",
        occurrence: sixth,
        changes: { title: "Special meeting" },
      });
      // The first session is held: the clock passes it and its attendance is recorded.
      h.runtime.clock.advance(
        sessionStartInstant(series.startLocal, series.timeZone).getTime() -
          ports.clock.now().getTime() +
          3_600_000,
      );
      const firstId = `${series.id}_${series.startLocal.replace(/[-:]/g, "")}`;
      await recordAttendance(ports, ref.o, ref.g, firstId, 9);

      const { series: after } = await editSeries(ports, ref.o, ref.g, series.id, {
        scope: "all",
        changes: {
          startLocal: weeksOn(series.startLocal, 1).replace("T19:00", "T18:30"),
          durationMinutes: 120,
        },
      });
      expect(after).toMatchObject({
        version: 3,
        startLocal: weeksOn(series.startLocal, 1).replace("T19:00", "T18:30"),
      });
      const [, allEdit] = await seriesEvents("SeriesChanged", series.id);
      expect(allEdit!.type === "SeriesChanged" && allEdit.data).toMatchObject({
        scope: "all",
        changed: ["startLocal", "durationMinutes", "recurrence"],
      });
      if (dieAfter !== undefined)
        await expect(
          createExtendSeriesWindows({ ...ports, series: dyingAfter(ports.series, dieAfter) })(allEdit!),
        ).rejects.toThrow(/process died/);
      await deliverTwice([allEdit!]);

      const sessions = await sessionsFrom(series.id);
      // The window's 13, and the week the clock's move brought into it, made at the new time.
      expect(sessions).toHaveLength(14);
      const [held, ...rest] = sessions;
      const made = rest.at(-1)!;
      expect(made).toMatchObject({ id: `${series.id}_${made.startLocal.replace(/[-:]/g, "")}`, version: 1 });
      expect(made.startLocal).toBe(weeksOn(series.startLocal, 13).replace("T19:00", "T18:30"));
      expect(held).toMatchObject({
        id: firstId,
        startLocal: series.startLocal,
        durationMinutes: 90,
        attendance: { headcount: 9 },
      });
      for (const s of rest) {
        const special = s.series!.originalStartLocal === sixth;
        expect(s, s.id).toMatchObject(
          special
            ? { startLocal: sixth, durationMinutes: 90, title: "Special meeting" }
            : {
                startLocal: s.startLocal.slice(0, 10) + "T18:30",
                durationMinutes: 120,
                title: "Tuesday meeting",
              },
        );
        if (!special) expect(s.series!.originalStartLocal).toBe(s.startLocal);
      }
      // One SessionRescheduled per session moved: none twice, none for the held one or the override's second.
      const rescheduled = (await sessionEvents("SessionRescheduled", series.id)).filter(
        (e) => e.data.session.durationMinutes === 120,
      );
      expect(rescheduled.map((e) => e.data.session.id).sort()).toEqual(
        rest
          .slice(0, -1)
          .filter((s) => s.series!.originalStartLocal !== sixth)
          .map((s) => s.id)
          .sort(),
      );
      // Every date is still met: nothing is cancelled.
      expect(await sessionEvents("SessionCancelled", series.id)).toEqual([]);
    },
  );
});

describe('an edit of "this and following"', () => {
  it.each([
    ["delivered twice", undefined],
    ["after a process died having aligned 2 sessions", 2],
  ] as const)(
    "%s: splits the series; the new one takes over the sessions from there, ids kept",
    async (_n, dieAfter) => {
      const series = await madeSeries(dayIn(5));
      const fifth = weeksOn(series.startLocal, 4);
      const { series: old, successor } = await editSeries(ports, ref.o, ref.g, series.id, {
        scope: "following",
        occurrence: fifth,
        changes: { startLocal: fifth.replace("T19:00", "T20:00"), title: "Evening circle" },
      });
      expect(old).toMatchObject({
        version: 2,
        splitInto: { seriesId: successor!.id, originalStartLocal: fifth },
      });
      expect(old.recurrence[0]).toMatch(/^RRULE:FREQ=WEEKLY;BYDAY=\w\w;UNTIL=\d{8}T\d{6}Z$/);
      expect(successor).toMatchObject({
        version: 1,
        startLocal: fifth.replace("T19:00", "T20:00"),
        title: "Evening circle",
        splitFrom: { seriesId: series.id, originalStartLocal: fifth },
        materialisedUntil: series.materialisedUntil,
      });
      const events = [
        ...(await seriesEvents("SeriesChanged", series.id)),
        ...(await seriesEvents("SeriesCreated", successor!.id)),
      ];
      expect(events.map((e) => e.type)).toEqual(["SeriesChanged", "SeriesCreated"]);
      if (dieAfter !== undefined)
        await expect(
          createExtendSeriesWindows({ ...ports, series: dyingAfter(ports.series, dieAfter) })(events[0]!),
        ).rejects.toThrow(/process died/);
      await deliverTwice(events);

      const sessions = await sessionsFrom(series.id, successor!.id);
      // Still one session a week, 13 in the window, each made once.
      expect(sessions.map((s) => s.startLocal.slice(0, 10))).toEqual(
        Array.from({ length: 13 }, (_, week) => weeksOn(series.startLocal, week).slice(0, 10)),
      );
      expect(sessions.every((s) => s.id.startsWith(series.id) && s.status === "scheduled")).toBe(true);
      for (const [week, s] of sessions.entries())
        expect(s, s.id).toMatchObject(
          week < 4
            ? {
                version: 1,
                startLocal: weeksOn(series.startLocal, week),
                title: "Tuesday meeting",
                series: { seriesId: series.id },
              }
            : {
                version: 2,
                startLocal: weeksOn(series.startLocal, week).replace("T19:00", "T20:00"),
                title: "Evening circle",
                series: { seriesId: successor!.id, originalStartLocal: s.startLocal },
              },
        );
      expect(
        (await sessionEvents("SessionRescheduled", series.id)).map((e) => e.data.session.id).sort(),
      ).toEqual(
        sessions
          .slice(4)
          .map((s) => s.id)
          .sort(),
      );
      // Its SeriesCreated delivered again a week later fills no more (as of the event)...
      h.runtime.clock.advance(7 * dayMs);
      await handle()((await seriesEvents("SeriesCreated", successor!.id))[0]!);
      expect(await sessionsFrom(series.id, successor!.id)).toHaveLength(13);
      // ...the daily run moves the window on: beyond the old edge, the new series makes its own.
      await createExtendDueSeriesWindows(ports)();
      const later = await sessionsFrom(series.id, successor!.id);
      const fourteenth = weeksOn(series.startLocal, 13).replace("T19:00", "T20:00");
      expect(later.at(-1)).toMatchObject({
        id: `${successor!.id}_${fourteenth.replace(/[-:]/g, "")}`,
        startLocal: fourteenth,
        series: { seriesId: successor!.id, originalStartLocal: fourteenth },
      });
      expect(later).toHaveLength(14);
    },
  );
});
