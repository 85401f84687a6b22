// `npm run bench`: throughput of the reminder pipeline against a floor measured in the same run.
//
// 1. Starts the local platform in memory (DynamoDB Local, the SES emulator and the SMS sink as
//    child processes) with no background pumping.
// 2. Seeds G groups × M members through the use cases, one session per group, every member
//    with one email reminder 48 h before; engine.settle() plans the schedules (timed apart).
// 3. Warms the emulators up with untimed pairs (see below), then times engine.advance() past
//    the last reminder instant: schedule fired → bus → handler → claim → SES SendEmail. The
//    SES emulator's store must then hold exactly G × M emails, one per member.
// 4. The floor: the same number of (conditional PutItem on a fresh key + SendEmail of the same
//    message) pairs straight through the SDK, at the concurrency the pipeline achieved.
//    "Same concurrency" is measured, not assumed: a pipeline pair runs from the start of its
//    claim (the conditional PutItem on the delivery key) to the answer to its SendEmail; the
//    time-weighted mean number of pairs in flight between the first claim and the last answer
//    is the pipeline's concurrency, and the floor runs round(that) pairs at a time.
// 5. Counts every request the runtime's DynamoDB clients send during the timed phase (the
//    document client, which the store, the table scheduler and the dead-letter store share
//    with the base client, and the stream poller's client) with SDK middleware, and
//    cross-checks the total at the HTTP layer.
// Every child process is stopped at the end, on error too.

import { mkdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import { deliveryKey } from "#domain/reminder-plan.ts";
import { clearSesStore, readSesStore } from "#infra/local/emulators/ses-local.ts";
import type { RunningService } from "#infra/local/emulators/types.ts";
import { startPlatform, type RunningPlatform } from "#infra/local/platform.ts";
import { renderMessages, runPairs, type FloorClients } from "./floor.ts";
import { parseOptions, usage, UsageError, type BenchOptions } from "./options.ts";
import {
  classifyDynamo,
  classifySes,
  classifyStreams,
  concurrencyOf,
  CpuProbe,
  HttpCounter,
  latencyOf,
  RequestLog,
  type CpuUse,
  type Interval,
  type RequestRecord,
} from "./probes.ts";
import { profiled } from "./profile.ts";
import { renderReport, type BenchResult } from "./report.ts";
import { benchBallots, renderBallotReport } from "./ballots.ts";
import { benchColdApi, renderColdApiReport } from "./cold-api.ts";
import { benchColdStarts, renderColdStarts } from "./cold-start.ts";
import { defaultScaleModelOptions, runScaleModel } from "./scale-model.ts";
import { renderScaleModel } from "./scale-model/report.ts";
import { benchOverview, renderOverviewReport } from "./overview.ts";
import { reminderOffsetMinutes, seed, type Seeded } from "./seed.ts";
import { benchSeries, renderSeriesReport } from "./series.ts";

const goal = 0.8;
/** Functions whose inclusive CPU share a profile reports (`--profile`). */
const profiledFunctions = [
  "functions/send-session-reminders/handler.ts",
  "shared/messages/sessions/session-notice.ts",
  "renderSessionIcs",
  "sendEmailInput",
  "isValidZone",
  "shared/links/unsubscribe-link.ts",
  "planReminders",
  "shared/adapters/local/stream-poller.ts",
];
const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const seconds = (from: number, to = performance.now()) => (to - from) / 1000;

class BenchFailure extends Error {
  override readonly name = "BenchFailure";
}
const check = (condition: boolean, message: string): void => {
  if (!condition) throw new BenchFailure(message);
};

/**
 * A client the runtime keeps to itself (the stream poller's, the mailer's). The bench reads it
 * from outside to attach middleware, and fails loudly if the runtime's shape has changed.
 */
const heldClient = <T>(owner: object, field: string, type: abstract new (...args: never) => T): T => {
  const value = (owner as Record<string, unknown>)[field];
  if (!(value instanceof type)) {
    throw new BenchFailure(
      `expected ${owner.constructor.name}.${field} to be a ${type.name}; the runtime changed, update bench/run.ts`,
    );
  }
  return value;
};

const pidOf = (service: RunningService): number | undefined =>
  "pid" in service && typeof service.pid === "number" ? service.pid : undefined;

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const count = (records: readonly RequestRecord[], by: (r: RequestRecord) => string) => {
  const out: Record<string, number> = {};
  for (const r of records) out[by(r)] = (out[by(r)] ?? 0) + 1;
  return out;
};

const totalCpu = (use: CpuUse) => Object.values(use.seconds).reduce<number>((sum, s) => sum + (s ?? 0), 0);

/** Earliest start and latest end (no spread: arrays may be long). */
const span = (xs: readonly Interval[]) => ({
  start: xs.reduce((m, x) => Math.min(m, x.start), Infinity),
  end: xs.reduce((m, x) => Math.max(m, x.end), -Infinity),
});
const first = (records: readonly RequestRecord[], purpose: string, t0: number) => {
  const xs = records.filter((r) => r.purpose === purpose);
  return xs.length === 0 ? undefined : (span(xs).start - t0) / 1000;
};
const last = (records: readonly RequestRecord[], purpose: string, t0: number) => {
  const xs = records.filter((r) => r.purpose === purpose);
  return xs.length === 0 ? undefined : (span(xs).end - t0) / 1000;
};

/** The address in a header's display text (`"Ann" <ann@example.org>` or `ann@example.org`). */
const addressOf = (display: string): string => /<([^>]+)>/.exec(display)?.[1] ?? display.trim();

/** Every reminder's claim key (PK of its delivery item) with its member's address. */
const expectedDeliveries = (seeded: Seeded): Map<string, string> => {
  const out = new Map<string, string>();
  for (const { session, members } of seeded.groups) {
    for (const member of members) {
      const key = deliveryKey(session, {
        memberId: member.id,
        channel: "email",
        offsetMinutes: reminderOffsetMinutes,
      });
      out.set(keys.delivery(seeded.organisationId, key).PK, member.email);
    }
  }
  return out;
};

const bench = async (options: BenchOptions, platform: RunningPlatform): Promise<BenchResult> => {
  const { runtime, engine, services } = platform;
  const reminders = options.groups * options.members;
  const loadAtStart = loadavg()[0]!;
  const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };

  // Instruments. The document client shares the base client's middleware stack, so one
  // attachment covers the store, the table scheduler and the dead-letter store.
  const requests = new RequestLog();
  requests.attach(runtime.dynamo, "dynamo", classifyDynamo);
  // The local stand-ins' own requests (the bus's journal, the scheduler, the outbox of sent
  // messages): counted apart, as on AWS they are the services' own and not our table's.
  requests.attach(runtime.services, "stand-ins", classifyDynamo);
  requests.attach(heldClient(runtime.poller, "streams", DynamoDBStreamsClient), "streams", classifyStreams);
  requests.attach(runtime.ses, "ses", classifySes);
  const floorDynamo = new DynamoDBClient({ ...local, endpoint: services.dynamo.endpoint });
  const floorSes = new SESv2Client({ ...local, endpoint: services.ses.endpoint });
  requests.attach(floorDynamo, "floor-dynamo", classifyDynamo);
  requests.attach(floorSes, "floor-ses", classifySes);
  const floor: FloorClients = {
    doc: DynamoDBDocumentClient.from(floorDynamo, { marshallOptions: { removeUndefinedValues: true } }),
    ses: floorSes,
    tableName: runtime.store.tableName,
  };
  const http = new HttpCounter(new URL(services.dynamo.endpoint).host);
  const cpu = new CpuProbe({ dynamodb: pidOf(services.dynamo), ses: pidOf(services.ses) });

  try {
    // --- seed (untimed) ---
    progress(`seeding ${options.groups} groups × ${options.members} members`);
    let t = performance.now();
    let directorySeconds = 0;
    const seeded = await seed(
      runtime.ports,
      {
        groups: options.groups,
        members: options.members,
        concurrency: options.seedConcurrency,
        // The directory's events (groups created, members joined: their activity, health and,
        // with no session yet, no reminders) are handled before the sessions are scheduled,
        // so that planning times the sessions' events alone.
        afterMembers: async () => {
          const settling = performance.now();
          await engine.settle();
          directorySeconds = seconds(settling);
          progress(`settled the directory's events in ${directorySeconds.toFixed(2)} s`);
        },
      },
      progress,
    );
    const seedSeconds = seconds(t);

    // --- planning (timed): every handler of the sessions' events, the schedules written ---
    requests.phase = "planning";
    t = performance.now();
    await engine.settle();
    const planSeconds = seconds(t);
    requests.phase = undefined;
    const planned = requests.of("planning", ["dynamo", "streams", "stand-ins"]);
    const schedules = await runtime.scheduler.count();
    // Per group: its session's reminder schedule, the two facilitator checks (7 days, 48 h) and
    // the facilitator's RSVP summary a day before (whether the session asks is read when due).
    check(
      schedules === options.groups * 4,
      `expected ${options.groups * 4} schedules after planning, found ${schedules}`,
    );
    check(
      (await readSesStore(services.ses.endpoint)).length === 0,
      "the SES store is not empty before the timed phase",
    );
    progress(`planned ${schedules} schedules in ${planSeconds.toFixed(2)} s`);

    // --- render the floor's messages and warm the emulators up (untimed) ---
    const rendered = await renderMessages(runtime.ports.settings, seeded, 200);
    const cycle = (n: number) =>
      Array.from({ length: n }, (_, i) => rendered.messages[i % rendered.messages.length]!);
    if (options.warmup > 0) {
      const warm = cycle(options.warmup);
      await runPairs(floor, warm, 16, `warmup#${Date.now()}`);
      await clearSesStore(services.ses.endpoint);
      progress(`warmed up with ${options.warmup} pairs`);
    }

    // --- the pipeline (timed) ---
    const advanceMs = seeded.lastReminderAt.getTime() + 60_000 - runtime.clock.now().getTime();
    check(advanceMs > 0, "the reminders are already due before the timed phase");
    progress(`advancing the clock ${(advanceMs / 3600_000).toFixed(1)} h`);
    const loadBeforePipeline = loadavg()[0]!;
    requests.phase = "pipeline";
    http.counting = true;
    const cpuBefore = cpu.snapshot();
    const t0 = performance.now();
    const pipelineProfile = await profiled(options.profileDir, "pipeline", profiledFunctions, () =>
      engine.advance(advanceMs),
    );
    const t1 = performance.now();
    const pipelineCpu = cpu.since(cpuBefore);
    http.counting = false;
    requests.phase = undefined;
    const pipelineSeconds = seconds(t0, t1);

    const sent = await readSesStore(services.ses.endpoint);
    const addresses = new Set(sent.flatMap((e) => e.destination.to.map(addressOf)));
    const expected = expectedDeliveries(seeded);
    check(
      sent.length === reminders,
      `the pipeline sent ${sent.length} emails, expected ${reminders} (G × M); the benchmark is void`,
    );
    check(
      addresses.size === reminders && [...expected.values()].every((a) => addresses.has(a)),
      `the pipeline's ${sent.length} emails do not go to the ${reminders} members, one each`,
    );
    const deadLetters = await runtime.deadLetters.list();
    check(deadLetters.length === 0, `${deadLetters.length} events were dead-lettered during the timed phase`);
    // The RSVP summaries (a day before) are not yet due; every schedule due by now has fired.
    const stillDue = await runtime.scheduler.due(runtime.clock.now());
    check(stillDue.length === 0, `${stillDue.length} due schedules remain after the timed phase`);
    progress(`pipeline: ${reminders} reminders in ${pipelineSeconds.toFixed(2)} s`);

    // Join each claim with its send (claim key → member's address → SendEmail recipient).
    const piped = requests.of("pipeline");
    const dynamoRecords = requests.of("pipeline", ["dynamo", "streams"]);
    const claims = piped.filter((r) => r.client === "dynamo" && r.purpose === "claim" && r.ok);
    const sends = piped.filter((r) => r.client === "ses" && r.ok);
    check(claims.length === reminders, `saw ${claims.length} successful claims, expected ${reminders}`);
    check(
      sends.length === reminders,
      `saw ${sends.length} successful SendEmail requests, expected ${reminders}`,
    );
    const sendByAddress = new Map(sends.map((s) => [s.key!, s]));
    const pairs: Interval[] = [];
    const gaps: number[] = [];
    for (const claim of claims) {
      const send = sendByAddress.get(expected.get(claim.key!) ?? "");
      check(send !== undefined, "a claim has no matching send");
      pairs.push({ start: claim.start, end: send!.end });
      gaps.push(send!.start - claim.end);
    }
    const { start: windowStart, end: windowEnd } = span(pairs);
    // The floor's concurrency: claims and sends outstanding at once (in the SDK: signing, waiting
    // for a socket, the round trip), time-weighted over the window in which the pipeline sent.
    // A floor worker always has exactly one of the two outstanding, so C workers put the same
    // load on the emulators. Pairs in flight (claim start → send answer) are larger: between
    // its claim and its send a pipeline pair waits for rendering and for the event loop.
    const requestsInFlight = concurrencyOf([...claims, ...sends], windowStart, windowEnd);
    const floorConcurrency = options.floorConcurrency ?? Math.max(1, Math.round(requestsInFlight.mean));

    // --- the floor (timed) ---
    await clearSesStore(services.ses.endpoint);
    progress(`floor: ${reminders} pairs, ${floorConcurrency} at a time`);
    requests.phase = "floor";
    const floorCpuBefore = cpu.snapshot();
    const { result: floorRun, summary: floorProfile } = await profiled(
      options.profileDir,
      "floor",
      profiledFunctions,
      () => runPairs(floor, cycle(reminders), floorConcurrency, `floor#${Date.now()}`),
    );
    const floorCpu = cpu.since(floorCpuBefore);
    requests.phase = undefined;
    const floorSent = (await readSesStore(services.ses.endpoint)).length;
    check(floorSent === reminders, `the floor sent ${floorSent} emails, expected ${reminders}`);
    const { start: floorStart, end: floorEnd } = span(floorRun.pairs);
    const floorRecords = requests.of("floor");

    const pipelinePerSecond = reminders / pipelineSeconds;
    const floorPerSecond = reminders / floorRun.seconds;
    return {
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? "unknown",
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadAverage: { atStart: loadAtStart, beforePipeline: loadBeforePipeline, afterFloor: loadavg()[0]! },
      },
      groups: options.groups,
      members: options.members,
      reminders,
      seeding: { seconds: seedSeconds, directoryEventsSeconds: directorySeconds },
      planning: {
        seconds: planSeconds,
        schedules,
        sessions: options.groups,
        dynamoRequests: planned.length,
        byPurpose: count(planned, (r) => `${r.purpose}:${r.command}`),
      },
      pipeline: {
        seconds: pipelineSeconds,
        perSecond: pipelinePerSecond,
        emailsInSesStore: sent.length,
        sendWindow: { from: (windowStart - t0) / 1000, to: (windowEnd - t0) / 1000 },
        inFlight: {
          claimsAndSends: requestsInFlight,
          claims: concurrencyOf(claims, windowStart, windowEnd),
          sends: concurrencyOf(sends, windowStart, windowEnd),
          pairs: concurrencyOf(pairs, windowStart, windowEnd),
          dynamoRequests: concurrencyOf(dynamoRecords, t0, t1),
        },
        cpu: pipelineCpu,
      },
      floor: {
        seconds: floorRun.seconds,
        perSecond: floorPerSecond,
        concurrency: floorConcurrency,
        concurrencyFrom: options.floorConcurrency === undefined ? "measured" : "--floor-concurrency",
        emailsInSesStore: floorSent,
        inFlight: {
          claimsAndSends: concurrencyOf(floorRecords, floorStart, floorEnd),
          pairs: concurrencyOf(floorRun.pairs, floorStart, floorEnd),
        },
        cpu: floorCpu,
      },
      ratio: pipelinePerSecond / floorPerSecond,
      cpuRatio: totalCpu(floorCpu) / totalCpu(pipelineCpu),
      goal,
      dynamo: {
        requests: dynamoRecords.length,
        perReminder: dynamoRecords.length / reminders,
        standInsPerReminder: requests.of("pipeline", ["stand-ins"]).length / reminders,
        standInsByPurpose: count(requests.of("pipeline", ["stand-ins"]), (r) => `${r.purpose}:${r.command}`),
        byCommand: count(dynamoRecords, (r) => r.command),
        byPurpose: count(dynamoRecords, (r) => `${r.purpose}:${r.command}`),
        httpLayerRequests: http.total,
      },
      timeline: Object.fromEntries(
        Object.entries({
          firstDueQuery: first(piped, "due schedules", t0),
          lastScheduleDeleted: last(piped, "schedule", t0),
          firstSessionRead: first(piped, "session", t0),
          lastMembersRead: last(piped, "members", t0),
          firstClaim: first(piped, "claim", t0),
          lastSend: last(piped, "send", t0),
        }).filter((e): e is [string, number] => e[1] !== undefined),
      ),
      latency: {
        pipeline: {
          claim: latencyOf(claims),
          send: latencyOf(sends),
          claimToSendGapMs: gaps.reduce((s, g) => s + g, 0) / gaps.length,
        },
        floor: {
          claim: latencyOf(floorRecords.filter((r) => r.client === "floor-dynamo")),
          send: latencyOf(floorRecords.filter((r) => r.client === "floor-ses")),
        },
      },
      render: { cpuMsPerMessage: rendered.cpuMsPerMessage },
      ...(pipelineProfile.summary && floorProfile
        ? { profiles: { pipeline: pipelineProfile.summary, floor: floorProfile } }
        : {}),
    };
  } finally {
    requests.detachAll();
    http.close();
    floorDynamo.destroy();
    floorSes.destroy();
  }
};

