import { App, Stack, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { synth } from "./synth.ts";

const s = synth();
const violations = (scope: IConstruct) =>
  new AwsSolutionsChecks().validateScope(scope).violations.map((v) => ({
    rule: v.ruleName,
    at: v.violatingResources.map((r) => r.constructPath),
  }));

/** Every acknowledgement recorded in a construct tree (metadata: { "Annotation::<id>": reason }). */
const acknowledgements = (scope: IConstruct) =>
  scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ""), reason, at: c.node.path })),
  );

describe("cdk-nag's AWS Solutions checks", () => {
  it("find nothing unacknowledged in either stack", () => {
    expect(violations(s.stacks.stateful)).toEqual([]);
    expect(violations(s.stacks.stateless)).toEqual([]);
  });

  it("find nothing unacknowledged with an SMS origination identity configured either", () => {
    const scoped = synth({
      smsOriginationIdentity: "arn:aws:sms-voice:eu-west-2:123456789012:phone-number/p-1",
    });
    expect(violations(scoped.stacks.stateless)).toEqual([]);
  });

  it("have every acknowledgement justified in code", () => {
    const all = acknowledgements(s.stacks.stateless);
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) expect(a.reason.length, `${a.id} at ${a.at}`).toBeGreaterThan(40);
    // The findings acknowledged, for review when this list changes.
    expect([...new Set(all.map((a) => a.id.replace(/\[.*\]$/, "[…]")))].sort()).toEqual([
      "AwsSolutions-APIG4",
      "AwsSolutions-CFR1",
      "AwsSolutions-CFR2",
      "AwsSolutions-CFR3",
      "AwsSolutions-CFR4",
      "AwsSolutions-COG8",
      "AwsSolutions-IAM5[…]",
      "AwsSolutions-L1",
      "AwsSolutions-S1",
      "AwsSolutions-SMG4",
      "AwsSolutions-SQS3",
    ]);
  });

  it("do catch a finding (so the checks above can fail)", () => {
    const stack = new Stack(new App(), "Probe");
    new sqs.Queue(stack, "Plain", { enforceSSL: false });
    expect(violations(stack).map((v) => v.rule)).toEqual(
      expect.arrayContaining(["AwsSolutions-SQS3", "AwsSolutions-SQS4"]),
    );
  });
});
