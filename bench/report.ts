// The benchmark's figures and how they are printed.

import { renderSummary, type ProfileSummary } from "./profile.ts";
import type { Concurrency, CpuUse, LatencySummary } from "./probes.ts";

export interface BenchResult {
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    /** One-minute load averages: other work on the machine skews both phases. */
    loadAverage: { atStart: number; beforePipeline: number; afterFloor: number };
  };
  groups: number;
  members: number;
  reminders: number;
  /** Seeding through the use cases, of which settling the directory's events (groups, members). */
  seeding: { seconds: number; directoryEventsSeconds: number };
  /**
   * Settling the events of `sessions` sessions scheduled at once: their reminder schedules and
   * facilitator checks planned, their activity and health recorded. DynamoDB requests of the
   * application and the stand-ins (the stream poller's included).
   */
  planning: {
    seconds: number;
    schedules: number;
    sessions: number;
    dynamoRequests: number;
    byPurpose: Record<string, number>;
  };
  pipeline: {
    seconds: number;
    perSecond: number;
    emailsInSesStore: number;
    /** From the first claim's start to the last send's answer, in s from the start of advance. */
    sendWindow: { from: number; to: number };
    /** Mean / peak outstanding over the send window (DynamoDB requests: over the whole phase). */
    inFlight: {
      /** Claims plus sends outstanding: the concurrency the floor reproduces. */
      claimsAndSends: Concurrency;
      claims: Concurrency;
      sends: Concurrency;
      /** Reminders between their claim's start and their send's answer. */
      pairs: Concurrency;
      dynamoRequests: Concurrency;
    };
    cpu: CpuUse;
  };
  floor: {
    seconds: number;
    perSecond: number;
    /** Pairs run at once. */
    concurrency: number;
    concurrencyFrom: "measured" | "--floor-concurrency";
    emailsInSesStore: number;
    inFlight: { claimsAndSends: Concurrency; pairs: Concurrency };
    cpu: CpuUse;
  };
  ratio: number;
  goal: number;
  /**
   * Floor CPU per pair / pipeline CPU per reminder, all three processes (this one, DynamoDB
   * Local, the SES emulator): the ratio if both phases were bound by this machine's CPUs.
   * Less sensitive than `ratio` to other work on the machine.
   */
  cpuRatio: number;
  dynamo: {
    requests: number;
    perReminder: number;
    byCommand: Record<string, number>;
    byPurpose: Record<string, number>;
    /** Requests to DynamoDB Local's port seen at the HTTP layer during the pipeline phase. */
    httpLayerRequests: number;
    /** Requests of the local stand-ins for EventBridge, Scheduler and the providers' record. */
    standInsPerReminder: number;
    standInsByPurpose: Record<string, number>;
  };
  /** Where the pipeline's time went, in seconds from the start of `advance`. */
  timeline: Record<string, number>;
  latency: {
    pipeline: { claim: LatencySummary; send: LatencySummary; claimToSendGapMs: number };
    floor: { claim: LatencySummary; send: LatencySummary };
  };
  /** CPU time to render one reminder email (text, HTML, ICS, signed link, SendEmail request), measured apart. */
  render: { cpuMsPerMessage: number };
  profiles?: { pipeline: ProfileSummary; floor: ProfileSummary };
}

const fixed = (n: number, digits: number) => n.toFixed(digits);
const pad = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join("   ")
        .trimEnd(),
    )
    .join("\n");
};
const cpuLine = (cpu: CpuUse, reminders: number) => {
  const all = Object.values(cpu.seconds).reduce<number>((sum, s) => sum + (s ?? 0), 0);
  return (
    Object.entries(cpu.seconds)
      .map(([name, s]) => `${name} ${s === undefined ? "n/a" : fixed(s, 1)}`)
      .join(" · ") +
    ` = ${fixed((all * 1000) / reminders, 2)} ms per reminder (bench event loop busy ${fixed(cpu.eventLoopUtilisation * 100, 0)} %)`
  );
};
const conc = (c: Concurrency) => `${fixed(c.mean, 1)} / ${c.peak}`;
const lat = (l: LatencySummary) => `${fixed(l.meanMs, 1)} / ${fixed(l.p50Ms, 1)} / ${fixed(l.p95Ms, 1)}`;

