import { App, Duration, Stack } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { ConveneFunction } from "#infra/cdk/constructs/convene-function.ts";
import { inboundMailPrefix } from "#infra/cdk/constructs/inbound-mail.ts";
import { functionEntries } from "#infra/cdk/function-entries.ts";
import {
  asyncRetryWaits,
  asyncRetryWindowSeconds,
  sendingLeaseVariable,
  sendsMessages,
} from "#infra/cdk/sending-lease.ts";
import { conveneFunctions, refId, statementsOfRole, synth } from "./synth.ts";

// docs/failure-windows.md, held to the template: each window in which an event or a message
// could be lost has a retry path, a dead-letter queue and an alarm.

const s = synth();
const functions = conveneFunctions(s);
/** The resources of one type in the stateless stack: their properties, and `id` their logical id. */
const props = (type: string): (Record<string, unknown> & { id: string })[] =>
  Object.entries(s.ofType(type)).map(([id, r]) => ({ ...r.Properties, id }));
const alarms = props("AWS::CloudWatch::Alarm");
const queues = s.ofType("AWS::SQS::Queue");
const invokeConfigs = props("AWS::Lambda::EventInvokeConfig");

const fn = (name: string) => {
  const found = functions.find(([, f]) => f.Properties!.FunctionName === `convene-dev-${name}`);
  if (!found) throw new Error(`no function ${name}`);
  const p = found[1].Properties!;
  return {
    id: found[0],
    timeout: p.Timeout as number,
    env: (p.Environment as { Variables: Record<string, unknown> }).Variables,
    statements: statementsOfRole(s, refId(p.Role)!),
  };
};

const queueNamed = (name: string) => {
  const found = Object.entries(queues).find(([, q]) => q.Properties!.QueueName === name);
  if (!found) throw new Error(`no queue ${name}`);
  return found[0];
};

/** The alarm on a queue's first visible message (threshold 1), or undefined. */
const deadLetterAlarm = (queueId: string) =>
  alarms.find(
    (a) =>
      a.MetricName === "ApproximateNumberOfMessagesVisible" &&
      a.Threshold === 1 &&
      a.ComparisonOperator === "GreaterThanOrEqualToThreshold" &&
      (a.Dimensions as { Name: string; Value: unknown }[]).some(
        (d) => d.Name === "QueueName" && refId(d.Value) === queueId,
      ),
  );

/** The alarm on a metric with one named dimension, or undefined. */
const alarmOn = (namespace: string, metricName: string, dimension: string, value: string) =>
  alarms.find(
    (a) =>
      a.Namespace === namespace &&
      a.MetricName === metricName &&
      a.Threshold === 1 &&
      JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: dimension, Value: value }]),
  );

