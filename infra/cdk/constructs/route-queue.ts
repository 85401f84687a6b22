import { ArnFormat, Duration, Stack } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { DeadLetterQueue } from "./dead-letter-queue.ts";
import type { OperatorAlarms } from "./operator-alarms.ts";

/** The variable that paces a function's mailer (shared/delivery/paced-mailer.ts), emails a second. */
export const sendRateVariable = "CONVENE_SEND_RATE";

/**
 * The share of SES's account rate the queued senders drain at together. The rest is headroom
 * for the other functions' sends (ballots, confirmations, results), which are not queued: a
 * throttle they still meet is retried with backoff (paced-mailer.ts), their claims held.
 */
export const queuedSendShare = 0.8;

/** How long SES advises a sender it throttled to keep retrying, with backoff. */
export const sesThrottleAdvisedWait = Duration.minutes(10);

/**
 * Times a message is received before it goes to its dead-letter queue. Within a receive, the
 * mailer waits out a throttle for about 10 s per email (paced-mailer.ts), its claim held; an
 * email still refused fails the invocation, and the event comes back a visibility timeout
 * (450 s) after its receive, sending only what is unsent. Ten receives span over an hour,
 * SES's advised wait six times over, before an operator is needed (the daily quota is not
 * waited out: past it, the events wait in the dead-letter queue for a redrive). Ten is also
 * above the five AWS advises at the least for a queue a function polls, so receives spent on
 * invocations Lambda throttled (the function never ran) do not use the count up.
 */
export const queueMaxReceiveCount = 10;

/**
 * A queued event whose wait passes this is late, and the queue's alarm says so: the same bar
 * as an asynchronous event's in Lambda's queue (operator-alarms.ts). At the default 14 emails a
 * second it is 6,720 reminders (the queue drains 80 % of the rate): an umbrella whose peak
 * hour takes longer than that needs a higher SES rate, and a queue nobody drains (its mapping
 * disabled) is found within the quarter hour. docs/deploy.md, "Operating it", says why not the
 * one minute that the scale model reports delays against.
 */
export const queuedEventLateAfter = Duration.minutes(10);

/** Lambda's advice for a queue a function polls: a visibility timeout of six times the function's timeout. */
export const queueVisibilityTimeout = (functionTimeout: Duration) =>
  Duration.seconds(6 * functionTimeout.toSeconds());

/** The event source mapping's smallest maximum concurrency. */
const minimumConcurrency = 2;

/** The queued sender's instances at once: the configured sender concurrency, at least two. */
export const queueMaximumConcurrency = (senderConcurrency: number) =>
  Math.max(minimumConcurrency, senderConcurrency);

/** Emails a second each instance of a queued sender sends, so that together they keep to the share. */
export const queuedSendRate = (sesMaxSendRate: number, senderConcurrency: number) =>
  Number(((sesMaxSendRate * queuedSendShare) / queueMaximumConcurrency(senderConcurrency)).toFixed(3));

export interface RouteQueueProps {
  namePrefix: string;
  /** The route's target, which names the queue. */
  target: string;
  fn: lambda.Function;
  /** Watches the queue's age and its dead-letter queue's depth. */
  alarms: OperatorAlarms;
  /** Instances of the function the queue may keep busy at once. */
  maximumConcurrency: number;
}

/**
 * A route whose events wait in an SQS queue that its function polls, instead of being handed
 * to the function asynchronously: the function runs at most `maximumConcurrency` instances, so
 * (with its mailer paced to its share) a peak of reminders drains at SES's rate instead of
 * meeting throttles, and an event waits its turn in the queue (kept four days; the peak drains
 * in hours at most) instead of in Lambda's asynchronous queue (six hours, throttled retries
 * backing off to five minutes, and events it may drop when the queue is long). One event per
 * batch, as the sending lease counts on: an invocation sends one fan-out. A failed event is
 * received again after the visibility timeout, which outlasts the sending lease, so its retry
 * finds a dead sender's claims expired; after `queueMaxReceiveCount` receives it goes to the
 * queue's own dead-letter queue, which holds nothing else: the event itself, as sent, which the
 * console's "Start DLQ redrive" (or `start-message-move-task`) moves back to the queue. An alarm
 * watches that queue from its first message, and another the queue's oldest message.
 */
export class RouteQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: RouteQueueProps) {
    super(scope, id);
    const timeout = props.fn.timeout ?? Duration.seconds(3);
    const queueName = `${props.namePrefix}-${props.target}-queue`;
    const what = `${props.target.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase())}Queue`;
    this.deadLetters = new DeadLetterQueue(this, "DeadLetters", {
      queueName: `${props.namePrefix}-${props.target}-dlq`,
      what,
      alarms: props.alarms,
    });
    // Only this queue may dead-letter there, so a redrive has one place to send back to. Its ARN
    // is spelled out: a reference would make each queue depend on the other.
    (this.deadLetters.queue.node.defaultChild as sqs.CfnQueue).redriveAllowPolicy = {
      redrivePermission: sqs.RedrivePermission.BY_QUEUE,
      sourceQueueArns: [
        Stack.of(this).formatArn({
          service: "sqs",
          resource: queueName,
          arnFormat: ArnFormat.NO_RESOURCE_NAME,
        }),
      ],
    };
    this.queue = new sqs.Queue(this, "Queue", {
      queueName,
      visibilityTimeout: queueVisibilityTimeout(timeout),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetters.queue, maxReceiveCount: queueMaxReceiveCount },
    });
    props.alarms.onQueueLate(this.queue, what, queuedEventLateAfter);
    props.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        maxConcurrency: props.maximumConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }

  /** The rule's target: EventBridge sends each event to the queue, with the route's retries and dead-letter queue. */
  ruleTarget(deadLetters: sqs.IQueue): events.IRuleTarget {
    return new targets.SqsQueue(this.queue, {
      deadLetterQueue: deadLetters,
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    });
  }
}
