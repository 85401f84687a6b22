import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as pipes from "aws-cdk-lib/aws-pipes";
import { Construct } from "constructs";
import { eventSource } from "#events/envelope.ts";
import { itemKind } from "#adapters/aws/dynamodb/keys.ts";
import { acknowledgeWildcards } from "../acknowledge.ts";
import { DeadLetterQueue } from "./dead-letter-queue.ts";
import type { OperatorAlarms } from "./operator-alarms.ts";

export interface OutboxPipeProps {
  namePrefix: string;
  table: dynamodb.ITable;
  bus: events.IEventBus;
  /** The outbox relay: the pipe's enrichment (functions/outbox-relay). */
  relay: lambda.IFunction;
  logRetentionDays: number;
  alarms: OperatorAlarms;
}

/** Only inserted outbox records travel: other items and later changes stay in the table. */
export const outboxFilter = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { kind: { S: [itemKind.outbox] } } },
};

/**
 * Stream records older than this are dead-lettered rather than retried further: DynamoDB
 * trims a stream's records after 24 hours, and a record trimmed while its batch was still
 * failing would be gone without a trace. An hour's margin; the outbox record itself stays in
 * the table for a week, to be put on the bus by hand (docs/failure-windows.md).
 */
export const outboxRecordMaxAge = Duration.hours(23);

/**
 * The transactional outbox's relay, on AWS: EventBridge Pipes reads the table's stream, keeps
 * the inserted outbox records, has the relay function turn each into the envelope it carries
 * (the record stores it as a JSON string; see docs/deploy.md for why an input template cannot
 * do this), and puts the envelopes on the bus with their type as detail-type. Failed batches
 * are halved and retried; what keeps failing, or grows too old, goes to the pipe's
 * dead-letter queue. Failures raise an alarm from the first one.
 */
export class OutboxPipe extends Construct {
  readonly pipe: pipes.CfnPipe;
  readonly role: iam.Role;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: OutboxPipeProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const pipeName = `${props.namePrefix}-outbox`;
    this.deadLetters = new DeadLetterQueue(this, "DeadLetters", {
      queueName: `${props.namePrefix}-outbox-pipe-dlq`,
      what: "OutboxPipe",
      alarms: props.alarms,
    });
    const logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: `/aws/vendedlogs/pipes/${pipeName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "Role", {
      description:
        "Run as by the outbox pipe: reads the table stream, invokes the relay, puts events on the bus",
      assumedBy: new iam.ServicePrincipal("pipes.amazonaws.com", {
        conditions: {
          StringEquals: {
            "aws:SourceAccount": account,
            "aws:SourceArn": `arn:${partition}:pipes:${region}:${account}:pipe/${pipeName}`,
          },
        },
      }),
    });
    props.table.grantStreamRead(this.role);
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [props.relay.functionArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["events:PutEvents"], resources: [props.bus.eventBusArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.deadLetters.queue.queueArn] }),
    );
    logGroup.grantWrite(this.role);

    this.pipe = new pipes.CfnPipe(this, "Pipe", {
      name: pipeName,
      description: "Table stream (outbox records) to the Convene bus",
      roleArn: this.role.roleArn,
      source: props.table.tableStreamArn!,
      sourceParameters: {
        dynamoDbStreamParameters: {
          // From the oldest record kept (24 hours), so nothing written before the pipe ran is skipped.
          startingPosition: "TRIM_HORIZON",
          batchSize: 10, // the most an event-bus target takes in one PutEvents
          maximumRetryAttempts: 100,
          maximumRecordAgeInSeconds: outboxRecordMaxAge.toSeconds(),
          onPartialBatchItemFailure: "AUTOMATIC_BISECT",
          deadLetterConfig: { arn: this.deadLetters.queue.queueArn },
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(outboxFilter) }] },
      },
      enrichment: props.relay.functionArn,
      target: props.bus.eventBusArn,
      targetParameters: {
        // The detail-type is read from each envelope the relay returned.
        eventBridgeEventBusParameters: { source: eventSource, detailType: "$.type" },
      },
      logConfiguration: {
        level: "ERROR",
        cloudwatchLogsLogDestination: { logGroupArn: logGroup.logGroupArn },
      },
    });
    this.pipe.node.addDependency(this.role);
    props.alarms.onPipeFailures(pipeName, "OutboxPipe");

    acknowledgeWildcards(
      this.role,
      ["*"],
      "dynamodb:ListStreams (granted with the stream read) cannot be scoped to a resource; every other action of the pipe names its one resource.",
    );
  }
}
