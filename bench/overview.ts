// The organisation overview part of `npm run bench`: p50 and p95 of the overview
// read over an organisation of G groups (default 1,000), and its DynamoDB requests per read,
// against a floor measured in the same run.
//
// 1. Seeds G groups through the directory use case and their health items (all four
//    sections) and 12 months of trend counters directly through the overview's adapter
//    (DynamoOverviewStore): the very writes the track-group-health projection makes, without
//    first creating G groups' worth of members, sessions, votes and roles for it to read.
//    The figures vary by group (every 5th has an open vote, every 4th a vacancy, …), so
//    items have realistic sizes and the attention rules and sort have work to do.
// 2. Reads untimed W times, then N times timed, alternating in random order with the floor:
//    the same two key ranges (the group items; the overview partition's health and trend
//    items) queried side by side through a bare document client: all pages, no join, no
//    attention, no sort. One read at a time.
// 3. Counts every request of each read with SDK middleware, and checks that every group is
//    listed.

import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import pMap from "p-map";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import type { RunningPlatform } from "#infra/local/platform.ts";
import { defaultRoleCatalogue } from "#domain/role.ts";
import type { SectionWrite } from "#read-models/group-health.ts";
import { monthsUpTo, type TrendDelta } from "#read-models/monthly-trends.ts";
import { createGroup, createOrganisation } from "#use-cases/directory/manage-directory.ts";
import { readOrganisationOverview } from "#use-cases/overview/read-organisation-overview.ts";
import { classifyDynamo, latencyOf, RequestLog, type Interval, type LatencySummary } from "./probes.ts";

export interface RangeSize {
  pages: number;
  capacityUnits: number | undefined;
  approxKb: number | undefined;
}

export interface OverviewBenchResult {
  groups: number;
  /** The organisation read, and one of its groups (for the cold API's requests). */
  organisationId: string;
  groupId: string;
  reads: number;
  warmupReads: number;
  seeding: { seconds: number; via: string };
  overview: LatencySummary & { requestsPerRead: number; byCommand: Record<string, number> };
  floor: LatencySummary & { requestsPerRead: number; itemsPerRead: number };
  /** Overview over floor. */
  ratio: { p50: number; p95: number };
  /** Mean size of a health item as JSON (DynamoDB's own size is close to it). */
  healthItemJsonBytes: number;
  /**
   * What DynamoDB counts each of the two ranges as: pages, and read capacity units of one
   * eventually consistent pass (0.5 per 4 KB) with the KB they stand for, against the 1 MB a
   * Query page holds before the read needs another request.
   */
  ranges: Record<"groups" | "healthAndTrends", RangeSize>;
  attention: Record<string, number>;
}

const dayMs = 86_400_000;
const hourMs = 3_600_000;
const roles = defaultRoleCatalogue();
const facilitator = roles.find((r) => r.id === "facilitator")!;
const treasurer = roles.find((r) => r.id === "treasurer")!;

/** Group i's health, as the projection would have computed it at `now`. */
const sectionsOf = (i: number, now: Date): SectionWrite[] => {
  const at = now.toISOString();
  const inDays = (d: number) => new Date(now.getTime() + d * dayMs).toISOString();
  const nextIn = (i % 10) + 0.3;
  return [
    { name: "members", at, value: { count: 15 + (i % 16), unreachable: i % 7 === 0 ? 1 + (i % 3) : 0 } },
    {
      name: "sessions",
      at,
      value: [
        { sessionId: randomUUID(), startsAt: inDays(nextIn), hasFacilitator: i % 9 !== 0 },
        { sessionId: randomUUID(), startsAt: inDays(nextIn + 7), hasFacilitator: true },
      ],
    },
    {
      name: "votes",
      at,
      value:
        i % 5 === 0
          ? [
              {
                voteId: randomUUID(),
                question: "Shall we move our meetings to the community centre on Thursday evenings?",
                closesAt: new Date(now.getTime() + ((i % 4) * 24 + 6) * hourMs).toISOString(),
                ballots: i % 13,
                eligible: 15 + (i % 16),
                quorum: 0.5,
              },
            ]
          : [],
    },
    {
      name: "roles",
      at,
      value: {
        vacant: [
          ...(i % 13 === 0
            ? [
                {
                  roleId: facilitator.id,
                  name: facilitator.name,
                  critical: true,
                  vacantSince: inDays(-(i % 30)),
                },
              ]
            : []),
          ...(i % 4 === 0
            ? [
                {
                  roleId: treasurer.id,
                  name: treasurer.name,
                  critical: false,
                  vacantSince: inDays(-(i % 90)),
                },
              ]
            : []),
        ],
        trainingExpiries: [inDays(i % 60), inDays(200), inDays(400)],
      },
    },
  ];
};

