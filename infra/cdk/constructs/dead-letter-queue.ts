import { Duration, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { OperatorAlarms } from "./operator-alarms.ts";

export interface DeadLetterQueueProps {
  queueName: string;
  /** What fails into this queue, for the alarm's name and text. */
  what: string;
  alarms: OperatorAlarms;
}

/**
 * Where an event goes when it could not be delivered or handled: kept 14 days (the most SQS
 * allows), encrypted, TLS only, and watched by an alarm from its first message.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, "Queue", {
      queueName: props.queueName,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    props.alarms.onDeadLetters(this.queue, props.what);
    Validations.of(this.queue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself a dead-letter queue (of an EventBridge target, Lambda asynchronous invocation, a pipe or Scheduler); cdk-nag recognises only SQS redrive policies as DLQ use.",
    });
  }
}