const main = async (): Promise<number> => {
  let options: BenchOptions | "help";
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(usage);
    return 0;
  }
  // The handlers log one line per event at INFO; the benchmark wants its own output only.
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";

  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  let platform: RunningPlatform | undefined;
  let pids: (number | undefined)[] = [];
  let code = 0;
  try {
    progress("starting the local platform (in memory)");
    platform = await startPlatform({ port: 0, smtpPort: 0, background: false });
    pids = [pidOf(platform.services.dynamo), pidOf(platform.services.ses), pidOf(platform.services.sms)];
    const runs = options.sections;
    const result = runs.has("pipeline") ? await bench(options, platform) : undefined;
    if (runs.has("ballots")) progress(`ballots: ${options.members} members reply to one vote`);
    const ballots = runs.has("ballots") ? await benchBallots(platform, options.members) : undefined;
    if (runs.has("overview"))
      progress(
        `overview: ${options.overviewGroups} groups, ${options.overviewReads} reads against the floor`,
      );
    const overview = runs.has("overview")
      ? await benchOverview(
          platform,
          {
            groups: options.overviewGroups,
            reads: options.overviewReads,
            warmupReads: 20,
            seedConcurrency: options.seedConcurrency,
          },
          progress,
        )
      : undefined;
    if (runs.has("functions")) progress("functions: bundling and loading each in fresh processes");
    const functions = runs.has("functions") ? await benchColdStarts(options.loadRuns) : undefined;
    if (functions && overview)
      progress("api: the overview and a group page, each the first request of fresh processes");
    const coldApi =
      functions && overview
        ? await benchColdApi(platform, { ...overview, groups: options.overviewGroups }, options.apiProcesses)
        : undefined;
    const scaleModel = runs.has("scale")
      ? await runScaleModel(platform, defaultScaleModelOptions(options.scaleGroups), progress)
      : undefined;
    // Last: it leaves its sessions' events unhandled (see bench/series.ts).
    const series = runs.has("series") ? await benchSeries(platform, options.series, progress) : undefined;
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ ...result, ballots, overview, functions, coldApi, scaleModel, series }, null, 2)}\n`
        : [
            result && renderReport(result),
            ballots && renderBallotReport(ballots),
            overview && renderOverviewReport(overview),
            functions && renderColdStarts(functions),
            coldApi && renderColdApiReport(coldApi),
            scaleModel && renderScaleModel(scaleModel),
            series && renderSeriesReport(series),
          ]
            .filter((text) => text !== undefined)
            .map((text) => `${text}\n`)
            .join(""),
    );
  } catch (error) {
    code = 1;
    process.stderr.write(
      `[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  } finally {
    progress("stopping the platform");
    await platform?.stop();
    const stray = pids.filter(alive);
    if (stray.length > 0) {
      process.stderr.write(`[bench] child processes still running after stop: ${stray.join(", ")}\n`);
      code = 1;
    }
  }
  return code;
};

// Exit explicitly: keep-alive sockets of the runtime's SDK clients must not hold the process.
process.exit(await main());
