import { App, Duration, Stack } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { ConveneFunction } from "#infra/cdk/constructs/convene-function.ts";
import { inboundMailPrefix } from "#infra/cdk/constructs/inbound-mail.ts";
import { queueMaxReceiveCount } from "#infra/cdk/constructs/route-queue.ts";
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

/** The alarm on one of Lambda's account-wide metrics (no dimension: every function), or undefined. */
const everyFunctionAlarm = (metricName: string) =>
  alarms.find(
    (a) =>
      a.Namespace === "AWS/Lambda" &&
      a.MetricName === metricName &&
      a.Threshold === 1 &&
      ((a.Dimensions as unknown[] | undefined) ?? []).length === 0,
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

/** Functions an SQS event source mapping feeds, by the queue: not invoked asynchronously. */
const mappings = props("AWS::Lambda::EventSourceMapping");
const queueFed = new Set(mappings.map((m) => refId(m.FunctionName)));
/** The function a rule's target reaches: itself, or the one its queue feeds. */
const reachedBy = (arn: unknown) =>
  refId(mappings.find((m) => refId(m.EventSourceArn) === refId(arn))?.FunctionName) ?? refId(arn);

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
    // The reminder sender is fed by a queue instead; its retries are the queue's receives, whose
    // visibility timeout outlasts lease + timeout (test/infra/send-queue.test.ts).
    const asynchronous = senders.filter((e) => !queueFed.has(fn(e.name).id));
    expect(senders.filter((e) => !asynchronous.includes(e)).map((e) => e.name)).toEqual([
      "send-session-reminders",
    ]);
    for (const entry of asynchronous) {
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
  // Rules that target a function, or the queue that feeds one.
  const lambdaRules = props("AWS::Events::Rule").filter((rule) =>
    (rule.Targets as { Arn: unknown }[]).some((t) => functions.some(([id]) => id === reachedBy(t.Arn))),
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
      // EventBridge may write to the queue for the rules it lists, this one among them, and
      // for no other source: one statement, since a queue policy holds at most 20.
      const policy = props("AWS::SQS::QueuePolicy").find((p) =>
        (p.Queues as unknown[]).some((q) => refId(q) === queue),
      );
      const allows = (
        policy?.PolicyDocument as {
          Statement: { Effect: string; Principal?: unknown; Condition?: unknown }[];
        }
      ).Statement.filter((st) => st.Effect === "Allow");
      expect(allows).toHaveLength(1);
      expect(allows[0]!.Principal).toEqual({ Service: "events.amazonaws.com" });
      const sources = [
        (allows[0]!.Condition as { ArnEquals: Record<string, unknown> }).ArnEquals["aws:SourceArn"],
      ].flat();
      expect(sources.map(refId), rule.Name as string).toContain(rule.id);
      for (const source of sources) expect(s.ofType("AWS::Events::Rule")[refId(source)!]).toBeDefined();
    }
  });

  it("has the function retried twice by Lambda, its failure going to the same queue (or its queue's message received again, then moved to a queue of its own, which alarms)", () => {
    for (const rule of lambdaRules) {
      const [target] = rule.Targets as { Arn: unknown; DeadLetterConfig: { Arn: unknown } }[];
      if (reachedBy(target!.Arn) !== refId(target!.Arn)) {
        // Through a queue: after queueMaxReceiveCount receives, SQS moves the event itself to
        // the queue's own dead-letter queue, from which SQS's redrive sends it back.
        const redrive = queues[refId(target!.Arn)!]!.Properties!.RedrivePolicy as {
          deadLetterTargetArn: unknown;
          maxReceiveCount: number;
        };
        expect(redrive.maxReceiveCount, rule.Name as string).toBe(queueMaxReceiveCount);
        const own = refId(redrive.deadLetterTargetArn)!;
        expect(queues[own], rule.Name as string).toBeDefined();
        expect(own, rule.Name as string).not.toBe(refId(target!.DeadLetterConfig.Arn));
        expect(deadLetterAlarm(own), rule.Name as string).toBeDefined();
        continue;
      }
      const config = asyncConfigOf(refId(target!.Arn)!);
      expect(config, rule.Name as string).toEqual({
        retries: 2,
        maxAgeSeconds: 6 * 3600,
        onFailure: refId(target!.DeadLetterConfig.Arn),
      });
    }
  });

  it("covers every function invoked asynchronously or fed by a queue; only the API's functions (api, planning-api, calendar-feeds) and the pipe's relay are invoked synchronously", () => {
    const asynchronous = new Set(invokeConfigs.map((c) => refId(c.FunctionName)));
    const namesOf = (ids: (id: string) => boolean) =>
      functions
        .filter(([id]) => ids(id))
        .map(([, f]) => f.Properties!.FunctionName)
        .sort();
    expect(namesOf((id) => !asynchronous.has(id) && !queueFed.has(id))).toEqual([
      "convene-dev-api",
      "convene-dev-calendar-feeds",
      "convene-dev-outbox-relay",
      "convene-dev-planning-api",
    ]);
    expect(namesOf((id) => queueFed.has(id))).toEqual(["convene-dev-send-session-reminders"]);
    expect(namesOf((id) => queueFed.has(id) && asynchronous.has(id))).toEqual([]);
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
    for (const metric of ["ExecutionFailed", "ExecutionPartiallyFailed"]) {
      const alarm = alarmOn("AWS/EventBridge/Pipes", metric, "PipeName", name);
      expect(alarm, metric).toBeDefined();
      // A pipe AWS disabled after its failures sends no data: the alarm stays raised until
      // an execution goes through, instead of taking the silence for health.
      expect(alarm!.TreatMissingData, metric).toBe("ignore");
    }
    expect(refId(pipe!.Enrichment)).toBe(fn("outbox-relay").id);
    expect(everyFunctionAlarm("Errors")).toBeDefined();
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
    expect(senders.length).toBeGreaterThan(0);
    // Lambda's account-wide metrics count every function, each sender among them.
    for (const metric of ["Errors", "Throttles"]) expect(everyFunctionAlarm(metric), metric).toBeDefined();
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
    expect(config.onFailure).toBe(queueNamed("convene-dev-events-dlq"));
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
