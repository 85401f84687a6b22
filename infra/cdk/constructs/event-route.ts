import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { Construct } from "constructs";
import type { Route } from "#functions/routing.ts";
import type { DeadLetterQueue } from "./dead-letter-queue.ts";
import type { OperatorAlarms } from "./operator-alarms.ts";
import { RouteQueue } from "./route-queue.ts";

export interface EventRouteProps {
  namePrefix: string;
  route: Route;
  bus: events.IEventBus;
  fn: lambda.IFunction;
  /** Where what the route could not deliver or handle goes: one queue shared by the routes. */
  deadLetters: DeadLetterQueue;
  /**
   * Given, the events wait in a queue the function polls at most this many instances at once
   * (route-queue.ts), instead of being handed to it asynchronously; `alarms` watch the queue.
   */
  queued?: { maximumConcurrency: number; alarms: OperatorAlarms };
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
 * a rule with the entry's pattern on Convene's bus, targeting the entry's function, with a
 * dead-letter queue for both ways an event can be lost there: EventBridge failing to hand it
 * to Lambda (retried for 24 hours; the message is the event, its RULE_ARN attribute names the
 * rule), and the function failing on it (Lambda's asynchronous retries, then the failure
 * record, with the error and the function's ARN, goes to the same queue). The routes share
 * that queue, and its one alarm. A queued route's rule sends to its queue instead (what
 * EventBridge cannot send there still goes to the routes' queue); the event queue's redrive
 * policy moves an event it received too often to a dead-letter queue of its own, from which
 * SQS's redrive moves it back.
 */
export class EventRoute extends Construct {
  readonly rule: events.Rule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventRouteProps) {
    super(scope, id);
    const { target } = props.route;
    this.deadLetters = props.deadLetters;
    this.rule = new events.Rule(this, "Rule", {
      ruleName: `${props.namePrefix}-${target}`,
      description: props.description ?? `Routing table entry: ${target}`,
      eventBus: props.bus,
      eventPattern: toCdkEventPattern(props.route.pattern),
    });
    if (props.queued) {
      if (!(props.fn instanceof lambda.Function))
        throw new Error(
          `${target} is queued, so its function must be one defined here (its timeout sizes the queue)`,
        );
      const queue = new RouteQueue(this, "Queue", {
        namePrefix: props.namePrefix,
        target,
        fn: props.fn,
        alarms: props.queued.alarms,
        maximumConcurrency: props.queued.maximumConcurrency,
      });
      this.rule.addTarget(queue.ruleTarget(this.deadLetters.forRule(this.rule)));
      return;
    }
    this.rule.addTarget(
      new targets.LambdaFunction(props.fn, {
        deadLetterQueue: this.deadLetters.forRule(this.rule),
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
