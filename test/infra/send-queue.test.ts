import { describe, expect, it } from "vitest";
import { functionEntries } from "#infra/cdk/function-entries.ts";
import {
  queuedEventLateAfter,
  queueMaxReceiveCount,
  queuedSendRate,
  queuedSendShare,
  sendRateVariable,
  sesThrottleAdvisedWait,
} from "#infra/cdk/constructs/route-queue.ts";
import { asyncEventLateAfter } from "#infra/cdk/constructs/operator-alarms.ts";
import { throttleRetry } from "#delivery/paced-mailer.ts";
import { sendingLeaseVariable } from "#infra/cdk/sending-lease.ts";
import { alarmTopicId, conveneFunctions, refId, statementsOfRole, synth, type Synthesised } from "./synth.ts";

// The reminders wait in a queue their function drains at its share of SES's rate (docs/deploy.md,
// "An evening at scale"): the rule sends to the queue, an event source mapping feeds the
// function at most `senderConcurrency` instances at once, each instance paced, and a failed
// event comes back after a visibility timeout that outlasts the sending lease.

const s = synth();

const functionNamed = (t: Synthesised, name: string) => {
  const found = conveneFunctions(t).find(([, f]) => f.Properties!.FunctionName === `convene-dev-${name}`);
  if (!found) throw new Error(`no function ${name}`);
  const p = found[1].Properties!;
  return {
    id: found[0],
    props: p,
    env: (p.Environment as { Variables: Record<string, string> }).Variables,
  };
};

const queueOf = (t: Synthesised) => {
  const [id, queue] = Object.entries(t.ofType("AWS::SQS::Queue")).find(
    ([, q]) => q.Properties!.QueueName === "convene-dev-send-session-reminders-queue",
  )!;
  return { id, props: queue.Properties! };
};

/** A template value as text: each Ref written <Name>, each Fn::Join joined. */
const asText = (value: unknown): string => {
  const v = value as { Ref?: string; "Fn::Join"?: [string, unknown[]] };
  if (typeof value === "string") return value;
  if (v.Ref) return `<${v.Ref}>`;
  if (v["Fn::Join"]) return v["Fn::Join"][1].map(asText).join(v["Fn::Join"][0]);
  throw new Error(`cannot read ${JSON.stringify(value)} as text`);
};

const mappingOf = (t: Synthesised, functionId: string) => {
  const found = Object.values(t.ofType("AWS::Lambda::EventSourceMapping")).filter(
    (m) => refId(m.Properties!.FunctionName) === functionId,
  );
  expect(found).toHaveLength(1);
  return found[0]!.Properties!;
};

