import { describe, expect, it } from "vitest";
import { permanentSmsFailures } from "#domain/sms-failure.ts";
import { functionNamesById, refId, routedFunction, synth } from "./synth.ts";

// End User Messaging SMS publishes a configuration set's events to CloudWatch Logs, Data
// Firehose or SNS (no EventBridge): texts that failed for good go to an encrypted SNS topic,
// which invokes record-delivery-problem, the function that also reads SES's bounces.

const s = synth();
const [configurationSet] = Object.values(s.ofType("AWS::SMSVOICE::ConfigurationSet")).map(
  (c) => c.Properties!,
);
const topics = Object.entries(s.ofType("AWS::SNS::Topic"));
const [topicId, topic] = topics.find(
  ([, t]) => t.Properties!.TopicName === "convene-dev-sms-delivery-events",
)!;
const destinations = configurationSet!.EventDestinations as {
  EventDestinationName: string;
  Enabled: boolean;
  MatchingEventTypes: string[];
  SnsDestination?: { TopicArn: unknown };
}[];

describe("the SMS configuration set's event destination", () => {
  it("publishes exactly the permanent failures, TEXT_INVALID and TEXT_BLOCKED, to the SNS topic", () => {
    expect(destinations).toHaveLength(1);
    expect(destinations[0]).toMatchObject({
      Enabled: true,
      MatchingEventTypes: ["TEXT_INVALID", "TEXT_BLOCKED"],
    });
    expect(destinations[0]!.MatchingEventTypes).toEqual([...permanentSmsFailures]);
    expect(refId(destinations[0]!.SnsDestination!.TopicArn)).toBe(topicId);
  });

  it("is a topic under a key of our own, which End User Messaging may publish with, from this account only", () => {
    const keyId = refId(topic.Properties!.KmsMasterKeyId)!;
    const key = s.ofType("AWS::KMS::Key")[keyId]!.Properties!;
    expect(key.EnableKeyRotation).toBe(true);
    const keyGrant = (
      key.KeyPolicy as {
        Statement: { Principal?: { Service?: string }; Action: string[]; Condition?: unknown }[];
      }
    ).Statement.find((st) => st.Principal?.Service === "sms-voice.amazonaws.com")!;
    expect([...keyGrant.Action].sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(keyGrant.Condition).toEqual({ StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } });

    const policies = Object.values(s.ofType("AWS::SNS::TopicPolicy")).filter((p) =>
      (p.Properties!.Topics as unknown[]).some((t) => refId(t) === topicId),
    );
    expect(policies).toHaveLength(1);
    const statements = (
      policies[0]!.Properties!.PolicyDocument as {
        Statement: { Effect: string; Principal?: unknown; Action: string | string[]; Condition?: unknown }[];
      }
    ).Statement;
    const publish = statements.find((st) => st.Effect === "Allow")!;
    expect(publish).toMatchObject({
      Principal: { Service: "sms-voice.amazonaws.com" },
      Action: "sns:Publish",
      Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
    });
    // enforceSSL: publishing over plain HTTP is denied.
    expect(statements.some((st) => st.Effect === "Deny")).toBe(true);
  });

  it("invokes record-delivery-problem, with its retries and dead-letter queue, and nothing else", () => {
    const subscriptions = Object.values(s.ofType("AWS::SNS::Subscription")).filter(
      (sub) => refId(sub.Properties!.TopicArn) === topicId,
    );
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]!.Properties!.Protocol).toBe("lambda");
    const { id } = routedFunction(s, "convene-dev-record-delivery-problem");
    expect(refId(subscriptions[0]!.Properties!.Endpoint)).toBe(id);
    expect(functionNamesById(s)[id]).toBe("convene-dev-record-delivery-problem");

    // SNS may invoke it for this topic only.
    const permissions = Object.values(s.ofType("AWS::Lambda::Permission")).filter(
      (p) => p.Properties!.Principal === "sns.amazonaws.com" && refId(p.Properties!.FunctionName) === id,
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties!.SourceArn).toEqual({ Ref: topicId });

    // SNS invokes asynchronously: Lambda's two retries, then the routes' dead-letter queue.
    const invokeConfig = Object.values(s.ofType("AWS::Lambda::EventInvokeConfig")).find(
      (c) => refId(c.Properties!.FunctionName) === id,
    );
    expect(invokeConfig?.Properties).toMatchObject({ MaximumRetryAttempts: 2 });
  });
});
