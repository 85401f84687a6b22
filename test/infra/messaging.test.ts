import { describe, expect, it } from "vitest";
import { deliveryProblemTypes } from "#functions/record-delivery-problem/ses-event.ts";
import { refId, synth } from "./synth.ts";

const s = synth();
const one = (type: string) => {
  const all = Object.values(s.ofType(type));
  expect(all, type).toHaveLength(1);
  return all[0]!.Properties!;
};

describe("email (SES)", () => {
  it("sends from the sending domain, signed with Easy DKIM, through Convene's configuration set", () => {
    const identity = one("AWS::SES::EmailIdentity");
    expect(identity.EmailIdentity).toBe("convene.example.org");
    expect(identity.DkimAttributes).toEqual({ SigningEnabled: true });
    expect(identity.DkimSigningAttributes).toEqual({ NextSigningKeyLength: "RSA_2048_BIT" });
    expect(identity.ConfigurationSetAttributes).toEqual({
      ConfigurationSetName: { Ref: expect.any(String) as string },
    });
  });

  it("suppresses addresses that bounce or complain, requires TLS and tracks reputation", () => {
    expect(one("AWS::SES::ConfigurationSet")).toMatchObject({
      Name: "convene-dev-mail",
      SuppressionOptions: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
      DeliveryOptions: { TlsPolicy: "REQUIRE" },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
  });

  it("publishes bounces and complaints to EventBridge, which takes them only on the default bus", () => {
    const destination = one("AWS::SES::ConfigurationSetEventDestination").EventDestination as Record<
      string,
      unknown
    >;
    expect(destination.MatchingEventTypes).toEqual(["bounce", "complaint"]);
    expect(JSON.stringify(destination.EventBridgeDestination)).toContain("event-bus/default");
  });

  it("forwards those events from the default bus to Convene's, keeping what it cannot deliver", () => {
    const forward = Object.values(s.ofType("AWS::Events::Rule")).find(
      (r) => r.Properties!.EventBusName === "default",
    )!;
    expect(forward.Properties!.EventPattern).toEqual({
      source: ["aws.ses"],
      "detail-type": [...deliveryProblemTypes],
      detail: { mail: { tags: { "ses:configuration-set": ["convene-dev-mail"] } } },
    });
    const [target] = forward.Properties!.Targets as { Arn: unknown; DeadLetterConfig: { Arn: unknown } }[];
    expect(s.ofType("AWS::Events::EventBus")[refId(target!.Arn)!]).toBeDefined();
    const queue = refId(target!.DeadLetterConfig.Arn)!;
    expect(s.ofType("AWS::SQS::Queue")[queue]?.Properties?.QueueName).toBe("convene-dev-events-dlq");
    // EventBridge may write there for this rule (its RULE_ARN attribute names it in the message).
    const [forwardId] = Object.entries(s.ofType("AWS::Events::Rule")).find(([, r]) => r === forward)!;
    const policy = Object.values(s.ofType("AWS::SQS::QueuePolicy")).find((p) =>
      (p.Properties!.Queues as unknown[]).some((q) => refId(q) === queue),
    )!;
    const allow = (
      policy.Properties!.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }
    ).Statement.find((st) => st.Effect === "Allow")!;
    expect(
      [(allow.Condition as { ArnEquals: Record<string, unknown> }).ArnEquals["aws:SourceArn"]]
        .flat()
        .map(refId),
    ).toContain(forwardId);
  });
});

describe("SMS (End User Messaging)", () => {
  it("has a configuration set and an opt-out list", () => {
    expect(one("AWS::SMSVOICE::ConfigurationSet").ConfigurationSetName).toBe("convene-dev-sms");
    expect(one("AWS::SMSVOICE::OptOutList").OptOutListName).toBe("convene-dev-sms-opt-outs");
  });
});
