import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { inboundMailPrefix } from "#infra/cdk/constructs/inbound-mail.ts";
import { customResourceProviderId, refId, statementsOfRole, synth } from "./synth.ts";

// Receiving replies on AWS: the bucket SES stores raw mail in, the
// receipt rule (S3, then Lambda), the rule set's activation, and the receive-reply function.

const s = synth({ replyDomain: "reply.groups.example.net" });
const only = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};
/** Resources of the InboundMail construct only (the dashboard has a bucket and policy too). */
const inbound = (type: string) =>
  Object.fromEntries(Object.entries(s.ofType(type)).filter(([id]) => id.startsWith("InboundMail")));
const [bucketId, bucket] = only(inbound("AWS::S3::Bucket"));
const [ruleSetId, ruleSet] = only(s.ofType("AWS::SES::ReceiptRuleSet"));
const [ruleId, rule] = only(s.ofType("AWS::SES::ReceiptRule"));
const [fnId, fn] = Object.entries(s.ofType("AWS::Lambda::Function")).find(
  ([, f]) => f.Properties!.FunctionName === "convene-dev-receive-reply",
)!;
const ruleArn = (x: unknown) => JSON.stringify(x).replace(/\\"/g, '"');
const ruleArnTail = ":receipt-rule-set/convene-dev-inbound:receipt-rule/convene-dev-replies";

describe("the inbound mail bucket", () => {
  it("is encrypted, private, and expires mail after 30 days", () => {
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: 30, Status: "Enabled" })],
      },
    });
    // Retained like the user pool: mail waiting to be handled survives a stack replacement.
    expect(bucket.DeletionPolicy).toBe("Retain");
  });

  it("refuses anything but TLS, and lets only SES put mail, under the prefix, for this account and rule", () => {
    const [, policy] = only(inbound("AWS::S3::BucketPolicy"));
    expect(refId(policy.Properties!.Bucket)).toBe(bucketId);
    const statements = (
      policy.Properties!.PolicyDocument as {
        Statement: {
          Effect: string;
          Action: string;
          Principal: unknown;
          Resource: unknown;
          Condition: unknown;
        }[];
      }
    ).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
    const allows = statements.filter((st) => st.Effect === "Allow");
    expect(allows).toHaveLength(1);
    const [put] = allows;
    expect(put).toMatchObject({ Action: "s3:PutObject", Principal: { Service: "ses.amazonaws.com" } });
    expect(JSON.stringify(put!.Resource)).toContain(`"/${inboundMailPrefix}*"`);
    const condition = put!.Condition as {
      StringEquals: Record<string, unknown>;
      ArnLike: Record<string, unknown>;
    };
    expect(condition.StringEquals["aws:SourceAccount"]).toEqual({ Ref: "AWS::AccountId" });
    expect(ruleArn(condition.ArnLike["aws:SourceArn"])).toContain(ruleArnTail);
  });
});

describe("the receipt rule", () => {
  it("takes mail for the reply domain, scans it, and stores it in S3 before invoking the function", () => {
    expect(ruleSet.Properties).toEqual({ RuleSetName: "convene-dev-inbound" });
    expect(refId(rule.Properties!.RuleSetName)).toBe(ruleSetId);
    const r = rule.Properties!.Rule as {
      Name: string;
      Enabled: boolean;
      ScanEnabled: boolean;
      Recipients: string[];
      Actions: Record<
        string,
        { BucketName?: unknown; ObjectKeyPrefix?: string; FunctionArn?: unknown; InvocationType?: string }
      >[];
    };
    expect(r).toMatchObject({ Name: "convene-dev-replies", Enabled: true, ScanEnabled: true });
    expect(r.Recipients).toEqual(["reply.groups.example.net"]);
    expect(r.Actions.map((a) => Object.keys(a))).toEqual([["S3Action"], ["LambdaAction"]]);
    expect(refId(r.Actions[0]!.S3Action!.BucketName)).toBe(bucketId);
    expect(r.Actions[0]!.S3Action!.ObjectKeyPrefix).toBe(inboundMailPrefix);
    expect(refId(r.Actions[1]!.LambdaAction!.FunctionArn)).toBe(fnId);
    expect(r.Actions[1]!.LambdaAction!.InvocationType).toBe("Event");
  });

  it("is created once SES may write to the bucket and invoke the function (SES checks both)", () => {
    const [permissionId, permission] = Object.entries(s.ofType("AWS::Lambda::Permission")).find(
      ([, p]) => p.Properties!.Principal === "ses.amazonaws.com",
    )!;
    expect(refId(permission.Properties!.FunctionName)).toBe(fnId);
    expect(permission.Properties!.SourceAccount).toEqual({ Ref: "AWS::AccountId" });
    expect(ruleArn(permission.Properties!.SourceArn)).toContain(ruleArnTail);
    const [policyId] = only(inbound("AWS::S3::BucketPolicy"));
    expect(rule.DependsOn).toEqual(expect.arrayContaining([permissionId, policyId]));
  });
});

