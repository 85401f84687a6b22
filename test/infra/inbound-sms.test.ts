import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { tableAccess } from "#infra/cdk/table-access.ts";
import { refId, statementsOfRole, synth } from "./synth.ts";

// Receiving members' texts on AWS: the two-way SMS topic End User Messaging SMS publishes to,
// its key and policy, the receive-sms function's subscription, its dead letters and alarms,
// and what the function may (and may not) do.

const s = synth();
const only = <T>(record: Record<string, T>): [string, T] => {
  const entries = Object.entries(record);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};
/** Resources of the InboundSms construct only (messaging and the alarms have topics and keys too). */
const inbound = (type: string) =>
  Object.fromEntries(Object.entries(s.ofType(type)).filter(([id]) => id.startsWith("InboundSms")));
const [topicId, topic] = only(inbound("AWS::SNS::Topic"));
const key = s.ofType("AWS::KMS::Key")[refId(topic.Properties!.KmsMasterKeyId)!]!;
const [fnId, fn] = Object.entries(s.ofType("AWS::Lambda::Function")).find(
  ([, f]) => f.Properties!.FunctionName === "convene-dev-receive-sms",
)!;
const [queueId] = Object.entries(s.ofType("AWS::SQS::Queue")).find(
  ([, q]) => q.Properties!.QueueName === "convene-dev-events-dlq",
)!;
type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal: unknown;
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
const statementsOf = (policy: unknown) => (policy as { Statement: Statement[] }).Statement;
const flat = (x: unknown) => JSON.stringify(x).replace(/\\"/g, '"');
const smsService = { Service: "sms-voice.amazonaws.com" };
/** The SMS service's condition: this account, and its SMS resources in this region. */
const expectBoundToOurNumbers = (condition: Statement["Condition"]) => {
  expect(condition!.StringEquals).toEqual({ "aws:SourceAccount": { Ref: "AWS::AccountId" } });
  const source = flat(condition!.ArnLike!["aws:SourceArn"]);
  expect(source).toContain(`:sms-voice:${s.stacks.stateless.region}:`);
  expect(source).toContain('{"Ref":"AWS::AccountId"}');
  expect(source).toMatch(/:\*"\]\]\}$/);
};

describe("the two-way SMS topic", () => {
  it("is a standard topic (two-way messaging takes no FIFO topic), encrypted under a rotated customer-managed key", () => {
    expect(topic.Properties).toMatchObject({ TopicName: "convene-dev-inbound-sms" });
    expect(topic.Properties!.FifoTopic).toBeUndefined();
    expect(key.Properties!.EnableKeyRotation).toBe(true);
    // No key of its own: a key costs a dollar a month, and the stack's budget is $3 (alarms.test.ts).
    expect(inbound("AWS::KMS::Key")).toEqual({});
  });

  it("lets the SMS service publish, for this account's numbers only, and refuses anything but TLS", () => {
    const [, policy] = only(inbound("AWS::SNS::TopicPolicy"));
    expect((policy.Properties!.Topics as unknown[]).map(refId)).toEqual([topicId]);
    const statements = statementsOf(policy.Properties!.PolicyDocument);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "sns:Publish",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
    const allows = statements.filter((st) => st.Effect === "Allow");
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: "sns:Publish", Principal: smsService });
    expect(refId(allows[0]!.Resource)).toBe(topicId);
    expectBoundToOurNumbers(allows[0]!.Condition);
  });

  it("lets the SMS service use its key to publish, for this account's numbers", () => {
    const statements = statementsOf(key.Properties!.KeyPolicy);
    const forSms = statements.filter((st) => st.Sid === "AllowSmsServiceToEncryptInboundTexts");
    expect(forSms).toHaveLength(1);
    expect(forSms[0]!.Principal).toEqual(smsService);
    expect([forSms[0]!.Action].flat().sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expectBoundToOurNumbers(forSms[0]!.Condition);
  });

  it("is named in a stack output, for the phone number's two-way settings", () => {
    const outputs = s.stateless.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(refId(outputs.InboundSmsTopicArn!.Value)).toBe(topicId);
  });
});

describe("the receive-sms function's subscription", () => {
  // CDK places a Lambda subscription under the function, so it is found by its topic.
  const [, subscription] = only(
    Object.fromEntries(
      Object.entries(s.ofType("AWS::SNS::Subscription")).filter(
        ([, x]) => refId(x.Properties!.TopicArn) === topicId,
      ),
    ),
  );

  it("delivers each text to the function, which only this topic may invoke through SNS", () => {
    expect(subscription.Properties).toMatchObject({ Protocol: "lambda" });
    expect(refId(subscription.Properties!.TopicArn)).toBe(topicId);
    expect(refId(subscription.Properties!.Endpoint)).toBe(fnId);
    const permissions = Object.values(s.ofType("AWS::Lambda::Permission")).filter(
      (p) => refId(p.Properties!.FunctionName) === fnId,
    );
    expect(permissions.map((p) => p.Properties!.Principal)).toEqual(["sns.amazonaws.com"]);
    expect(refId(permissions[0]!.Properties!.SourceArn)).toBe(topicId);
  });

  it("is retried twice by Lambda, then dead-lettered into the same alarmed queue", () => {
    const config = Object.values(s.ofType("AWS::Lambda::EventInvokeConfig")).find(
      (c) => refId(c.Properties!.FunctionName) === fnId,
    )!;
    expect(config.Properties!.MaximumRetryAttempts).toBe(2);
    const destination = (config.Properties!.DestinationConfig as { OnFailure: { Destination: unknown } })
      .OnFailure.Destination;
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

describe("what the receive-sms function may do", () => {
  const statements = statementsOfRole(s, refId(fn.Properties!.Role)!);
  const actions = statements.flatMap((st) => st.Action);

  it("has no wildcard action", () => {
    for (const action of actions) expect(action).not.toMatch(/\*/);
  });

  it("may read and write the table only as its store calls do: no scan, no batch read, no base-table query", () => {
    const onTable = statements.filter(
      (st) => st.Action.some((a) => a.startsWith("dynamodb:")) && !flat(st.Resource).includes("/index/"),
    );
    expect(onTable.flatMap((st) => st.Action).sort()).toEqual(
      [
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
      ].sort(),
    );
    expect(tableAccess["receive-sms"]!.actions).not.toContain("dynamodb:Query");
    // Members by phone number and their groups: a Query of GSI1, nothing else on an index.
    const onIndex = statements.filter((st) => flat(st.Resource).includes("/index/"));
    expect(onIndex).toHaveLength(1);
    expect(onIndex[0]!.Action).toEqual(["dynamodb:Query"]);
    expect(flat(onIndex[0]!.Resource)).toMatch(/\/index\/GSI1"/);
  });

  it("may answer by text, with Convene's configuration set and opt-out list, and send no email", () => {
    const sms = statements.filter((st) => st.Action.some((a) => a.startsWith("sms-voice:")));
    expect(sms).toHaveLength(1);
    expect(sms[0]!.Action).toEqual(["sms-voice:SendTextMessage"]);
    expect(flat(sms[0]!.Resource)).toContain(":configuration-set/convene-dev-sms");
    expect(flat(sms[0]!.Resource)).toContain(":opt-out-list/convene-dev-sms-opt-outs");
    expect(actions.filter((a) => a.startsWith("ses:"))).toEqual([]);
  });

  it("may write its failure records to the dead-letter queue, and do nothing else outside the table, SMS and its logs", () => {
    const others = actions.filter(
      (a) => !a.startsWith("dynamodb:") && !a.startsWith("sms-voice:") && !a.startsWith("logs:"),
    );
    expect(others.filter((a) => !a.startsWith("sqs:"))).toEqual([]);
    const sqs = statements.filter((st) => st.Action.some((a) => a.startsWith("sqs:")));
    expect(sqs.every((st) => refId(st.Resource) === queueId)).toBe(true);
    // Nothing that reads secrets, schedules, publishes or decrypts.
    for (const prefix of ["secretsmanager:", "scheduler:", "sns:", "kms:", "s3:", "events:"])
      expect(
        actions.filter((a) => a.startsWith(prefix)),
        prefix,
      ).toEqual([]);
  });
});

describe("cdk-nag", () => {
  it("finds nothing unacknowledged in the stateless stack with inbound texts", () => {
    const violations = new AwsSolutionsChecks().validateScope(s.stacks.stateless).violations;
    expect(violations.map((v) => v.ruleName)).toEqual([]);
  });
});