export const renderReport = (r: BenchResult): string => {
  const byCommand = Object.entries(r.dynamo.byCommand)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n} (${fixed(n / r.reminders, 3)})`)
    .join(" · ");
  const byPurpose = Object.entries(r.dynamo.byPurpose)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(" · ");
  const planning = Object.entries(r.planning.byPurpose)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(" · ");
  const standIns = Object.entries(r.dynamo.standInsByPurpose)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(" · ");
  const verdict = r.ratio >= r.goal ? "meets the goal" : "below the goal";
  const main = pad([
    ["", "seconds", "per second", "claims + sends in flight (mean / peak)"],
    ["seeding (untimed)", fixed(r.seeding.seconds, 1), "", ""],
    ["  of which the directory's events settled", fixed(r.seeding.directoryEventsSeconds, 1), "", ""],
    [
      `planning: ${r.planning.sessions} sessions' events settled (${r.planning.schedules} schedules)`,
      fixed(r.planning.seconds, 2),
      `${fixed(r.planning.schedules / r.planning.seconds, 0)} schedules/s`,
      `${fixed(r.planning.dynamoRequests / r.planning.schedules, 1)} DynamoDB requests per schedule`,
    ],
    [
      "pipeline: advance → SES",
      fixed(r.pipeline.seconds, 2),
      `${fixed(r.pipeline.perSecond, 0)} reminders/s`,
      conc(r.pipeline.inFlight.claimsAndSends),
    ],
    [
      "floor: PutItem + SendEmail",
      fixed(r.floor.seconds, 2),
      `${fixed(r.floor.perSecond, 0)} pairs/s`,
      `${conc(r.floor.inFlight.claimsAndSends)} (${r.floor.concurrency} workers, ${r.floor.concurrencyFrom})`,
    ],
  ]);
  const t = r.timeline;
  return [
    `Convene reminder pipeline benchmark — ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.machine.node}, ${r.machine.platform}`,
    `  load average (1 min) ${fixed(r.machine.loadAverage.atStart, 2)} at start · ${fixed(r.machine.loadAverage.beforePipeline, 2)} before the pipeline · ${fixed(r.machine.loadAverage.afterFloor, 2)} after the floor` +
      (Math.max(r.machine.loadAverage.beforePipeline, r.machine.loadAverage.afterFloor) > r.machine.cpus / 2
        ? "  ← other work on this machine skews the figures"
        : ""),
    "",
    `  groups × members   ${r.groups} × ${r.members} = ${r.reminders} reminders (email, 48 h before)`,
    `  sent               pipeline ${r.pipeline.emailsInSesStore} · floor ${r.floor.emailsInSesStore} emails in the SES emulator's store`,
    "",
    main.replace(/^/gm, "  "),
    "",
    `  planning's requests   ${planning}`,
    "",
    `  ratio pipeline / floor   ${fixed(r.ratio, 2)}   (goal ≥ ${r.goal}: ${verdict}; by CPU time per reminder ${fixed(r.cpuRatio, 2)})`,
    `  DynamoDB per reminder    ${fixed(r.dynamo.perReminder, 3)}   (${r.dynamo.requests} requests; ${r.dynamo.httpLayerRequests} seen at the HTTP layer)`,
    `  local stand-ins per reminder ${fixed(r.dynamo.standInsPerReminder, 3)}   (bus journal, scheduler, outbox of sent messages: not on AWS)`,
    `    by command             ${byCommand}`,
    `    by purpose             ${byPurpose}`,
    `    stand-ins by purpose   ${standIns}`,
    "",
    "  where the pipeline's time went (s from the start of advance)",
    `    schedules fired        ${fixed(t.firstDueQuery ?? 0, 2)} → ${fixed(t.lastScheduleDeleted ?? 0, 2)}`,
    `    handlers' reads        ${fixed(t.firstSessionRead ?? 0, 2)} → ${fixed(t.lastMembersRead ?? 0, 2)}`,
    `    claims and sends       ${fixed(t.firstClaim ?? 0, 2)} → ${fixed(t.lastSend ?? 0, 2)}   (settle returned at ${fixed(r.pipeline.seconds, 2)})`,
    `    in flight (mean/peak)  claims ${conc(r.pipeline.inFlight.claims)} · sends ${conc(r.pipeline.inFlight.sends)} · all DynamoDB ${conc(r.pipeline.inFlight.dynamoRequests)}`,
    `                           reminders between claim and send answer ${conc(r.pipeline.inFlight.pairs)} (floor ${conc(r.floor.inFlight.pairs)})`,
    `    latency ms mean/p50/p95  claim ${lat(r.latency.pipeline.claim)} (floor ${lat(r.latency.floor.claim)})`,
    `                           send  ${lat(r.latency.pipeline.send)} (floor ${lat(r.latency.floor.send)})`,
    `    claim → send gap       ${fixed(r.latency.pipeline.claimToSendGapMs, 1)} ms mean (rendering alone: ${fixed(r.render.cpuMsPerMessage, 2)} ms of CPU per email)`,
    `    CPU s pipeline         ${cpuLine(r.pipeline.cpu, r.reminders)}`,
    `    CPU s floor            ${cpuLine(r.floor.cpu, r.reminders)}`,
    ...(r.profiles
      ? ["", renderSummary("pipeline", r.profiles.pipeline), renderSummary("floor", r.profiles.floor)]
      : []),
  ].join("\n");
};