describe("the reminder sender's queue", () => {
  const sender = functionNamed(s, "send-session-reminders");
  const queue = queueOf(s);
  const [rule] = Object.values(s.ofType("AWS::Events::Rule")).filter(
    (r) => r.Properties!.Name === "convene-dev-send-session-reminders",
  );
  const target = (
    rule!.Properties!.Targets as { Arn: unknown; RetryPolicy: unknown; DeadLetterConfig: { Arn: unknown } }[]
  )[0]!;
  const deadLetters = refId(target.DeadLetterConfig.Arn)!;

  it("is what the route's rule sends to, with a day of retries and the route's dead-letter queue", () => {
    expect(refId(target.Arn)).toBe(queue.id);
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 });
    // The routes' dead-letter queue, watched from its first message.
    expect(s.ofType("AWS::SQS::Queue")[deadLetters]!.Properties!.QueueName).toMatch(/^convene-dev-.*dlq$/);
    expect(
      Object.values(s.ofType("AWS::CloudWatch::Alarm")).some(
        (a) =>
          a.Properties!.MetricName === "ApproximateNumberOfMessagesVisible" &&
          a.Properties!.Threshold === 1 &&
          (a.Properties!.Dimensions as { Value: unknown }[]).some((d) => refId(d.Value) === deadLetters),
      ),
    ).toBe(true);
    // EventBridge may send to the queue for this rule only.
    const policy = Object.values(s.ofType("AWS::SQS::QueuePolicy")).find((p) =>
      (p.Properties!.Queues as unknown[]).some((q) => refId(q) === queue.id),
    )!;
    const allow = (
      policy.Properties!.PolicyDocument as {
        Statement: { Effect: string; Action: unknown; Principal?: unknown; Condition?: unknown }[];
      }
    ).Statement.find((st) => st.Effect === "Allow" && JSON.stringify(st.Action).includes("sqs:SendMessage"));
    expect(allow?.Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(JSON.stringify(allow?.Condition)).toContain(
      Object.entries(s.ofType("AWS::Events::Rule")).find(([, r]) => r === rule)![0],
    );
  });

  it("is encrypted and refuses plain HTTP", () => {
    expect(queue.props.SqsManagedSseEnabled).toBe(true);
    const policy = Object.values(s.ofType("AWS::SQS::QueuePolicy")).find((p) =>
      (p.Properties!.Queues as unknown[]).some((q) => refId(q) === queue.id),
    )!;
    expect(JSON.stringify(policy.Properties!.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  describe("its own dead-letter queue", () => {
    const redrive = queue.props.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
    const ownId = refId(redrive.deadLetterTargetArn)!;
    const own = s.ofType("AWS::SQS::Queue")[ownId]!.Properties!;

    it("takes an event received queueMaxReceiveCount times, and holds nothing but the queue's events", () => {
      expect(redrive.maxReceiveCount).toBe(queueMaxReceiveCount);
      expect(own.QueueName).toBe("convene-dev-send-session-reminders-dlq");
      // Not the routes' queue, where Lambda's failure records and other routes' events wait.
      expect(ownId).not.toBe(deadLetters);
      // SQS's redrive ("Start DLQ redrive") sends a message back to the queue it came from;
      // only the reminder queue may dead-letter here, so that is always the reminder queue.
      const allow = own.RedriveAllowPolicy as { redrivePermission: string; sourceQueueArns: unknown[] };
      expect(allow.redrivePermission).toBe("byQueue");
      expect(allow.sourceQueueArns.map(asText)).toEqual([
        "arn:<AWS::Partition>:sqs:eu-west-2:<AWS::AccountId>:convene-dev-send-session-reminders-queue",
      ]);
    });

    it("keeps its messages 14 days, encrypted, and alarms from the first", () => {
      expect(own.MessageRetentionPeriod).toBe(14 * 86_400);
      // A standard queue's message keeps its first enqueue time in the dead-letter queue, and
      // expires by it: kept longer there than in the queue, it never expires on arrival.
      expect(own.MessageRetentionPeriod as number).toBeGreaterThan(
        queue.props.MessageRetentionPeriod as number,
      );
      expect(own.SqsManagedSseEnabled).toBe(true);
      const alarms = Object.values(s.ofType("AWS::CloudWatch::Alarm"))
        .map((a) => a.Properties!)
        .filter(
          (a) =>
            a.MetricName === "ApproximateNumberOfMessagesVisible" &&
            (a.Dimensions as { Value: unknown }[]).some((d) => refId(d.Value) === ownId),
        );
      expect(alarms).toEqual([
        expect.objectContaining({
          AlarmName: "convene-dev-SendSessionRemindersQueueDeadLetters",
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          Statistic: "Maximum",
        }),
      ]);
    });

    it("is reached only after SES's throttling has been waited out many times over", () => {
      const visibility = queue.props.VisibilityTimeout as number;
      // Within a receive the mailer waits out a throttle with backoff; that must end well
      // before the invocation does, or the event would time out instead of failing cleanly.
      expect(throttleRetry.budgetMs / 1000).toBeLessThan(sender.props.Timeout as number);
      // Between the first receive and the last, over an hour: SES's advised wait six times.
      const spanSeconds = (redrive.maxReceiveCount - 1) * visibility;
      expect(spanSeconds).toBeGreaterThanOrEqual(3600);
      expect(spanSeconds).toBeGreaterThanOrEqual(6 * sesThrottleAdvisedWait.toSeconds());
      // AWS's advice for a queue a function polls: at least five receives, so a receive spent
      // on a throttled invocation (one the function never ran) does not dead-letter an event.
      expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
    });
  });

  it("alarms once its oldest event has waited past the late bar, the same as an asynchronous event's", () => {
    const late = Object.values(s.ofType("AWS::CloudWatch::Alarm"))
      .map((a) => a.Properties!)
      .filter(
        (a) =>
          a.MetricName === "ApproximateAgeOfOldestMessage" &&
          (a.Dimensions as { Name: string; Value: unknown }[]).some(
            (d) => d.Name === "QueueName" && refId(d.Value) === queue.id,
          ),
      );
    expect(late).toEqual([
      expect.objectContaining({
        AlarmName: "convene-dev-SendSessionRemindersQueueLate",
        Namespace: "AWS/SQS",
        Statistic: "Maximum",
        Threshold: 600,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 1,
      }),
    ]);
    expect(queuedEventLateAfter.toSeconds()).toBe(asyncEventLateAfter.toSeconds());
    // It goes to the operators' topic with the other alarms.
    expect((late[0]!.AlarmActions as unknown[]).map(refId)).toEqual([alarmTopicId(s)]);
  });

  it("keeps a failed event hidden longer than a dead sender's lease and the function's timeout together", () => {
    const timeout = sender.props.Timeout as number;
    const lease = Number(sender.env[sendingLeaseVariable]);
    const visibility = queue.props.VisibilityTimeout as number;
    expect(visibility).toBe(6 * timeout); // Lambda's advice for a queue a function polls
    // A redelivery after an invocation died holding claims finds their leases lapsed.
    expect(visibility).toBeGreaterThan(lease + timeout);
    // And the first receive cannot overlap a live invocation: it dies by its timeout.
    expect(visibility).toBeGreaterThan(timeout);
  });

  it("feeds the function one event at a time, at most senderConcurrency instances, reporting failed messages alone", () => {
    const mapping = mappingOf(s, sender.id);
    expect(refId(mapping.EventSourceArn)).toBe(queue.id);
    expect(mapping.BatchSize).toBe(1);
    expect(mapping.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    expect(mapping.FunctionResponseTypes).toEqual(["ReportBatchItemFailures"]);
    const larger = synth({ senderConcurrency: 6 });
    expect(mappingOf(larger, functionNamed(larger, "send-session-reminders").id).ScalingConfig).toEqual({
      MaximumConcurrency: 6,
    });
    // The mapping's least is two, also where senderConcurrency 0 leaves the other sender unreserved.
    const unreserved = synth({ senderConcurrency: 0 });
    expect(
      mappingOf(unreserved, functionNamed(unreserved, "send-session-reminders").id).ScalingConfig,
    ).toEqual({
      MaximumConcurrency: 2,
    });
  });

  it("replaces the function's reserved concurrency and asynchronous invocation: the queue alone feeds it", () => {
    expect(sender.props.ReservedConcurrentExecutions).toBeUndefined();
    expect(
      Object.values(s.ofType("AWS::Lambda::EventInvokeConfig")).filter(
        (c) => refId(c.Properties!.FunctionName) === sender.id,
      ),
    ).toEqual([]);
    expect(
      Object.values(s.ofType("AWS::Lambda::Permission")).filter(
        (p) =>
          refId(p.Properties!.FunctionName) === sender.id &&
          p.Properties!.Principal === "events.amazonaws.com",
      ),
    ).toEqual([]);
  });

  it("lets the function receive and delete from its queue only", () => {
    const statements = statementsOfRole(s, refId(sender.props.Role)!);
    const receive = statements.filter((st) => st.Action.includes("sqs:ReceiveMessage"));
    expect(receive).toHaveLength(1);
    expect(refId(receive[0]!.Resource)).toBe(queue.id);
    expect(receive[0]!.Action).toEqual(
      expect.arrayContaining(["sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]),
    );
  });
});

describe("the pace of every function that sends email", () => {
  it("keeps the reminder sender's instances together to their share of SES's rate", () => {
    const rate = Number(functionNamed(s, "send-session-reminders").env[sendRateVariable]);
    expect(rate).toBe(queuedSendRate(14, 2));
    expect(rate * 2).toBeCloseTo(14 * queuedSendShare, 6);
    const larger = synth({ sesMaxSendRate: 50, senderConcurrency: 4 });
    expect(Number(functionNamed(larger, "send-session-reminders").env[sendRateVariable]) * 4).toBeCloseTo(
      50 * queuedSendShare,
      6,
    );
  });

  it("lets no instance of any other sending function send faster than the account's rate", () => {
    const mailers = functionEntries().filter(
      (e) => e.needs.includes("mailer") && e.name !== "send-session-reminders",
    );
    expect(mailers.length).toBeGreaterThan(10);
    const larger = synth({ sesMaxSendRate: 50 });
    for (const entry of mailers) {
      expect(functionNamed(s, entry.name).env[sendRateVariable], entry.name).toBe("14");
      expect(functionNamed(larger, entry.name).env[sendRateVariable], entry.name).toBe("50");
    }
    for (const entry of functionEntries().filter((e) => !e.needs.includes("mailer")))
      expect(functionNamed(s, entry.name).env[sendRateVariable], entry.name).toBeUndefined();
  });
});
