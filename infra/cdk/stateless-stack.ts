import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import type { FunctionName } from "#functions/port-needs.ts";
import { planningPaths } from "#functions/api/planning-paths.ts";
import { calendarFeedPaths } from "#functions/api/routes/calendar-feeds.ts";
import { recurringJobs } from "#functions/recurring-jobs.ts";
import { routes } from "#functions/routing.ts";
import { prefix, type ConveneConfig } from "./config.ts";
import { ConveneFunction, type ConveneFunctionProps } from "./constructs/convene-function.ts";
import { DashboardHosting } from "./constructs/dashboard-hosting.ts";
import { DeadLetterQueue } from "./constructs/dead-letter-queue.ts";
import { EventRoute } from "./constructs/event-route.ts";
import { HttpApi } from "./constructs/http-api.ts";
import { InboundMail } from "./constructs/inbound-mail.ts";
import { InboundSms } from "./constructs/inbound-sms.ts";
import { deliveryProblemRoute, Messaging } from "./constructs/messaging.ts";
import { OperatorAlarms } from "./constructs/operator-alarms.ts";
import { OutboxPipe } from "./constructs/outbox-pipe.ts";
import { environmentFor, portWiring } from "./constructs/port-wiring.ts";
import { RecurringJobSchedules } from "./constructs/recurring-job-schedules.ts";
import { ReminderSchedules } from "./constructs/reminder-schedules.ts";
import { queuedSendRate, queueMaximumConcurrency, sendRateVariable } from "./constructs/route-queue.ts";
import { UserDirectory } from "./constructs/user-directory.ts";
import { functionEntries } from "./function-entries.ts";

export interface StatelessStackProps extends StackProps {
  config: ConveneConfig;
  table: dynamodb.ITable;
}

/**
 * Per-function sizing (the default is 256 MB and 30 s): sending functions work through a
 * group's members, so they get longer, but no longer than their sending lease allows
 * (infra/cdk/sending-lease.ts: at most 82 s, so a claim left by an invocation that died
 * expires before Lambda's last retry; docs/failure-windows.md).
 */
const sizing: Partial<Record<FunctionName, Pick<ConveneFunctionProps, "timeout" | "memorySize">>> = {
  "plan-session-reminders": { timeout: Duration.seconds(60) },
  "send-session-reminders": { timeout: Duration.seconds(75) },
  "notify-session-change": { timeout: Duration.seconds(75) },
  api: { timeout: Duration.seconds(10), memorySize: 512 },
  // A member's feed renders all their groups' series; an HTTP API waits at most 30 s.
  "calendar-feeds": { timeout: Duration.seconds(10), memorySize: 512 },
  "outbox-relay": { timeout: Duration.seconds(10), memorySize: 128 },
  // Reads MIME of up to 10 MB (held in memory with its decoded text parts).
  "receive-reply": { timeout: Duration.seconds(30), memorySize: 512 },
  // One text: a few reads and writes and at most one reply; a member waits for STOP's answer.
  "receive-sms": { timeout: Duration.seconds(20) },
  // The daily run extends every due series' window, across organisations.
  "extend-series-windows": { timeout: Duration.minutes(5) },
  // Sends (within the sending lease) and, daily, reads every active series' confirmation.
  "ask-series-confirmation": { timeout: Duration.seconds(75) },
};

/**
 * The functions whose events wait in a queue they drain at their share of SES's rate
 * (route-queue.ts): the reminders, which fall due together for every group meeting at the same
 * hour (docs/deploy.md, "An evening at scale", has the model that chose this).
 */
const queuedSenders: readonly FunctionName[] = ["send-session-reminders"];

/** The other session sender, whose reserved concurrency protects SES's sending rate. */
const senders: readonly FunctionName[] = ["notify-session-change"];

