import { Duration, Stack, TimeZone } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { RecurringJob } from "#functions/recurring-jobs.ts";
import { acknowledgeWildcards } from "../acknowledge.ts";

export interface RecurringJobSchedulesProps {
  namePrefix: string;
  jobs: readonly RecurringJob[];
  /** The function of each job's target. */
  functionOf(target: RecurringJob["target"]): lambda.IFunction;
  /** The group the schedules sit in: its alarm on dropped events covers them. */
  group: scheduler.IScheduleGroup;
  /** Where Scheduler leaves an invocation it gave up on. */
  deadLetters: sqs.IQueue;
}

/**
 * One EventBridge Scheduler schedule per recurring job (functions/recurring-jobs.ts): a cron
 * expression in UTC that invokes the job's function with `{"job": <name>}`. Scheduler retries
 * an invocation Lambda refused for up to a day, then leaves it in the dead-letter queue; once
 * Lambda accepted it (asynchronously), a failed run is retried by Lambda and then dead-lettered
 * as the function's route configures. Every run is idempotent, and tomorrow's catches up anyway.
 */
export class RecurringJobSchedules extends Construct {
  readonly schedules: scheduler.Schedule[];
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RecurringJobSchedulesProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    // Scheduler runs the schedules as this role, which may invoke their functions and write to
    // the dead-letter queue (granted by the targets): nothing else.
    this.role = new iam.Role(this, "Role", {
      description: "Run as by recurring job schedules: may only invoke their functions",
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: {
            "aws:SourceArn": `arn:${partition}:scheduler:${region}:${account}:schedule/${props.group.scheduleGroupName}/*`,
          },
        },
      }),
    });
    this.schedules = props.jobs.map((job) => {
      const fn = props.functionOf(job.target);
      acknowledgeWildcards(
        this.role,
        [`${fn.functionArn}:*`],
        "CDK's grantInvoke also allows the function's versions and aliases (<arn>:*); the job's function has none, and the role may invoke no other function.",
      );
      return new scheduler.Schedule(this, job.name, {
        scheduleName: `${props.namePrefix}-${job.name}`,
        description: `Recurring job ${job.name}, daily at ${String(job.dailyAtUtc.hour).padStart(2, "0")}:${String(job.dailyAtUtc.minute).padStart(2, "0")} UTC`,
        scheduleGroup: props.group,
        schedule: scheduler.ScheduleExpression.cron({
          minute: String(job.dailyAtUtc.minute),
          hour: String(job.dailyAtUtc.hour),
          timeZone: TimeZone.ETC_UTC,
        }),
        target: new LambdaInvoke(fn, {
          role: this.role,
          input: scheduler.ScheduleTargetInput.fromObject({ job: job.name }),
          deadLetterQueue: props.deadLetters,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      });
    });
  }
}
