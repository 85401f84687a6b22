// The series part of `npm run bench`: the time to create S series (default 500, one per group)
// and to materialise their 13-week windows as sessions, and DynamoDB requests per occurrence
// made, measured on the running platform.
//
// 1. Seeds S groups (untimed) in one organisation.
// 2. Creates a weekly series in each through the use case the API calls (createSeries), 16
//    at a time, timed.
// 3. Materialises each series' window through the use case the SeriesCreated handler and
//    the daily job call (extendSeriesWindow), 16 at a time, timed; every occurrence is one
//    session with its SessionScheduled in the outbox. The events those sessions cause
//    (reminders planned, activity) are what the pipeline section times, so they are left
//    unhandled here: this section runs after the others.
// 4. Checks every series has exactly its 13 sessions, and counts the requests of each step
//    with SDK middleware.

import { performance } from "node:perf_hooks";
import pMap from "p-map";
import { localDateTimeAt } from "#domain/local-time.ts";
import { seriesWindowWeeks } from "#domain/series.ts";
import type { RunningPlatform } from "#infra/local/platform.ts";
import { createGroup, createOrganisation } from "#use-cases/directory/manage-directory.ts";
import { createSeries } from "#use-cases/series/create-series.ts";
import { extendSeriesWindow } from "#use-cases/series/extend-series-window.ts";
import { classifyDynamo, RequestLog } from "./probes.ts";

export interface SeriesBenchResult {
  series: number;
  occurrences: number;
  create: { seconds: number; requestsPerSeries: number };
  materialise: { seconds: number; requestsPerOccurrence: number; byCommand: Record<string, number> };
}

const concurrency = 16;
const dayMs = 86_400_000;

const count = <T>(items: readonly T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>(
    (acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc),
    {},
  );

export const benchSeries = async (
  platform: RunningPlatform,
  seriesCount: number,
  progress: (message: string) => void,
): Promise<SeriesBenchResult> => {
  const { runtime } = platform;
  const ports = runtime.ports;
  const org = await createOrganisation(ports, { name: "Series bench" });
  const zones = ["Europe/London", "America/New_York", "Europe/Berlin"];
  const groups = await pMap(
    Array.from({ length: seriesCount }, (_, i) => i),
    (i) =>
      createGroup(ports, org.id, {
        name: `Series bench group ${i}`,
        timeZone: zones[i % zones.length]!,
        leadershipModel: "collective",
      }),
    { concurrency },
  );
  progress(`series: seeded ${groups.length} groups`);

  const requests = new RequestLog();
  requests.attach(runtime.dynamo, "dynamo", classifyDynamo);
  try {
    // The first session two days ahead at 19:00 local: every window holds 13 weeks of sessions.
    const startFor = (timeZone: string) =>
      `${localDateTimeAt(new Date(runtime.clock.now().getTime() + 2 * dayMs), timeZone).slice(0, 10)}T19:00`;
    requests.phase = "create";
    let t = performance.now();
    const made = await pMap(
      groups,
      (group) =>
        createSeries(ports, org.id, group.id, {
          title: "Weekly meeting",
          startLocal: startFor(group.timeZone),
          durationMinutes: 90,
          duties: [],
          rrule: "FREQ=WEEKLY",
          rdates: [],
          exdates: [],
        }),
      { concurrency },
    );
    const createSeconds = (performance.now() - t) / 1000;

    requests.phase = "materialise";
    t = performance.now();
    const extended = await pMap(made, (series) => extendSeriesWindow(ports, series), { concurrency });
    const materialiseSeconds = (performance.now() - t) / 1000;
    requests.phase = undefined;

    const occurrences = extended.reduce((sum, e) => sum + ("added" in e ? e.added : 0), 0);
    const short = extended.filter((e) => !("added" in e) || e.added !== seriesWindowWeeks);
    if (short.length > 0)
      throw new Error(`${short.length} series did not make exactly ${seriesWindowWeeks} sessions`);
    const sessions = await ports.store.listUpcomingSessions(org.id, made[0]!.groupId, new Date(0), 100);
    if (sessions.length !== seriesWindowWeeks)
      throw new Error(`a series' group holds ${sessions.length} sessions, not ${seriesWindowWeeks}`);
    const materialising = requests.of("materialise");
    return {
      series: made.length,
      occurrences,
      create: { seconds: createSeconds, requestsPerSeries: requests.of("create").length / made.length },
      materialise: {
        seconds: materialiseSeconds,
        requestsPerOccurrence: materialising.length / occurrences,
        byCommand: count(materialising, (r) => r.command),
      },
    };
  } finally {
    requests.detachAll();
  }
};

export const renderSeriesReport = (r: SeriesBenchResult): string =>
  [
    "",
    `Series — ${r.series} weekly series, one per group, each materialised ${seriesWindowWeeks} weeks ahead`,
    `  created              ${r.series} in ${r.create.seconds.toFixed(2)} s (${(r.series / r.create.seconds).toFixed(0)}/s) · ${r.create.requestsPerSeries.toFixed(2)} DynamoDB requests per series`,
    `  materialised         ${r.occurrences} sessions in ${r.materialise.seconds.toFixed(2)} s (${(r.occurrences / r.materialise.seconds).toFixed(0)}/s)`,
    `  DynamoDB per session ${r.materialise.requestsPerOccurrence.toFixed(2)}   (by command ${Object.entries(
      r.materialise.byCommand,
    )
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(" · ")})`,
  ].join("\n");
