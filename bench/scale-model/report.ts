// The scale model's section of `npm run bench`: what was measured, the quotas and deployed
// settings it ran on, and one row per design.

import type { Design, EveningOutcome, Scenario } from "./simulate.ts";
import type { MeasuredEvening } from "./measure.ts";
import type { Quotas } from "./quotas.ts";

export interface ScaleModelResult {
  scenario: Scenario;
  quotas: Quotas;
  measured: MeasuredEvening;
  designs: { label: string; describe: string }[];
  outcomes: EveningOutcome[];
  /** Seconds the measuring run, the synthesis and the simulations took. */
  seconds: { measure: number; synth: number; simulate: number };
}

const int = (n: number) => Math.round(n).toLocaleString("en-GB");
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const duration = (seconds: number) =>
  seconds < 90
    ? `${fixed(seconds, 0)} s`
    : seconds < 5400
      ? `${fixed(seconds / 60, 0)} min`
      : `${fixed(seconds / 3600, 1)} h`;

/** One line describing a design's deployed settings. */
export const describeDesign = (design: Design): string => {
  const d = design.sender.delivery;
  const how =
    d.kind === "queue"
      ? `SQS queue, at most ${d.maximumConcurrency} instances, ${d.batchSize} event a batch, visibility ${d.visibilityTimeoutSeconds} s, ${d.maxReceiveCount} receives`
      : `asynchronous, reserved concurrency ${d.reservedConcurrency ?? "none"}, ${d.retries} retries, events kept ${duration(d.maxEventAgeSeconds)}`;
  const pace =
    design.sender.sendRatePerInstance === undefined
      ? "unpaced"
      : `paced ${design.sender.sendRatePerInstance} emails/s an instance`;
  const retry = design.throttleRetry
    ? `throttles retried up to ${fixed(design.throttleRetry.budgetMs / 1000, 0)} s, claim held`
    : "throttles given up after the SDK's attempts, claim released";
  return `${how}; ${design.sendConcurrency} sends at once, ${pace}; ${retry}; timeout ${design.sender.timeoutSeconds} s, ${design.sender.memoryMb} MB`;
};

const pad = (rows: string[][]): string[] => {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("   ")
      .trimEnd(),
  );
};

export const renderScaleModel = (r: ScaleModelResult): string => {
  const { scenario: s, quotas: q, measured: m } = r;
  const peak = Math.round(s.groups * s.peakShare);
  const first = r.outcomes[0]!;
  const perGroup = Object.entries(m.targets)
    .map(([target, t]) => {
      const n = (x: number) => fixed(x / m.groups, 1);
      return `${target} ${n(t.invocations)} invocation, ${n(t.emails)} emails, ${n(t.requests)} DynamoDB requests (${n(t.readUnits)} RCU, ${n(t.writeUnits)} WCU)`;
    })
    .join("; ");
  const quota =
    q.ses.max24HourSend === undefined
      ? `sized to the day (${int(first.sesQuotaNeeded)} needed)`
      : `${int(q.ses.max24HourSend)} a day (${int(first.sesQuotaNeeded)} needed)`;
  const rows = pad([
    [
      "",
      "drain",
      "longest delay",
      "delayed > 1 min",
      "lost",
      "SES refused",
      "Lambda throttles",
      "hottest key",
      "cost",
    ],
    ...r.outcomes.map((o) => [
      o.design,
      duration(o.drainSeconds),
      duration(o.delay.maxSeconds),
      int(o.delay.overOneMinute),
      int(o.lost),
      int(o.throttles.ses),
      int(o.throttles.lambda),
      o.hottestPartition
        ? `${o.hottestPartition.shape} ${int(o.hottestPartition.readUnitsPerSecond)} RCU/s`
        : "—",
      `$${fixed(o.cost.total, 2)}`,
    ]),
  ]);
  const schedules = Math.round((peak * Object.values(m.dueEvents).reduce((a, b) => a + b, 0)) / m.groups);
  const dynamoThrottled = r.outcomes.some(
    (o) => o.throttles.dynamoReadUnits + o.throttles.dynamoWriteUnits > 0,
  );
  return [
    "",
    `Scale model — one evening on AWS: ${int(s.groups)} groups × ${m.members} members, ${fixed(s.peakShare * 100, 0)} % meeting at 19:00 local: ${int(peak)} reminder events, ${int(first.messages)} emails due at once`,
    `  measured   ${m.groups} groups × ${m.members} members through the local platform, per group: ${perGroup}${m.capacityReported ? "" : " (capacity estimated)"}; rendering ${fixed(m.renderCpuMsPerMessage, 2)} ms CPU an email here`,
    `  quotas     SES ${q.ses.maxSendRate} emails/s, quota ${quota}; Lambda ${int(q.lambda.accountConcurrency)} concurrent; a partition ${int(q.dynamo.partitionReadUnits)} RCU / ${int(q.dynamo.partitionWriteUnits)} WCU a second; Scheduler ${int(q.scheduler.invocationsPerSecond)}/s; PutEvents ${int(q.eventBridge.putEventsPerSecond)}/s; SDK ${q.sdk.maxAttempts} attempts (throttle backoff from ${fixed(q.sdk.throttlingDelayBaseMs / 1000, 0)} s, retry quota ${q.sdk.initialRetryTokens})`,
    ...r.designs.map((d) => `  ${d.label.padEnd(10)} ${d.describe}`),
    "",
    ...rows.map((line) => `  ${line}`),
    "",
    `  Scheduler fires the ${int(schedules)} schedules in ${fixed(schedules / q.scheduler.invocationsPerSecond, 1)} s (${int(first.throttles.scheduler)} wait past their second), below PutEvents' and the rules' rates; ${dynamoThrottled ? "a partition goes over its throughput (see --json)" : `no partition nears its throughput (the busiest takes ${fixed((100 * Math.max(...r.outcomes.map((o) => o.hottestPartition?.readUnitsPerSecond ?? 0))) / q.dynamo.partitionReadUnits, 0)} % of its reads)`}.`,
    ...r.outcomes.map(
      (o) =>
        `  ${o.design.padEnd(10)} ${int(Object.values(o.invocations).reduce((a, b) => a + b, 0))} invocations (${int(o.failedInvocations)} failed, ${int(o.timedOut)} timed out), ${int(o.deadLettered)} events dead-lettered; delay p50 ${duration(o.delay.p50Seconds)}, p95 ${duration(o.delay.p95Seconds)}; cost ${Object.entries(
          o.cost.lines,
        )
          .map(([k, v]) => `${k} $${fixed(v, 3)}`)
          .join(", ")}`,
    ),
    `  (measured in ${fixed(r.seconds.measure, 1)} s, synthesised in ${fixed(r.seconds.synth, 1)} s, simulated in ${fixed(r.seconds.simulate, 1)} s; rerun alone: npx tsx bench/scale-model.ts --help)`,
  ].join("\n");
};
