import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { conveneFunctions, refId, synth } from "./synth.ts";

const s = synth({ alarmEmail: "ops@convene.example.org" });
const alarms = Object.values(s.ofType("AWS::CloudWatch::Alarm")).map((a) => a.Properties!);
const topic = Object.keys(s.ofType("AWS::SNS::Topic"));

const watching = (metricName: string, dimension: string, id: string) =>
  alarms.filter(
    (a) =>
      a.MetricName === metricName &&
      (a.Dimensions as { Name: string; Value: unknown }[]).some(
        (d) => d.Name === dimension && refId(d.Value) === id,
      ),
  );

describe("alarms", () => {
  it("go to one encrypted SNS topic, subscribed by email", () => {
    expect(topic).toHaveLength(1);
    expect(s.ofType("AWS::SNS::Topic")[topic[0]!]!.Properties!.KmsMasterKeyId).toBeDefined();
    expect(Object.values(s.ofType("AWS::SNS::Subscription"))[0]?.Properties).toMatchObject({
      Protocol: "email",
      Endpoint: "ops@convene.example.org",
    });
    for (const alarm of alarms) expect((alarm.AlarmActions as unknown[]).map(refId)).toEqual([topic[0]]);
  });

  it("watch every dead-letter queue from its first message", () => {
    const queues = Object.keys(s.ofType("AWS::SQS::Queue"));
    expect(queues.length).toBeGreaterThanOrEqual(6); // three routes, the pipe, the schedules, SES forwarding
    for (const queue of queues) {
      const [alarm] = watching("ApproximateNumberOfMessagesVisible", "QueueName", queue);
      expect(alarm, queue).toMatchObject({
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    }
  });

  it("watch every function's errors and throttles", () => {
    for (const [fn] of conveneFunctions(s)) {
      expect(watching("Errors", "FunctionName", fn), fn).toHaveLength(1);
      expect(watching("Throttles", "FunctionName", fn), fn).toHaveLength(1);
    }
  });

  it("are as many, and cost as much, as docs/deploy.md's cost estimate says", () => {
    const doc = readFileSync(new URL("../../docs/deploy.md", import.meta.url), "utf8");
    const [, count, dollars] =
      /(\d+)\s+alarms in the synthesised template[^=]*= \$(\d+\.\d\d)/.exec(doc) ?? [];
    const inBoth = (type: string) =>
      Object.keys(s.stateful.findResources(type)).length + Object.keys(s.ofType(type)).length;
    const total = inBoth("AWS::CloudWatch::Alarm");
    expect(Number(count)).toBe(total);
    // The doc's unit prices: $0.10 per alarm-month, $1.00 per KMS key-month, $0.40 per secret-month.
    expect(dollars).toBe((total * 0.1).toFixed(2));
    const fixed = inBoth("AWS::KMS::Key") * 1 + total * 0.1 + inBoth("AWS::SecretsManager::Secret") * 0.4;
    expect(/About \*\*\$(\d+\.\d\d) a month\*\* plus log storage/.exec(doc)?.[1]).toBe(fixed.toFixed(2));
  });

  it("watch SES's bounce and complaint rates below the levels at which SES reviews the account", () => {
    const rate = (name: string) => alarms.find((a) => a.Namespace === "AWS/SES" && a.MetricName === name);
    expect(rate("Reputation.BounceRate")?.Threshold).toBeLessThan(0.05);
    expect(rate("Reputation.ComplaintRate")?.Threshold).toBeLessThan(0.001);
  });
});
