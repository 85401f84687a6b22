import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface OperatorAlarmsProps {
  namePrefix: string;
  /** Subscribed to the topic by email when given. */
  email?: string;
}

/**
 * Every place an event can be lost or a member let down raises an alarm on one SNS topic:
 * a message in any dead-letter queue, a function's errors or throttles, the outbox pipe's
 * failures, Scheduler giving up on a schedule, and SES's bounce and complaint rates nearing
 * the levels at which AWS reviews or pauses sending. docs/failure-windows.md maps each
 * failure window to its alarm.
 */
export class OperatorAlarms extends Construct {
  readonly topic: sns.Topic;
  private readonly action: SnsAction;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    this.prefix = props.namePrefix;
    // Alarm texts name resources only, but the topic is encrypted all the same; CloudWatch
    // cannot publish to a topic under the AWS-managed SNS key, hence a key of our own.
    const key = new kms.Key(this, "Key", {
      description: `Encrypts ${props.namePrefix} alarm notifications`,
      enableKeyRotation: true,
    });
    key.grant(new iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    this.topic = new sns.Topic(this, "Topic", {
      topicName: `${props.namePrefix}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** Any message in a dead-letter queue is an event that did not get where it was going. */
  onDeadLetters(queue: sqs.IQueue, what: string): cloudwatch.Alarm {
    return this.alarm(`${what}DeadLetters`, {
      alarmDescription: `${what}: a message is waiting in its dead-letter queue; inspect and redrive it`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: "Maximum",
      }),
      threshold: 1,
    });
  }

  /** Errors are retried and then dead-lettered, but each one is worth a look; throttles too. */
  onFunctionHealth(fn: lambda.IFunction, what: string): void {
    this.alarm(`${what}Errors`, {
      alarmDescription: `${what}: the function failed; it is retried, then dead-lettered`,
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
      threshold: 1,
    });
    this.alarm(`${what}Throttles`, {
      alarmDescription: `${what}: invocations were throttled (reserved concurrency or the account limit)`,
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: "Sum" }),
      threshold: 1,
    });
  }

  /**
   * A pipe's executions failing (its enrichment or target) or partly failing (the bus refused
   * some entries of a PutEvents). Both are retried, and a batch reaches the dead-letter queue
   * only after many attempts or hours, while a pipe that keeps meeting 4xx errors may be
   * disabled by AWS without dead-lettering anything: so the first failure is worth a look.
   */
  onPipeFailures(pipeName: string, what: string): void {
    const failures = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: "AWS/EventBridge/Pipes",
        metricName,
        dimensionsMap: { PipeName: pipeName },
        statistic: "Sum",
        period: Duration.minutes(5),
      });
    this.alarm(`${what}ExecutionFailed`, {
      alarmDescription: `${what}: a batch failed (relay or bus); it is retried, then dead-lettered`,
      metric: failures("ExecutionFailed"),
      threshold: 1,
    });
    this.alarm(`${what}ExecutionPartiallyFailed`, {
      alarmDescription: `${what}: the bus refused part of a batch; the rest is retried, then dead-lettered`,
      metric: failures("ExecutionPartiallyFailed"),
      threshold: 1,
    });
  }

  /**
   * Scheduler stopped trying to put a schedule's event on the bus (its retry policy ran out):
   * the event is in the schedules' dead-letter queue if the schedule named one and Scheduler
   * could write there, and lost otherwise. Schedules are created at run time, out of the
   * template's sight, so this is watched on the whole group.
   */
  onSchedulesDropped(group: scheduler.IScheduleGroup, what: string): void {
    this.alarm(`${what}Dropped`, {
      alarmDescription: `${what}: Scheduler gave up on a schedule's event; look in its dead-letter queue`,
      metric: group.metricDropped({ period: Duration.minutes(5), statistic: "Sum" }),
      threshold: 1,
    });
  }

  /**
   * SES reviews an account whose bounce rate reaches 5% and whose complaint rate reaches
   * 0.1% (and may pause sending at 10% and 0.5%); these alarms fire at half those review
   * levels, while there is still time to act.
   */
  onSesReputation(): void {
    const rate = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: "AWS/SES",
        metricName,
        statistic: "Maximum",
        period: Duration.hours(1),
      });
    this.alarm("SesBounceRate", {
      alarmDescription: "SES bounce rate reached 2.5% (SES reviews the account at 5%)",
      metric: rate("Reputation.BounceRate"),
      threshold: 0.025,
    });
    this.alarm("SesComplaintRate", {
      alarmDescription: "SES complaint rate reached 0.05% (SES reviews the account at 0.1%)",
      metric: rate("Reputation.ComplaintRate"),
      threshold: 0.0005,
    });
  }

  private alarm(
    id: string,
    props: { alarmDescription: string; metric: cloudwatch.IMetric; threshold: number },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${this.prefix}-${id}`,
      ...props,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
