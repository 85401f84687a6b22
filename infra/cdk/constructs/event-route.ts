import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { Construct } from "constructs";
import type { Route } from "#functions/routing.ts";
import { DeadLetterQueue } from "./dead-letter-queue.ts";
import type { OperatorAlarms } from "./operator-alarms.ts";

export interface EventRouteProps {
  namePrefix: string;
  route: Route;
  bus: events.IEventBus;
  fn: lambda.IFunction;
  alarms: OperatorAlarms;
  /** The rule's description; by default, that it is a routing-table entry. */
  description?: string;
}

/** The routing table writes patterns as EventBridge does; the CDK spells detail-type as detailType. */
export const toCdkEventPattern = (pattern: Route["pattern"]): events.EventPattern => {
  const { "detail-type": detailType, ...rest } = pattern as Record<string, unknown>;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as events.EventPattern;
};

/**
 * One entry of the routing table on AWS (or a route wired like one: SES's delivery problems):
 * a rule with the entry's pattern on Convene's bus, targeting the entry's function, with one
 * dead-letter queue for both ways an event can be lost there: EventBridge failing to hand it
 * to Lambda (retried for 24 hours), and the function failing on it (Lambda's asynchronous
 * retries, then the failure record, with the error, goes to the same queue).
 */
export class EventRoute extends Construct {
  readonly rule: events.Rule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventRouteProps) {
    super(scope, id);
    const { target } = props.route;
    this.deadLetters = new DeadLetterQueue(this, "DeadLetters", {
      queueName: `${props.namePrefix}-${target}-dlq`,
      what: `Route-${target}`,
      alarms: props.alarms,
    });
    this.rule = new events.Rule(this, "Rule", {
      ruleName: `${props.namePrefix}-${target}`,
      description: props.description ?? `Routing table entry: ${target}`,
      eventBus: props.bus,
      eventPattern: toCdkEventPattern(props.route.pattern),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.fn, {
        deadLetterQueue: this.deadLetters.queue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
    props.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetters.queue),
    });
  }
}