/**
 * Everything that can be replaced without losing data: the bus and its archive, the outbox
 * pipe, one function and one rule per routing-table entry (and one for SES's bounces and
 * complaints), the scheduler's group and role, SES and SMS configuration, receiving replies
 * (receipt rule set, inbound mail bucket) and texts (the two-way SMS topic), the API with its
 * user pool, the dashboard (bucket and CloudFront, which serves the API too), and the alarms.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, ConveneFunction>;
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table } = props;
    const namePrefix = prefix(config);

    const alarms = new OperatorAlarms(this, "Alarms", { namePrefix, email: config.alarmEmail });
    alarms.onSesReputation();
    alarms.onFunctions();
    // One dead-letter queue for every route, SES's reports that could not be forwarded and
    // replies that could not be handled: each message names its rule or function, and one
    // alarm watches them all (the pipe and Scheduler keep queues of their own: their messages
    // are not events, and are recovered differently; so does the reminder queue, whose dead
    // letters SQS's redrive sends back to it).
    const deadLetters = new DeadLetterQueue(this, "EventDeadLetters", {
      queueName: `${namePrefix}-events-dlq`,
      what: "Events",
      alarms,
    });

    this.bus = new events.EventBus(this, "Bus", { eventBusName: namePrefix });
    this.bus.archive("Archive", {
      archiveName: `${namePrefix}-all-events`,
      description: "Every event on the bus, for replay",
      eventPattern: { account: [this.account] },
      retention: Duration.days(config.archiveRetentionDays),
    });

    const linkSecret = new secretsmanager.Secret(this, "LinkSigningSecret", {
      secretName: `${namePrefix}/link-signing`,
      description: "Signs members' unsubscribe links (HMAC); replacing it invalidates links already sent",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(linkSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Rotating the link-signing key would invalidate every unsubscribe link in members' inboxes, and one-click unsubscribe must keep working; rotation needs verification against the previous key too, which is not built yet.",
    });

    const schedules = new ReminderSchedules(this, "ReminderSchedules", { namePrefix, bus: this.bus, alarms });
    const messaging = new Messaging(this, "Messaging", {
      namePrefix,
      sendingDomain: config.sendingDomain,
      fromAddress: config.fromAddress,
      bus: this.bus,
      smsOriginationIdentity: config.smsOriginationIdentity,
      deadLetters,
      eventsKey: alarms.key,
    });
    const users = new UserDirectory(this, "Users", { namePrefix });
    const dashboard = new DashboardHosting(this, "Dashboard", {
      namePrefix,
      logRetentionDays: config.logRetentionDays,
      signInOrigin: users.signInOrigin,
    });
    const client = users.addDashboardClient(dashboard.url);
    const api = new HttpApi(this, "HttpApi", {
      namePrefix,
      logRetentionDays: config.logRetentionDays,
      issuer: users.issuer,
      audience: client.userPoolClientId,
    });
    dashboard.serveApi(api);
    dashboard.deploy({
      signIn: "cognito",
      domain: users.signInOrigin,
      clientId: client.userPoolClientId,
      redirectUri: `${dashboard.url}/sign-in`,
      logoutUri: `${dashboard.url}/sign-in`,
    });

    const wiring = portWiring({
      table,
      bus: this.bus,
      schedules,
      messaging,
      linkSecret,
      fromAddress: config.fromAddress,
      sesMaxSendRate: config.sesMaxSendRate,
      // The dashboard's URL serves the API under /api/ too, so members' links and links to a
      // group's page share it.
      publicBaseUrl: config.publicBaseUrl ?? dashboard.url,
      replyDomain: config.replyDomain,
      seriesStaleAfterMonths: config.seriesStaleAfterMonths,
      smsOriginationIdentity: config.smsOriginationIdentity,
      issuer: users.issuer,
      clientId: client.userPoolClientId,
    });
    const functions = {} as Record<FunctionName, ConveneFunction>;
    for (const entry of functionEntries()) {
      const fn = new ConveneFunction(this, `Fn-${entry.name}`, {
        entry,
        namePrefix,
        logRetentionDays: config.logRetentionDays,
        environment: {
          ...environmentFor(wiring, entry.needs),
          ...(queuedSenders.includes(entry.name)
            ? { [sendRateVariable]: String(queuedSendRate(config.sesMaxSendRate, config.senderConcurrency)) }
            : {}),
        },
        reservedConcurrentExecutions:
          senders.includes(entry.name) && config.senderConcurrency > 0 ? config.senderConcurrency : undefined,
        ...(sizing[entry.name] ?? {}),
      });
      for (const need of entry.needs) wiring[need].grant(fn, entry);
      functions[entry.name] = fn;
    }
    this.functions = functions;

    for (const route of routes)
      new EventRoute(this, `Route-${route.target}`, {
        namePrefix,
        route,
        bus: this.bus,
        fn: functions[route.target].function,
        deadLetters,
        queued: queuedSenders.includes(route.target)
          ? { maximumConcurrency: queueMaximumConcurrency(config.senderConcurrency), alarms }
          : undefined,
      });
    // SES's bounces and complaints, forwarded to Convene's bus by Messaging, with the routes'
    // retries and dead-letter queue.
    new EventRoute(this, `Route-${deliveryProblemRoute.target}`, {
      namePrefix,
      route: deliveryProblemRoute,
      description: "SES bounces and complaints of Convene's mail: the member's email is marked undeliverable",
      bus: this.bus,
      fn: functions[deliveryProblemRoute.target].function,
      deadLetters,
    });
    // Texts that failed for good, from the SMS configuration set's SNS topic.
    messaging.deliverSmsEventsTo(functions[deliveryProblemRoute.target].function);
    new OutboxPipe(this, "OutboxPipe", {
      namePrefix,
      table,
      bus: this.bus,
      relay: functions["outbox-relay"].function,
      logRetentionDays: config.logRetentionDays,
      alarms,
    });
    api.serve(functions.api.function);
    api.serveAlso("PlanningFunction", functions["planning-api"].function, planningPaths);
    api.servePlanningLinks("PlanningLinks", functions["planning-api"].function);
    api.servePublicly("CalendarFeedsFunction", functions["calendar-feeds"].function, calendarFeedPaths);
    new RecurringJobSchedules(this, "RecurringJobs", {
      namePrefix,
      jobs: recurringJobs,
      functionOf: (target) => functions[target].function,
      group: schedules.group,
      deadLetters: schedules.deadLetters.queue,
    });
    new InboundMail(this, "InboundMail", {
      namePrefix,
      replyDomain: config.replyDomain,
      fn: functions["receive-reply"],
      deadLetters,
      logRetentionDays: config.logRetentionDays,
    });
    // Members' texts: the two-way SMS topic (a phone number is pointed at it by hand).
    const inboundSms = new InboundSms(this, "InboundSms", {
      namePrefix,
      fn: functions["receive-sms"],
      deadLetters,
      key: alarms.key,
    });

    new CfnOutput(this, "DashboardUrl", { value: dashboard.url });
    new CfnOutput(this, "ApiUrl", { value: `${api.url}/api/v1` });
    new CfnOutput(this, "UserPoolId", { value: users.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: client.userPoolClientId });
    new CfnOutput(this, "SignInDomain", { value: users.signInOrigin });
    new CfnOutput(this, "EventBusName", { value: this.bus.eventBusName });
    new CfnOutput(this, "AlarmTopicArn", { value: alarms.topic.topicArn });
    new CfnOutput(this, "InboundSmsTopicArn", {
      description: "The two-way channel of the SMS phone number (docs/deploy.md, Receive texts)",
      value: inboundSms.topic.topicArn,
    });
  }
}
