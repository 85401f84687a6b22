import { describe, expect, it } from "vitest";
import { deliveryProblemTypes } from "#functions/record-delivery-problem/ses-event.ts";
import { routes } from "#functions/routing.ts";
import { functionEntries } from "#infra/cdk/function-entries.ts";
import { functionNamesById, refId, synth } from "./synth.ts";

// Routing is declared once (functions/routing.ts): these tests prove the cloud's rules are
// exactly that table, so the local bus and EventBridge cannot drift apart. The one other rule
// on Convene's bus takes SES's bounces and complaints (forwarded from the default bus) to
// record-delivery-problem; it is named here, so no further rule can slip in unseen.

const s = synth();
const bus = Object.keys(s.ofType("AWS::Events::EventBus"))[0]!;
const onConveneBus = Object.values(s.ofType("AWS::Events::Rule")).filter(
  (r) => refId(r.Properties!.EventBusName) === bus,
);
const functionNames = functionNamesById(s);
const prefix = "convene-dev-";
const mappings = Object.values(s.ofType("AWS::Lambda::EventSourceMapping")).map((m) => m.Properties!);

/**
 * The queue a rule sends to and the function its event source mapping feeds, for a queued route
 * (infra/cdk/constructs/route-queue.ts); undefined for a rule that targets a function itself.
 */
const queuedTarget = (arn: unknown) => {
  const mapping = mappings.find((m) => refId(m.EventSourceArn) === refId(arn));
  return mapping && { queue: refId(arn)!, fn: refId(mapping.FunctionName)! };
};

/** The function a rule's target reaches: the target itself, or the function its queue feeds. */
const targetFunction = (arn: unknown) => queuedTarget(arn)?.fn ?? refId(arn)!;

const rulesAsRoutes = () =>
  onConveneBus.map((rule) => {
    const targets = rule.Properties!.Targets as { Arn: unknown }[];
    expect(targets).toHaveLength(1);
    return {
      name: rule.Properties!.Name,
      target: functionNames[targetFunction(targets[0]!.Arn)]!.slice(prefix.length),
      pattern: rule.Properties!.EventPattern,
    };
  });

describe("the rules on Convene's bus", () => {
  it("are the routing table, plus SES's delivery problems: same patterns, same targets, nothing more", () => {
    const byTarget = (a: { target: string }, b: { target: string }) => a.target.localeCompare(b.target);
    const expected = [
      ...routes.map((r) => ({ target: r.target, pattern: r.pattern })),
      {
        target: "record-delivery-problem",
        pattern: { source: ["aws.ses"], "detail-type": [...deliveryProblemTypes] },
      },
    ];
    expect(rulesAsRoutes().sort(byTarget)).toEqual(
      expected.map((r) => ({ name: `${prefix}${r.target}`, ...r })).sort(byTarget),
    );
  });

  it("each retry for a day and keep what they could not deliver in the route's dead-letter queue", () => {
    for (const rule of onConveneBus) {
      const [target] = rule.Properties!.Targets as {
        RetryPolicy: unknown;
        DeadLetterConfig: { Arn: unknown };
      }[];
      expect(target!.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 });
      const queue = s.ofType("AWS::SQS::Queue")[refId(target!.DeadLetterConfig.Arn)!];
      expect(queue?.Properties?.QueueName).toMatch(/^convene-dev-.*-dlq$/);
    }
  });

  it("hand a function's failures (after Lambda's retries) to the same dead-letter queue as the rule's, or (after the queue's receives) to the queue's own", () => {
    const invokeConfigs = Object.values(s.ofType("AWS::Lambda::EventInvokeConfig"));
    const queued = onConveneBus.filter((rule) =>
      queuedTarget((rule.Properties!.Targets as { Arn: unknown }[])[0]!.Arn),
    );
    expect(queued.map((rule) => rule.Properties!.Name)).toEqual([`${prefix}send-session-reminders`]);
    for (const rule of onConveneBus) {
      const [target] = rule.Properties!.Targets as { Arn: unknown; DeadLetterConfig: { Arn: unknown } }[];
      const viaQueue = queuedTarget(target!.Arn);
      if (viaQueue) {
        const redrive = s.ofType("AWS::SQS::Queue")[viaQueue.queue]!.Properties!.RedrivePolicy as {
          deadLetterTargetArn: unknown;
        };
        // Its own, so that SQS's redrive sends each message back to the queue it came from.
        expect(refId(redrive.deadLetterTargetArn)).not.toBe(refId(target!.DeadLetterConfig.Arn));
        expect(s.ofType("AWS::SQS::Queue")[refId(redrive.deadLetterTargetArn)!]!.Properties!.QueueName).toBe(
          `${rule.Properties!.Name as string}-dlq`,
        );
        continue;
      }
      const config = invokeConfigs.find((c) => refId(c.Properties!.FunctionName) === refId(target!.Arn));
      expect(config?.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: target!.DeadLetterConfig.Arn } },
      });
    }
  });
});

describe("every route target", () => {
  it("has a Lambda entry at functions/<target>/index.ts and a function of that name", () => {
    const entries = functionEntries();
    for (const { target } of routes) {
      expect(entries.find((e) => e.name === target)?.entry).toMatch(
        new RegExp(`functions/${target}/index\\.ts$`),
      );
      expect(Object.values(functionNames)).toContain(`${prefix}${target}`);
    }
  });
});