/** The function's asynchronous invocation config: retries and where a failure goes. */
const asyncConfigOf = (functionId: string) => {
  const found = invokeConfigs.filter((c) => refId(c.FunctionName) === functionId);
  expect(found, functionId).toHaveLength(1);
  const config = found[0]!;
  return {
    retries: config.MaximumRetryAttempts,
    maxAgeSeconds: config.MaximumEventAgeInSeconds,
    onFailure: refId(
      (config.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure
        ?.Destination,
    ),
  };
};

const senders = functionEntries().filter((e) => sendsMessages(e.needs));

describe("a Lambda function dying between claiming a message and sending it", () => {
  it("is a window of every function that sends: each has a sending lease", () => {
    expect(senders.map((e) => e.name)).toEqual(
      expect.arrayContaining(["send-session-reminders", "notify-session-change", "receive-reply"]),
    );
    for (const entry of functionEntries()) {
      const lease = fn(entry.name).env[sendingLeaseVariable];
      if (sendsMessages(entry.needs)) expect(lease, entry.name).toMatch(/^\d+$/);
      else expect(lease, entry.name).toBeUndefined();
    }
  });

  it("holds a claim longer than the function can live, and lets the last retry find it expired", () => {
    expect(asyncRetryWindowSeconds).toBe(180); // Lambda's waits: about 1 minute, then 2
    for (const entry of senders) {
      const { timeout, env } = fn(entry.name);
      const lease = Number(env[sendingLeaseVariable]);
      // No live invocation's claim is taken: it dies by its timeout, after it claimed.
      expect(lease, entry.name).toBeGreaterThan(timeout);
      // A claim left by a dead first attempt expires before the third attempt starts.
      expect(lease + timeout, entry.name).toBeLessThanOrEqual(asyncRetryWindowSeconds);
    }
  });

  it("retries each sender asynchronously twice (the arithmetic counts on a third attempt), then dead-letters it with an alarm", () => {
    for (const entry of senders) {
      const { id, statements } = fn(entry.name);
      const config = asyncConfigOf(id);
      expect(config.retries, entry.name).toBe(asyncRetryWaits.length);
      expect(config.onFailure, entry.name).toBeDefined();
      expect(queues[config.onFailure!], entry.name).toBeDefined();
      expect(deadLetterAlarm(config.onFailure!), entry.name).toBeDefined();
      // Lambda writes the failure record with the function's role.
      expect(
        statements.some(
          (st) => st.Action.includes("sqs:SendMessage") && refId(st.Resource) === config.onFailure,
        ),
        entry.name,
      ).toBe(true);
    }
  });

  it("refuses to synthesise a sending function whose timeout would outlast the retry waits", () => {
    const sender = senders.find((e) => e.name === "send-session-reminders")!;
    const stack = new Stack(new App({ context: { "aws:cdk:bundling-stacks": [] } }), "Probe");
    const make = (seconds: number) =>
      new ConveneFunction(stack, `Fn${seconds}`, {
        entry: sender,
        namePrefix: "probe",
        logRetentionDays: 30,
        timeout: Duration.seconds(seconds),
      });
    expect(() => make(82)).not.toThrow();
    expect(() => make(120)).toThrow(/may be at most 82 s/);
  });
});

describe("an EventBridge rule failing to hand an event to its function, or the function failing on it", () => {
  const lambdaRules = props("AWS::Events::Rule").filter((rule) =>
    (rule.Targets as { Arn: unknown }[]).some((t) => functions.some(([id]) => id === refId(t.Arn))),
  );

  it("retries for 24 hours, then dead-letters the event in the route's queue, which alarms", () => {
    expect(lambdaRules.length).toBeGreaterThanOrEqual(18); // the routing table and SES's reports
    for (const rule of lambdaRules) {
      const [target] = rule.Targets as {
        Arn: unknown;
        RetryPolicy?: unknown;
        DeadLetterConfig?: { Arn: unknown };
      }[];
      expect(target!.RetryPolicy, rule.Name as string).toEqual({
        MaximumRetryAttempts: 185,
        MaximumEventAgeInSeconds: 86_400,
      });
      const queue = refId(target!.DeadLetterConfig?.Arn);
      expect(queue && queues[queue], rule.Name as string).toBeDefined();
      expect(deadLetterAlarm(queue!), rule.Name as string).toBeDefined();
      // EventBridge may write to the queue for this rule only.
      const policy = props("AWS::SQS::QueuePolicy").find((p) =>
        (p.Queues as unknown[]).some((q) => refId(q) === queue),
      );
      const allow = (
        policy?.PolicyDocument as {
          Statement: { Effect: string; Principal?: unknown; Condition?: unknown }[];
        }
      ).Statement.find((st) => st.Effect === "Allow");
      expect(allow?.Principal).toEqual({ Service: "events.amazonaws.com" });
      expect(
        refId((allow?.Condition as { ArnEquals: Record<string, unknown> }).ArnEquals["aws:SourceArn"]),
      ).toBe(rule.id);
    }
  });

  it("has the function retried twice by Lambda, its failure record going to the same queue", () => {
    for (const rule of lambdaRules) {
      const [target] = rule.Targets as { Arn: unknown; DeadLetterConfig: { Arn: unknown } }[];
      const config = asyncConfigOf(refId(target!.Arn)!);
      expect(config, rule.Name as string).toEqual({
        retries: 2,
        maxAgeSeconds: 6 * 3600,
        onFailure: refId(target!.DeadLetterConfig.Arn),
      });
    }
  });

  it("covers every function invoked asynchronously; only the API and the pipe's relay are invoked synchronously", () => {
    const asynchronous = new Set(invokeConfigs.map((c) => refId(c.FunctionName)));
    const synchronous = functions
      .filter(([id]) => !asynchronous.has(id))
      .map(([, f]) => f.Properties!.FunctionName)
      .sort();
    expect(synchronous).toEqual(["convene-dev-api", "convene-dev-outbox-relay"]);
  });
});

describe("a reminder schedule failing to put its event on the bus", () => {
  const deadLetters = queueNamed("convene-dev-schedules-dlq");

  it("gives every function that creates schedules the schedules' dead-letter queue (the adapter sets each schedule's retry policy and this queue)", () => {
    const schedulers = functionEntries().filter((e) => e.needs.includes("scheduler"));
    expect(schedulers.length).toBeGreaterThan(0);
    for (const entry of schedulers)
      expect(refId(fn(entry.name).env.SCHEDULE_DEAD_LETTER_ARN), entry.name).toBe(deadLetters);
  });

  it("lets Scheduler's role write there, and alarms on that queue and on any schedule Scheduler gives up on", () => {
    const role = Object.entries(s.ofType("AWS::IAM::Role")).find(([, r]) =>
      JSON.stringify(r.Properties!.AssumeRolePolicyDocument).includes("scheduler.amazonaws.com"),
    )![0];
    expect(
      statementsOfRole(s, role).some(
        (st) => st.Action.includes("sqs:SendMessage") && refId(st.Resource) === deadLetters,
      ),
    ).toBe(true);
    expect(deadLetterAlarm(deadLetters)).toBeDefined();
    expect(
      alarmOn("AWS/Scheduler", "InvocationDroppedCount", "ScheduleGroup", "convene-dev-reminders"),
    ).toBeDefined();
  });
});

describe("the outbox pipe failing to carry a batch from the stream to the bus", () => {
  const [pipe] = props("AWS::Pipes::Pipe");
  const stream = (pipe!.SourceParameters as { DynamoDBStreamParameters: Record<string, unknown> })
    .DynamoDBStreamParameters;
  const deadLetters = queueNamed("convene-dev-outbox-pipe-dlq");

  it("halves a failing batch and retries a bounded number of times, then dead-letters it with an alarm", () => {
    expect(stream.OnPartialBatchItemFailure).toBe("AUTOMATIC_BISECT");
    expect(stream.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(stream.MaximumRetryAttempts).toBeLessThanOrEqual(100);
    expect(refId((stream.DeadLetterConfig as { Arn: unknown }).Arn)).toBe(deadLetters);
    expect(deadLetterAlarm(deadLetters)).toBeDefined();
  });

  it("dead-letters a record before DynamoDB trims it from the stream (24 hours)", () => {
    const maxAge = stream.MaximumRecordAgeInSeconds as number;
    expect(maxAge).toBeGreaterThan(0); // -1 would retry until the record is trimmed, and lost
    expect(maxAge).toBeLessThan(24 * 3600);
    const tables = Object.values(s.stateful.findResources("AWS::DynamoDB::Table"));
    expect(
      tables.map((t) => (t.Properties as { StreamSpecification?: unknown }).StreamSpecification),
    ).toEqual([{ StreamViewType: "NEW_IMAGE" }]);
  });

  it("alarms on the pipe's first failed or partly failed execution, and on the relay's errors", () => {
    const name = pipe!.Name as string;
    expect(alarmOn("AWS/EventBridge/Pipes", "ExecutionFailed", "PipeName", name)).toBeDefined();
    expect(alarmOn("AWS/EventBridge/Pipes", "ExecutionPartiallyFailed", "PipeName", name)).toBeDefined();
    const relay = fn("outbox-relay").id;
    expect(refId(pipe!.Enrichment)).toBe(relay);
    expect(
      alarms.some(
        (a) =>
          a.MetricName === "Errors" &&
          (a.Dimensions as { Value: unknown }[]).some((d) => refId(d.Value) === relay),
      ),
    ).toBe(true);
  });
});

describe("SES or SMS throttling or failing", () => {
  it("leaves the SDK's own retries at their defaults (no retry mode or attempts set in any function)", () => {
    for (const [, f] of functions) {
      const env = (f.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.AWS_MAX_ATTEMPTS).toBeUndefined();
      expect(env.AWS_RETRY_MODE).toBeUndefined();
    }
  });

  it("alarms on every sending function's errors and throttles (after the SDK's retries the invocation fails)", () => {
    for (const entry of senders) {
      const { id } = fn(entry.name);
      for (const metric of ["Errors", "Throttles"])
        expect(
          alarms.some(
            (a) =>
              a.MetricName === metric &&
              (a.Dimensions as { Value: unknown }[]).some((d) => refId(d.Value) === id),
          ),
          `${entry.name} ${metric}`,
        ).toBe(true);
    }
  });

  it("keeps an inbound reply first in the bucket, then hands it to receive-reply asynchronously (retries, then its alarmed queue)", () => {
    const [rule] = props("AWS::SES::ReceiptRule");
    const actions = (
      rule!.Rule as { Actions: Record<string, { InvocationType?: string; ObjectKeyPrefix?: string }>[] }
    ).Actions;
    expect(actions.map((a) => Object.keys(a)[0])).toEqual(["S3Action", "LambdaAction"]);
    expect(actions[0]!.S3Action!.ObjectKeyPrefix).toBe(inboundMailPrefix);
    expect(actions[1]!.LambdaAction!.InvocationType).toBe("Event");
    const config = asyncConfigOf(fn("receive-reply").id);
    expect(config.retries).toBe(2);
    expect(config.onFailure).toBe(queueNamed("convene-dev-receive-reply-dlq"));
    expect(deadLetterAlarm(config.onFailure!)).toBeDefined();
  });
});

describe("replay", () => {
  it("archives every event on the bus for longer than any dead letter is kept, so what was dead-lettered can be replayed", () => {
    const [archive] = props("AWS::Events::Archive");
    expect(refId(archive!.SourceArn)).toBe(Object.keys(s.ofType("AWS::Events::EventBus"))[0]);
    expect(archive!.EventPattern).toEqual({ account: [{ Ref: "AWS::AccountId" }] });
    const kept = Object.values(queues).map((q) => q.Properties!.MessageRetentionPeriod as number);
    expect(kept.length).toBeGreaterThan(0);
    for (const seconds of kept)
      expect(archive!.RetentionDays as number).toBeGreaterThanOrEqual(seconds / 86_400);
  });
});
