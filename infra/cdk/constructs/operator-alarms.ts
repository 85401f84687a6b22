import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
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
 * An asynchronous event that waited this long in Lambda's queue is late: longer than Lambda's
 * own retry waits (about 1, then 2 minutes) and the longest run of a function (75 s), so it
 * waited for concurrency (a throttle, a backlog), not for a retry.
 */
export const asyncEventLateAfter = Duration.minutes(10);

/**
 * Every place an event can be lost or a member let down raises an alarm on one SNS topic:
 * a message in any dead-letter queue, any function's errors or throttles, an asynchronous
 * event that waited too long or was dropped, a queued message that waited too long, the outbox pipe's failures, Scheduler giving up
 * on a schedule, and SES's bounce and complaint rates nearing the levels at which AWS reviews
 * or pauses sending. docs/failure-windows.md maps each failure window to its alarm.
 *
 * An alarm costs the same whatever it watches, so each watches as much as one signal can:
 * the functions' alarms read Lambda's account-wide metrics (no FunctionName dimension, so
 * every function, new ones included; the console's per-function graphs say which), and the
 * routes share one dead-letter queue whose messages name their rule or function.
 */
export class OperatorAlarms extends Construct {
  readonly topic: sns.Topic;
  /**
   * The key the alarm topic is encrypted under; the SMS delivery events' topic and the inbound
   * texts' topic share it, as a key costs $1 a month and all are published by AWS services
   * (see Messaging and InboundSms).
   */
  readonly key: kms.Key;
  private readonly action: SnsAction;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    this.prefix = props.namePrefix;
    // Alarm texts name resources only, but the topic is encrypted all the same; CloudWatch
    // cannot publish to a topic under the AWS-managed SNS key, hence a key of our own.
    const key = new kms.Key(this, "Key", {
      description: `Encrypts ${props.namePrefix} alarm notifications, SMS delivery events and inbound texts`,
      enableKeyRotation: true,
    });
    this.key = key;
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

  /**
   * A queue whose oldest message has waited `after`: its consumer has fallen behind (a peak
   * larger than its pace drains in that time) or stopped (its event source mapping disabled,
   * its function failing on every message). A single event that keeps failing may raise it
   * too (its age counts from when it was first queued), well before it reaches its dead-letter
   * queue and that queue's alarm.
   */
  onQueueLate(queue: sqs.IQueue, what: string, after: Duration): cloudwatch.Alarm {
    return this.alarm(`${what}Late`, {
      alarmDescription: `${what}: a message has waited over ${after.toMinutes()} minutes; its consumer is behind or stopped (see ApproximateAgeOfOldestMessage)`,
      metric: queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: "Maximum",
      }),
      threshold: after.toSeconds(),
    });
  }

  /**
   * Every function of the account and region, from four of Lambda's account-wide metrics:
   * an error (retried, then dead-lettered, but each one is worth a look; the API and the
   * pipe's relay have no dead-letter queue of their own), a throttle (reserved concurrency or
   * the account limit), an asynchronous event that waited in Lambda's queue past
   * `asyncEventLateAfter`, and one Lambda dropped (after its retries or its maximum age; it is
   * in the route's dead-letter queue if that could be written). Other stages or applications
   * in the same account and region count too: the metric's per-function graphs say which.
   */
  onFunctions(): void {
    const everyFunction = (metricName: string, statistic: string) =>
      lambda.Function.metricAll(metricName, { period: Duration.minutes(5), statistic });
    this.alarm("FunctionErrors", {
      alarmDescription:
        "A Lambda function failed (any function of the account and region); see Errors by function",
      metric: everyFunction("Errors", "Sum"),
      threshold: 1,
    });
    this.alarm("FunctionThrottles", {
      alarmDescription:
        "Lambda throttled an invocation (reserved concurrency or the account limit); see Throttles by function",
      metric: everyFunction("Throttles", "Sum"),
      threshold: 1,
    });
    this.alarm("AsyncEventsLate", {
      alarmDescription: `An event waited over ${asyncEventLateAfter.toMinutes()} minutes in Lambda's queue before its function ran; see AsyncEventAge by function`,
      metric: everyFunction("AsyncEventAge", "Maximum"),
      threshold: asyncEventLateAfter.toMilliseconds(),
    });
    this.alarm("AsyncEventsDropped", {
      alarmDescription:
        "Lambda dropped an asynchronous event (retries or maximum age spent); look in the dead-letter queue",
      metric: everyFunction("AsyncEventsDropped", "Sum"),
      threshold: 1,
    });
  }

  /**
   * A pipe's executions failing (its enrichment or target) or partly failing (the bus refused
   * some entries of a PutEvents). Both are retried, and a batch reaches the dead-letter queue
   * only after many attempts or hours, while a pipe that keeps meeting 4xx errors may be
   * disabled by AWS without dead-lettering anything: so the first failure is worth a look.
   * Once raised, the alarms stay raised until the pipe runs an execution without failing (a
   * data point of 0): a pipe disabled after its failures sends no data, and missing data
   * leaves the alarm as it is instead of calling the pipe well.
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
      alarmDescription: `${what}: a batch failed (relay or bus); it is retried, then dead-lettered. Raised until a batch goes through: check that the pipe is RUNNING`,
      metric: failures("ExecutionFailed"),
      threshold: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    this.alarm(`${what}ExecutionPartiallyFailed`, {
      alarmDescription: `${what}: the bus refused part of a batch; the rest is retried, then dead-lettered. Raised until a batch goes through`,
      metric: failures("ExecutionPartiallyFailed"),
      threshold: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
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

  /** An alarm on its first breaching data point; no data is well unless `treatMissingData` says otherwise. */
  private alarm(
    id: string,
    props: {
      alarmDescription: string;
      metric: cloudwatch.IMetric;
      threshold: number;
      treatMissingData?: cloudwatch.TreatMissingData;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${this.prefix}-${id}`,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
