import { RemovalPolicy, Stack } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import { Construct } from "constructs";
import { acknowledgeWildcards } from "../acknowledge.ts";
import { DeadLetterQueue } from "./dead-letter-queue.ts";
import type { OperatorAlarms } from "./operator-alarms.ts";

export interface ReminderSchedulesProps {
  namePrefix: string;
  bus: events.IEventBus;
  alarms: OperatorAlarms;
}

/**
 * EventBridge Scheduler's side of reminders: a schedule group for the one-time schedules,
 * the execution role they run as (it may put events on Convene's bus and, when that keeps
 * failing, leave them in the schedules' dead-letter queue: nothing else), that queue, and an
 * alarm when Scheduler gives up on any schedule of the group. Each schedule's retry policy
 * and dead-letter queue are set when it is created (shared/adapters/aws/eventbridge-scheduler.ts).
 */
export class ReminderSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  /** The group's name, known at synthesis (for ARNs and the functions' environment). */
  readonly groupName: string;
  readonly role: iam.Role;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ReminderSchedulesProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    this.groupName = `${props.namePrefix}-reminders`;
    this.group = new scheduler.ScheduleGroup(this, "Group", {
      scheduleGroupName: this.groupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.deadLetters = new DeadLetterQueue(this, "DeadLetters", {
      queueName: `${props.namePrefix}-schedules-dlq`,
      what: "ReminderSchedules",
      alarms: props.alarms,
    });
    this.role = new iam.Role(this, "Role", {
      description: "Run as by reminder schedules: may only put their event on the Convene bus",
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: {
            "aws:SourceArn": `arn:${partition}:scheduler:${region}:${account}:schedule-group/${this.groupName}`,
          },
        },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["events:PutEvents"], resources: [props.bus.eventBusArn] }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.deadLetters.queue.queueArn] }),
    );
    props.alarms.onSchedulesDropped(this.group, "ReminderSchedules");
  }

  /** Lets a function create schedules in the group and hand them this role, and only this role. */
  grantCreateSchedules(grantee: iam.Role): void {
    const { account, region, partition } = Stack.of(this);
    const schedules = `arn:${partition}:scheduler:${region}:${account}:schedule/${this.groupName}/*`;
    grantee.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["scheduler:CreateSchedule"], resources: [schedules] }),
    );
    grantee.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["iam:PassRole"],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
      }),
    );
    acknowledgeWildcards(
      grantee,
      [schedules],
      "Reminder schedules get deterministic names made at run time (rem-<instant>-<digest>), so CreateSchedule is allowed on every schedule of the reminders group, and in no other group.",
    );
  }
}