/** A year of counters: about three sessions a month per group, a few votes and vacancies. */
const trendDeltasOf = (month: string, groups: number): TrendDelta[] => [
  ...["04", "11", "18", "25"].map((day) => ({
    month,
    counter: `sessions${day}` as const,
    by: Math.round(groups * 0.75),
  })),
  { month, counter: "votesClosed", by: Math.round(groups / 5) },
  { month, counter: "ballots", by: Math.round(groups / 5) * 14 },
  { month, counter: "eligible", by: Math.round(groups / 5) * 22 },
  { month, counter: "vacancies", by: Math.round(groups / 12) },
];

const count = <T>(items: readonly T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>(
    (acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc),
    {},
  );

export const benchOverview = async (
  platform: RunningPlatform,
  options: { groups: number; reads: number; warmupReads: number; seedConcurrency: number },
  progress: (message: string) => void,
): Promise<OverviewBenchResult> => {
  const { runtime, services } = platform;
  const ports = runtime.ports;
  const now = runtime.clock.now();

  // --- seed (untimed) ---
  const t = performance.now();
  const { id: o } = await createOrganisation(ports, { name: "Overview bench" });
  let groupId = "";
  await pMap(
    Array.from({ length: options.groups }, (_, i) => i),
    async (i) => {
      const group = await createGroup(ports, o, {
        name: `Overview bench group ${String(i + 1).padStart(4, "0")}`,
        timeZone: i % 2 ? "Europe/London" : "America/New_York",
        leadershipModel: "collective",
      });
      if (i === 0) groupId = group.id;
      for (const section of sectionsOf(i, now)) await ports.overview.putHealthSection(o, group.id, section);
    },
    { concurrency: options.seedConcurrency },
  );
  for (const month of monthsUpTo(now))
    await ports.overview.addToTrends(o, `bench-${o}-${month}`, trendDeltasOf(month, options.groups), now);
  const seedSeconds = (performance.now() - t) / 1000;
  progress(`overview: seeded ${options.groups} groups' health in ${seedSeconds.toFixed(1)} s`);

  // --- the floor: the same two key ranges, bare ---
  const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
  const floorClient = new DynamoDBClient({ ...local, endpoint: services.dynamo.endpoint });
  const floorDoc = DynamoDBDocumentClient.from(floorClient);
  const tableName = runtime.store.tableName;
  const queryAll = async (input: Omit<QueryCommandInput, "TableName">) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await floorDoc.send(
        new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const months = monthsUpTo(now);
  const groupsOf = keys.groupsOf(o);
  const overviewRange = keys.overviewUpTo(o, months.at(-1)!);
  const ranges: Omit<QueryCommandInput, "TableName">[] = [
    {
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": groupsOf.PK, ":prefix": groupsOf.SKPrefix },
    },
    {
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": overviewRange.PK,
        ":from": overviewRange.SKFrom,
        ":to": overviewRange.SKTo,
      },
    },
  ];
  const bareQueries = () => Promise.all(ranges.map(queryAll));
  /** One range once more, counting its pages and the capacity DynamoDB charges for it (untimed). */
  const measure = async (range: Omit<QueryCommandInput, "TableName">) => {
    let pages = 0;
    let units: number | undefined;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await floorDoc.send(
        new QueryCommand({
          ...range,
          TableName: tableName,
          ExclusiveStartKey: start,
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      pages++;
      const consumed = out.ConsumedCapacity?.CapacityUnits;
      if (consumed !== undefined) units = (units ?? 0) + consumed;
      start = out.LastEvaluatedKey;
    } while (start);
    return { pages, capacityUnits: units, approxKb: units === undefined ? undefined : units * 8 };
  };

  const requests = new RequestLog();
  requests.attach(runtime.dynamo, "dynamo", classifyDynamo);
  requests.attach(floorClient, "floor-dynamo", classifyDynamo);
  try {
    const read = () => readOrganisationOverview(ports, o, now);
    const [first, [, items]] = await Promise.all([read(), bareQueries()]);
    if (first.groups.length !== options.groups)
      throw new Error(`the overview listed ${first.groups.length} groups, expected ${options.groups}`);
    const healthItems = (items ?? []).filter((item) => item.kind === "group-health");
    const healthItemJsonBytes =
      healthItems.reduce((sum, item) => sum + JSON.stringify(item).length, 0) / healthItems.length;

    const [groupsRange, healthRange] = await Promise.all(ranges.map(measure));
    for (let i = 0; i < options.warmupReads; i++) await Promise.all([read(), bareQueries()]);

    const readTimes: Interval[] = [];
    const floorTimes: Interval[] = [];
    let floorItems = 0;
    for (let i = 0; i < options.reads; i++) {
      const timed = async (phase: "overview" | "floor") => {
        requests.phase = phase;
        const start = performance.now();
        if (phase === "overview") await read();
        else floorItems += (await bareQueries()).reduce((n, xs) => n + xs.length, 0);
        (phase === "overview" ? readTimes : floorTimes).push({ start, end: performance.now() });
        requests.phase = undefined;
      };
      const order = Math.random() < 0.5 ? (["overview", "floor"] as const) : (["floor", "overview"] as const);
      for (const phase of order) await timed(phase);
    }
    const overviewRequests = requests.of("overview", "dynamo");
    const floorRequests = requests.of("floor", "floor-dynamo");
    const overview = latencyOf(readTimes);
    const floor = latencyOf(floorTimes);
    return {
      groups: options.groups,
      organisationId: o,
      groupId,
      reads: options.reads,
      warmupReads: options.warmupReads,
      seeding: { seconds: seedSeconds, via: "the adapter (DynamoOverviewStore), not the projection" },
      overview: {
        ...overview,
        requestsPerRead: overviewRequests.length / options.reads,
        byCommand: count(overviewRequests, (r) => r.command),
      },
      floor: {
        ...floor,
        requestsPerRead: floorRequests.length / options.reads,
        itemsPerRead: floorItems / options.reads,
      },
      ratio: { p50: overview.p50Ms / floor.p50Ms, p95: overview.p95Ms / floor.p95Ms },
      healthItemJsonBytes,
      ranges: { groups: groupsRange!, healthAndTrends: healthRange! },
      attention: count(first.groups, (g) => g.attention.level),
    };
  } finally {
    requests.detachAll();
    floorClient.destroy();
  }
};

export const renderOverviewReport = (r: OverviewBenchResult): string =>
  [
    "",
    `Organisation overview — ${r.groups} groups (health seeded through ${r.seeding.via}, ${r.seeding.seconds.toFixed(1)} s), ${r.reads} reads after ${r.warmupReads} untimed`,
    `  overview read        p50 ${r.overview.p50Ms.toFixed(1)} ms · p95 ${r.overview.p95Ms.toFixed(1)} ms · mean ${r.overview.meanMs.toFixed(1)} ms`,
    `  floor (bare Query)   p50 ${r.floor.p50Ms.toFixed(1)} ms · p95 ${r.floor.p95Ms.toFixed(1)} ms · mean ${r.floor.meanMs.toFixed(1)} ms (the same two key ranges, ${r.floor.itemsPerRead.toFixed(0)} items, no processing)`,
    `  ratio                p50 ${r.ratio.p50.toFixed(2)}× · p95 ${r.ratio.p95.toFixed(2)}× the floor`,
    `  DynamoDB per read    ${r.overview.requestsPerRead.toFixed(2)} (${Object.entries(r.overview.byCommand)
      .map(([c, n]) => `${c} ${n}`)
      .join(" · ")}); floor ${r.floor.requestsPerRead.toFixed(2)}`,
    `  health item          ${r.healthItemJsonBytes.toFixed(0)} bytes as JSON, mean`,
    ...Object.entries(r.ranges).map(
      ([name, size]) =>
        `  ${`${name} range`.padEnd(20)} ${size.pages} page(s)${size.approxKb === undefined ? "" : `, ${size.capacityUnits} RCU ≈ ${size.approxKb.toFixed(0)} KB of the 1,024 KB a page holds`}`,
    ),
    `  attention            ${Object.entries(r.attention)
      .map(([level, n]) => `${level} ${n}`)
      .join(" · ")}`,
  ].join("\n");
