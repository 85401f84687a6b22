import { Duration, Lazy, Validations } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
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
 * allows), encrypted, TLS only, and watched by an alarm from its first message. One queue may
 * serve many EventBridge rules: each message says which (EventBridge's RULE_ARN and TARGET_ARN
 * attributes, or the function in Lambda's failure record), and one alarm watches them all.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  /** The rules whose targets may write here (their ARNs). */
  private readonly rules: string[] = [];
  /** The queue as rule targets are given it: a reference that adds no statement of its own. */
  private asRuleDeadLetters?: sqs.IQueue;

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
        "This queue is itself a dead-letter queue (of EventBridge targets, Lambda asynchronous invocation, a pipe or Scheduler); cdk-nag recognises only SQS redrive policies as DLQ use.",
    });
  }

  /**
   * This queue as the dead-letter queue of `rule`'s targets. EventBridge may write here for
   * the rules named so and no other, through one statement that lists them all: a target given
   * the queue itself would add a statement per rule, and an SQS queue policy holds at most 20.
   */
  forRule(rule: events.IRule): sqs.IQueue {
    this.rules.push(rule.ruleArn);
    if (!this.asRuleDeadLetters) {
      this.queue.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: "AllowEventBridgeRulesToDeadLetter",
          principals: [new iam.ServicePrincipal("events.amazonaws.com")],
          actions: ["sqs:SendMessage"],
          resources: [this.queue.queueArn],
          conditions: { ArnEquals: { "aws:SourceArn": Lazy.list({ produce: () => this.rules }) } },
        }),
      );
      this.asRuleDeadLetters = sqs.Queue.fromQueueAttributes(this, "AsRuleDeadLetters", {
        queueArn: this.queue.queueArn,
        queueUrl: this.queue.queueUrl,
        queueName: this.queue.queueName,
      });
    }
    return this.asRuleDeadLetters;
  }
}