describe("the rule set's activation", () => {
  const [, activation] = only(s.ofType("Custom::SesActiveReceiptRuleSet"));
  const call = (phase: string) =>
    JSON.parse(activation.Properties![phase] as string) as Record<string, unknown>;

  it("activates the rule set after its rule exists, and deactivates it before it is deleted", () => {
    expect(call("Create")).toMatchObject({
      service: "SES",
      action: "setActiveReceiptRuleSet",
      parameters: { RuleSetName: "convene-dev-inbound" },
    });
    expect(call("Update")).toEqual(call("Create"));
    expect(call("Delete")).toEqual({ service: "SES", action: "setActiveReceiptRuleSet", parameters: {} });
    expect(activation.Properties!.InstallLatestAwsSdk).toBe(false);
    expect(activation.DependsOn).toContain(ruleId);
  });

  it("may call SetActiveReceiptRuleSet and nothing else", () => {
    const [providerId, provider] = Object.entries(s.ofType("AWS::Lambda::Function")).find(([id]) =>
      id.startsWith(customResourceProviderId),
    )!;
    expect(refId(activation.Properties!.ServiceToken)).toBe(providerId);
    const statements = statementsOfRole(s, refId(provider.Properties!.Role)!);
    const actions = statements.flatMap((st) => st.Action);
    expect(actions.filter((a) => !a.startsWith("logs:"))).toEqual(["ses:SetActiveReceiptRuleSet"]);
    for (const st of statements.filter((x) => x.Action.some((a) => a.startsWith("logs:"))))
      expect(JSON.stringify(st.Resource)).not.toBe('"*"');
  });
});

describe("the receive-reply function", () => {
  const statements = statementsOfRole(s, refId(fn.Properties!.Role)!);

  it("has no wildcard action", () => {
    for (const st of statements) for (const action of st.Action) expect(action).not.toMatch(/\*/);
  });

  it("may read the stored mail under the prefix only, and nothing else in S3", () => {
    const s3 = statements.filter((st) => st.Action.some((a) => a.startsWith("s3:")));
    expect(s3).toHaveLength(1);
    expect(s3[0]!.Action).toEqual(["s3:GetObject"]);
    expect(s3[0]!.Resource).toEqual({
      "Fn::Join": ["", [{ "Fn::GetAtt": [bucketId, "Arn"] }, `/${inboundMailPrefix}*`]],
    });
  });

  it("knows where the mail is stored", () => {
    const variables = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(refId(variables.INBOUND_MAIL_BUCKET)).toBe(bucketId);
    expect(variables.INBOUND_MAIL_PREFIX).toBe(inboundMailPrefix);
  });

  it("is retried twice by Lambda, then dead-lettered into an alarmed queue", () => {
    const config = Object.values(s.ofType("AWS::Lambda::EventInvokeConfig")).find(
      (c) => refId(c.Properties!.FunctionName) === fnId,
    )!;
    expect(config.Properties!.MaximumRetryAttempts).toBe(2);
    const destination = (config.Properties!.DestinationConfig as { OnFailure: { Destination: unknown } })
      .OnFailure.Destination;
    const [queueId] = Object.entries(s.ofType("AWS::SQS::Queue")).find(
      ([, q]) => q.Properties!.QueueName === "convene-dev-events-dlq",
    )!;
    expect(refId(destination)).toBe(queueId);
    const alarms = Object.values(s.ofType("AWS::CloudWatch::Alarm")).map((a) => a.Properties!);
    expect(
      alarms.filter(
        (a) =>
          a.MetricName === "ApproximateNumberOfMessagesVisible" &&
          a.Threshold === 1 &&
          ((a.Dimensions as { Value: unknown }[] | undefined) ?? []).some((d) => refId(d.Value) === queueId),
      ),
    ).toHaveLength(1);
  });

  it("raises an alarm on its errors (Lambda's account-wide Errors, which count every function)", () => {
    const alarms = Object.values(s.ofType("AWS::CloudWatch::Alarm")).map((a) => a.Properties!);
    expect(fnId).toBeDefined();
    const errors = alarms.filter(
      (a) =>
        a.Namespace === "AWS/Lambda" &&
        a.MetricName === "Errors" &&
        ((a.Dimensions as unknown[] | undefined) ?? []).length === 0,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ Threshold: 1, ComparisonOperator: "GreaterThanOrEqualToThreshold" });
  });
});

describe("cdk-nag", () => {
  it("finds nothing unacknowledged in the stateless stack with inbound mail", () => {
    const violations = new AwsSolutionsChecks().validateScope(s.stacks.stateless).violations;
    expect(violations.map((v) => v.ruleName)).toEqual([]);
  });
});
