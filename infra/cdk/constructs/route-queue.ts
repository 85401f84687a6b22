import { Duration } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** The variable that paces a function's mailer (shared/delivery/paced-mailer.ts), emails a second. */
export const sendRateVariable = "CONVENE_SEND_RATE";

/**
 * The share of SES's account rate the queued senders drain at together. The rest is headroom
 * for the other functions' sends (ballots, confirmations, results), which are not queued: a
 * throttle they still meet is retried with backoff (paced-mailer.ts), their claims held.
 */
export const queuedSendShare = 0.8;

/**
 * Times a message is received before it goes to the dead-letter queue: with the visibility
 * timeout (six times the function's), ten receives wait out SES's throttling for over an hour
 * (SES advises waiting up to 10 minutes) before an operator is needed.
 */
export const queueMaxReceiveCount = 10;

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
  /** Where a message goes after its last receive: the route's dead-letter queue. */
  deadLetters: sqs.IQueue;
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
 * route's dead-letter queue, from which SQS's own redrive moves it back.
 */
export class RouteQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: RouteQueueProps) {
    super(scope, id);
    const timeout = props.fn.timeout ?? Duration.seconds(3);
    this.queue = new sqs.Queue(this, "Queue", {
      queueName: `${props.namePrefix}-${props.target}-queue`,
      visibilityTimeout: queueVisibilityTimeout(timeout),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: props.deadLetters, maxReceiveCount: queueMaxReceiveCount },
    });
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
