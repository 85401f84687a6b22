import { describe, expect, it } from "vitest";
import { deliveryProblemTypes } from "#functions/record-delivery-problem/ses-event.ts";
import { tableAccess } from "#infra/cdk/table-access.ts";
import { alarmTopicId, refId, routedFunction, synth } from "./synth.ts";

// SES's bounces and complaints reach Convene's bus from the default bus (Messaging); one rule
// takes them to record-delivery-problem, which marks the member's email undeliverable. It is
// wired like a route, may touch only the member and the outbox, and is watched like the others.

const s = synth();
const { id, fn, rule, pattern, statements } = routedFunction(s, "convene-dev-record-delivery-problem");
const target = (
  rule.Properties!.Targets as { Arn: unknown; RetryPolicy: unknown; DeadLetterConfig: { Arn: unknown } }[]
)[0]!;
const deadLetterQueueId = refId(target.DeadLetterConfig.Arn)!;
const actions = statements.flatMap((st) => st.Action);

describe("the record-delivery-problem function", () => {
  it("carries the house defaults: Node.js 24 on arm64, given the table's name only", () => {
    expect(fn.Properties).toMatchObject({ Runtime: "nodejs24.x", Architectures: ["arm64"] });
    const variables = Object.keys((fn.Properties!.Environment as { Variables: object }).Variables).filter(
      (name) => !name.startsWith("POWERTOOLS_") && name !== "NODE_OPTIONS",
    );
    expect(variables).toEqual(["TABLE_NAME"]);
  });
});

describe("its rule", () => {
  it("takes SES's bounces and complaints from Convene's bus, and nothing else", () => {
    expect(refId(rule.Properties!.EventBusName)).toBe(Object.keys(s.ofType("AWS::Events::EventBus"))[0]);
    expect(rule.Properties!.Name).toBe("convene-dev-record-delivery-problem");
    expect(pattern).toEqual({
      source: ["aws.ses"],
      "detail-type": ["Email Bounced", "Email Complaint Received"],
    });
    expect(pattern["detail-type"]).toEqual([...deliveryProblemTypes]);
  });

  it("takes every kind of report the default bus forwards, so none is forwarded to be dropped", () => {
    const forward = Object.values(s.ofType("AWS::Events::Rule")).find(
      (r) => r.Properties!.EventBusName === "default",
    )!;
    expect((forward.Properties!.EventPattern as { "detail-type": string[] })["detail-type"]).toEqual(
      pattern["detail-type"],
    );
  });

  it("retries for a day, then keeps the report in the routes' dead-letter queue, as Lambda does after two retries", () => {
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 });
    expect(s.ofType("AWS::SQS::Queue")[deadLetterQueueId]?.Properties?.QueueName).toBe(
      "convene-dev-events-dlq",
    );
    const invokeConfig = Object.values(s.ofType("AWS::Lambda::EventInvokeConfig")).find(
      (c) => refId(c.Properties!.FunctionName) === id,
    );
    expect(invokeConfig?.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: target.DeadLetterConfig.Arn } },
    });
  });
});

describe("its permissions", () => {
  it("are exactly its table-access entry on the table, its logs and its dead letters", () => {
    const table = tableAccess["record-delivery-problem"]!;
    expect(table.queriesIndex).toBe(false);
    expect(actions.filter((a) => a.startsWith("dynamodb:")).sort()).toEqual([...table.actions].sort());
    expect([...actions].sort()).toEqual(
      [
        // markEmailUndeliverable's transaction (Update on the member, Put of the outbox record),
        // and getMember when its condition fails.
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        // Lambda's on-failure destination: the routes' dead-letter queue.
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:SendMessage",
      ].sort(),
    );
    for (const st of statements.filter((x) => x.Action.some((a) => a.startsWith("dynamodb:"))))
      expect(JSON.stringify(st.Resource)).not.toContain("/index/");
    for (const st of statements.filter((x) => x.Action.some((a) => a.startsWith("sqs:"))))
      expect(refId(st.Resource)).toBe(deadLetterQueueId);
  });

  it("include nothing of S3, SES, Scheduler, SMS or the link secret", () => {
    for (const service of ["s3:", "ses:", "scheduler:", "iam:", "sms-voice:", "secretsmanager:"])
      expect(
        actions.filter((a) => a.startsWith(service)),
        service,
      ).toEqual([]);
  });
});

describe("its alarms", () => {
  const alarms = Object.values(s.ofType("AWS::CloudWatch::Alarm")).map((a) => a.Properties!);
  const watching = (metricName: string, resourceId: string) =>
    alarms.filter(
      (a) =>
        a.MetricName === metricName &&
        ((a.Dimensions as { Value: unknown }[] | undefined) ?? []).some((d) => refId(d.Value) === resourceId),
    );

  it("fire on its first error, its first throttle and the first report in its dead-letter queue", () => {
    const topic = alarmTopicId(s);
    // Its errors and throttles are counted in Lambda's account-wide metrics (no dimension).
    const everyFunction = (metricName: string) =>
      alarms.filter(
        (a) =>
          a.Namespace === "AWS/Lambda" &&
          a.MetricName === metricName &&
          ((a.Dimensions as unknown[] | undefined) ?? []).length === 0,
      );
    for (const [metric, found] of [
      ["Errors", everyFunction("Errors")],
      ["Throttles", everyFunction("Throttles")],
      [
        "ApproximateNumberOfMessagesVisible",
        watching("ApproximateNumberOfMessagesVisible", deadLetterQueueId),
      ],
    ] as const) {
      expect(found, metric).toHaveLength(1);
      expect(found[0], metric).toMatchObject({
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      expect((found[0]!.AlarmActions as unknown[]).map(refId)).toEqual([topic]);
    }
  });
});
