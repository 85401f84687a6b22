import { describe, expect, it } from "vitest";
import { outboxFilter } from "#infra/cdk/constructs/outbox-pipe.ts";
import { refId, statementsOfRole, synth } from "./synth.ts";

const s = synth();
const only = (type: string) => {
  const all = Object.entries(s.ofType(type));
  expect(all, type).toHaveLength(1);
  return { id: all[0]![0], props: all[0]![1].Properties! };
};
const roleTrusting = (service: string) =>
  Object.entries(s.ofType("AWS::IAM::Role")).find(([, r]) =>
    JSON.stringify(r.Properties!.AssumeRolePolicyDocument).includes(service),
  )![0];

describe("the event bus", () => {
  it("is Convene's own, archived for replay", () => {
    const bus = only("AWS::Events::EventBus");
    expect(bus.props.Name).toBe("convene-dev");
    const archive = only("AWS::Events::Archive");
    expect(refId(archive.props.SourceArn)).toBe(bus.id);
    expect(archive.props.RetentionDays).toBe(30);
  });
});

describe("the outbox pipe", () => {
  const pipe = only("AWS::Pipes::Pipe");

  it("reads the table's stream, keeping only inserted outbox records", () => {
    expect(JSON.stringify(pipe.props.Source)).toContain("StreamArn");
    const params = pipe.props.SourceParameters as {
      FilterCriteria: { Filters: { Pattern: string }[] };
      DynamoDBStreamParameters: Record<string, unknown>;
    };
    expect(params.FilterCriteria.Filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([
      outboxFilter,
    ]);
    expect(outboxFilter).toEqual({
      eventName: ["INSERT"],
      dynamodb: { NewImage: { kind: { S: ["outbox"] } } },
    });
    expect(params.DynamoDBStreamParameters).toMatchObject({
      StartingPosition: "TRIM_HORIZON",
      BatchSize: 10,
      OnPartialBatchItemFailure: "AUTOMATIC_BISECT",
    });
  });

  it("has the outbox relay turn records into envelopes, and puts them on the bus typed by their type", () => {
    const relay = Object.entries(s.ofType("AWS::Lambda::Function")).find(
      ([, f]) => f.Properties!.FunctionName === "convene-dev-outbox-relay",
    )![0];
    expect(refId(pipe.props.Enrichment)).toBe(relay);
    expect(refId(pipe.props.Target)).toBe(only("AWS::Events::EventBus").id);
    expect(pipe.props.TargetParameters).toEqual({
      EventBridgeEventBusParameters: { Source: "convene", DetailType: "$.type" },
    });
  });

  it("sends batches that keep failing to its dead-letter queue", () => {
    const dlq = (
      pipe.props.SourceParameters as { DynamoDBStreamParameters: { DeadLetterConfig: { Arn: unknown } } }
    ).DynamoDBStreamParameters.DeadLetterConfig.Arn;
    expect(s.ofType("AWS::SQS::Queue")[refId(dlq)!]?.Properties?.QueueName).toBe(
      "convene-dev-outbox-pipe-dlq",
    );
  });

  it("runs as a role that may read the stream, invoke the relay, put on the bus and dead-letter, nothing else", () => {
    const actions = statementsOfRole(s, roleTrusting("pipes.amazonaws.com")).flatMap((st) => st.Action);
    expect(new Set(actions)).toEqual(
      new Set([
        "dynamodb:ListStreams",
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "lambda:InvokeFunction",
        "events:PutEvents",
        "sqs:SendMessage",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]),
    );
  });
});

describe("the scheduler", () => {
  it("has a group for reminder schedules", () => {
    expect(only("AWS::Scheduler::ScheduleGroup").props.Name).toBe("convene-dev-reminders");
  });

  it("has an execution role that may only put events on the bus (and dead-letter what it cannot)", () => {
    const roleId = roleTrusting("scheduler.amazonaws.com");
    const role = s.ofType("AWS::IAM::Role")[roleId]!.Properties!;
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain("schedule-group/convene-dev-reminders");
    const statements = statementsOfRole(s, roleId);
    expect(statements.map((st) => st.Action)).toEqual([["events:PutEvents"], ["sqs:SendMessage"]]);
    expect(refId(statements[0]!.Resource)).toBe(only("AWS::Events::EventBus").id);
    expect(s.ofType("AWS::SQS::Queue")[refId(statements[1]!.Resource)!]?.Properties?.QueueName).toBe(
      "convene-dev-schedules-dlq",
    );
  });

  it("is named to the planner with its group, role, bus and dead-letter queue", () => {
    const planner = Object.values(s.ofType("AWS::Lambda::Function")).find(
      (f) => f.Properties!.FunctionName === "convene-dev-plan-session-reminders",
    )!;
    const env = (planner.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.SCHEDULE_GROUP).toBe("convene-dev-reminders");
    expect(refId(env.SCHEDULER_ROLE_ARN)).toBe(roleTrusting("scheduler.amazonaws.com"));
    expect(refId(env.EVENT_BUS_ARN)).toBe(only("AWS::Events::EventBus").id);
  });
});
