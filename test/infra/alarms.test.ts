import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { asyncRetryWindowSeconds } from "#infra/cdk/sending-lease.ts";
import { conveneFunctions, refId, synth } from "./synth.ts";

const s = synth({ alarmEmail: "ops@convene.example.org" });
const alarms = Object.values(s.ofType("AWS::CloudWatch::Alarm")).map((a) => a.Properties!);
// The operators' topics: every SNS topic but the SMS delivery events'.
const topic = Object.entries(s.ofType("AWS::SNS::Topic"))
  .filter(([, t]) => String(t.Properties!.TopicName).endsWith("-alarms"))
  .map(([id]) => id);
const queues = s.ofType("AWS::SQS::Queue");

const dimensionsOf = (alarm: Record<string, unknown>) =>
  (alarm.Dimensions as { Name: string; Value: unknown }[] | undefined) ?? [];

const watching = (metricName: string, dimension: string, id: string) =>
  alarms.filter(
    (a) =>
      a.MetricName === metricName &&
      dimensionsOf(a).some((d) => d.Name === dimension && refId(d.Value) === id),
  );

/** The alarm on one of Lambda's account-wide metrics: no dimension, so every function. */
const everyFunction = (metricName: string) =>
  alarms.filter(
    (a) => a.Namespace === "AWS/Lambda" && a.MetricName === metricName && dimensionsOf(a).length === 0,
  );

/** The dead-letter queues: every queue named as one (the routes', the pipe's, the schedules', the reminder queue's). */
const deadLetterQueues = Object.entries(queues).filter(([, q]) =>
  String(q.Properties!.QueueName).endsWith("-dlq"),
);

describe("alarms", () => {
  it("go to one encrypted SNS topic, subscribed by email", () => {
    expect(topic).toHaveLength(1);
    expect(s.ofType("AWS::SNS::Topic")[topic[0]!]!.Properties!.KmsMasterKeyId).toBeDefined();
    const toTopic = Object.values(s.ofType("AWS::SNS::Subscription")).filter(
      (sub) => refId(sub.Properties!.TopicArn) === topic[0],
    );
    expect(toTopic).toHaveLength(1);
    expect(toTopic[0]?.Properties).toMatchObject({
      Protocol: "email",
      Endpoint: "ops@convene.example.org",
    });
    for (const alarm of alarms) expect((alarm.AlarmActions as unknown[]).map(refId)).toEqual([topic[0]]);
  });

  it("watch every dead-letter queue from its first message: the routes' one, the pipe's, the schedules' and the reminder queue's", () => {
    expect(deadLetterQueues.map(([, q]) => q.Properties!.QueueName).sort()).toEqual([
      "convene-dev-events-dlq",
      "convene-dev-outbox-pipe-dlq",
      "convene-dev-schedules-dlq",
      "convene-dev-send-session-reminders-dlq",
    ]);
    for (const [queue] of deadLetterQueues) {
      const [alarm] = watching("ApproximateNumberOfMessagesVisible", "QueueName", queue);
      expect(alarm, queue).toMatchObject({
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    }
  });

  it("watch every function's errors and throttles on Lambda's account-wide metrics, with no alarm per function", () => {
    expect(conveneFunctions(s).length).toBeGreaterThan(10);
    for (const metric of ["Errors", "Throttles"]) {
      const found = everyFunction(metric);
      expect(found, metric).toHaveLength(1);
      expect(found[0], metric).toMatchObject({
        Statistic: "Sum",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    }
    // One alarm per function would cost as much as one for them all, each.
    expect(alarms.filter((a) => dimensionsOf(a).some((d) => d.Name === "FunctionName"))).toEqual([]);
  });

  it("watch asynchronous events that waited too long for their function, or were dropped", () => {
    const [late] = everyFunction("AsyncEventAge");
    expect(late).toMatchObject({ Statistic: "Maximum", ComparisonOperator: "GreaterThanOrEqualToThreshold" });
    // Later than Lambda's own retries can make an event (about 1 + 2 minutes), so only a
    // backlog or a throttle raises it; soon enough that a reminder is still worth sending.
    expect(late!.Threshold as number).toBeGreaterThan(asyncRetryWindowSeconds * 1000);
    expect(late!.Threshold as number).toBeLessThanOrEqual(15 * 60_000);
    expect(everyFunction("AsyncEventsDropped")).toEqual([
      expect.objectContaining({ Statistic: "Sum", Threshold: 1 }),
    ]);
  });

  it("are as many, and cost as much, as docs/deploy.md's cost estimate says: under $3 a month fixed", () => {
    const doc = readFileSync(new URL("../../docs/deploy.md", import.meta.url), "utf8");
    const [, count, dollars] =
      /(\d+)\s+alarms in the synthesised template[^=]*= \$(\d+\.\d\d)/.exec(doc) ?? [];
    const inBoth = (type: string) => [
      ...Object.values(s.stateful.findResources(type)),
      ...Object.values(s.ofType(type)),
    ];
    const metricAlarms = inBoth("AWS::CloudWatch::Alarm");
    expect(Number(count)).toBe(metricAlarms.length);
    // The doc's unit prices: $0.10 per alarm metric a month (an alarm on a math expression
    // pays for each metric it reads), $0.50 per composite alarm, $1.00 per KMS key-month,
    // $0.40 per secret-month.
    const alarmMetrics = metricAlarms
      .map((a) => (a.Properties as { Metrics?: { MetricStat?: unknown }[] }).Metrics)
      .reduce((sum, metrics) => sum + (metrics ? metrics.filter((m) => m.MetricStat).length : 1), 0);
    const alarmCost = alarmMetrics * 0.1 + inBoth("AWS::CloudWatch::CompositeAlarm").length * 0.5;
    expect(dollars).toBe(alarmCost.toFixed(2));
    const fixed =
      inBoth("AWS::KMS::Key").length * 1 + alarmCost + inBoth("AWS::SecretsManager::Secret").length * 0.4;
    expect(/About \*\*\$(\d+\.\d\d) a month\*\* plus log storage/.exec(doc)?.[1]).toBe(fixed.toFixed(2));
    expect(fixed).toBeLessThan(3);
  });

  it("watch SES's bounce and complaint rates below the levels at which SES reviews the account", () => {
    const rate = (name: string) => alarms.find((a) => a.Namespace === "AWS/SES" && a.MetricName === name);
    expect(rate("Reputation.BounceRate")?.Threshold).toBeLessThan(0.05);
    expect(rate("Reputation.ComplaintRate")?.Threshold).toBeLessThan(0.001);
  });
});
