// The daily window extension on one machine: the local engine runs the recurring job when its
// clock passes 03:15 UTC, as EventBridge Scheduler invokes the function on AWS; the next run is
// kept in the table (a restarted process finds it), and a failed run is tried again shortly.

import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createExtendSeriesWindows } from "#functions/extend-series-windows/handler.ts";
import { recurringJobs } from "#functions/recurring-jobs.ts";
import { nextRunAfter, RecurringSchedules } from "#adapters/local/recurring-schedules.ts";
import { localDateTimeAt, sessionStartInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { seriesWindowMs, type Series } from "#domain/series.ts";
import { createSeries, seriesSnapshot } from "#use-cases/series/create-series.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { buildDirectory, startApiHarness, type ApiHarness, type Directory } from "./api-harness.ts";

const dayMs = 86_400_000;
const job = recurringJobs.find((j) => j.name === "extend-due-series-windows")!;
let h: ApiHarness;
let d: Directory;
let engine: LocalEngine;

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Dailyjob Network",
    group: "Dailyjob Group",
    member: "Dee Dailyjob",
    email: "dee@dailyjob.example.org",
  });
  engine = new LocalEngine(h.runtime);
});

afterAll(async () => {
  await engine?.stop();
  await h?.close();
});

const now = () => h.runtime.clock.now();

const sessionsOf = async (series: Series) =>
  (await h.runtime.store.listUpcomingSessions(d.organisationId, d.groupId, new Date(0), 1000)).filter(
    (s) => s.series?.seriesId === series.id,
  );

/**
 * A fresh look at the table, as a restarted process has, at this job's schedule alone (the
 * other daily jobs fall due at their own hours, before or after it as the test's hour goes).
 */
const restarted = () =>
  new RecurringSchedules(DynamoDBDocumentClient.from(h.runtime.services), h.runtime.store.tableName, [job]);

it("extends the window when the local clock passes the job's time, keeps its next run in the table, and retries a failed run", async () => {
  const ports = h.runtime.ports;
  const start = `${localDateTimeAt(new Date(now().getTime() + 2 * dayMs), "Europe/London").slice(0, 10)}T19:00`;
  const series = await createSeries(ports, d.organisationId, d.groupId, {
    title: "Daily-job meeting",
    startLocal: start,
    durationMinutes: 60,
    duties: [],
    rrule: "FREQ=WEEKLY",
    rdates: [],
    exdates: [],
  });
  await createExtendSeriesWindows(ports)(
    newEvent(
      "SeriesCreated",
      { organisationId: d.organisationId, groupId: d.groupId },
      { series: seriesSnapshot(series) },
      now(),
    ),
  );
  await engine.settle();
  expect(await sessionsOf(series)).toHaveLength(13);
  // The first look scheduled the job for its next time, and a restarted process finds it there.
  expect(await restarted().due(now())).toEqual([]);
  expect(await restarted().due(nextRunAfter(job, now()))).toEqual([job]);

  await engine.advance(8 * dayMs);
  const after = await sessionsOf(series);
  expect(after.length).toBeGreaterThanOrEqual(14);
  const edge = now().getTime() + seriesWindowMs;
  expect(sessionStartInstant(after.at(-1)!.startLocal, "Europe/London").getTime()).toBeLessThan(edge);
  expect(
    sessionStartInstant(after.at(-1)!.startLocal, "Europe/London").getTime() + 7 * dayMs,
  ).toBeGreaterThanOrEqual(edge);
  expect(new Set(after.map((s) => s.id)).size).toBe(after.length);
  // Ran once for the days the clock jumped; next, tomorrow at its time.
  expect(await restarted().due(new Date(nextRunAfter(job, now()).getTime() - 1))).toEqual([]);

  // A run that fails is logged, and tried again a few minutes later.
  const real = h.runtime.jobs[job.name]!;
  h.runtime.jobs[job.name] = () => Promise.reject(new Error("DynamoDB unavailable"));
  await engine.advance(dayMs);
  expect(h.log.lines).toContainEqual({
    level: "error",
    message: "recurring job failed",
    fields: { job: job.name, error: "Error" },
  });
  const failedAt = now().getTime();
  expect(await restarted().due(new Date(failedAt + 4 * 60_000))).toEqual([]);
  expect(await restarted().due(new Date(failedAt + 5 * 60_000))).toEqual([job]);
  h.runtime.jobs[job.name] = real;
  await engine.advance(10 * 60_000);
  expect(await restarted().due(new Date(nextRunAfter(job, now()).getTime() - 1))).toEqual([]);
});
