import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import type { FunctionName } from "#functions/port-needs.ts";
import { routes } from "#functions/routing.ts";
import { prefix, type ConveneConfig } from "./config.ts";
import { ConveneFunction, type ConveneFunctionProps } from "./constructs/convene-function.ts";
import { DashboardHosting } from "./constructs/dashboard-hosting.ts";
import { EventRoute } from "./constructs/event-route.ts";
import { HttpApi } from "./constructs/http-api.ts";
import { InboundMail } from "./constructs/inbound-mail.ts";
import { deliveryProblemRoute, Messaging } from "./constructs/messaging.ts";
import { OperatorAlarms } from "./constructs/operator-alarms.ts";
import { OutboxPipe } from "./constructs/outbox-pipe.ts";
import { environmentFor, portWiring } from "./constructs/port-wiring.ts";
import { ReminderSchedules } from "./constructs/reminder-schedules.ts";
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
  "outbox-relay": { timeout: Duration.seconds(10), memorySize: 128 },
  // Reads MIME of up to 10 MB (held in memory with its decoded text parts).
  "receive-reply": { timeout: Duration.seconds(30), memorySize: 512 },
};

/** The functions that send email, whose concurrency protects SES's sending rate. */
const senders: readonly FunctionName[] = ["send-session-reminders", "notify-session-change"];

/**
 * Everything that can be replaced without losing data: the bus and its archive, the outbox
 * pipe, one function and one rule per routing-table entry (and one for SES's bounces and
 * complaints), the scheduler's group and role, SES and SMS configuration, receiving replies
 * (receipt rule set, inbound mail bucket), the API with its user pool, the dashboard (bucket
 * and CloudFront, which serves the API too), and the alarms.
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
      alarms,
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
      // The dashboard's URL serves the API under /api/ too, so members' links and links to a
      // group's page share it.
      publicBaseUrl: config.publicBaseUrl ?? dashboard.url,
      replyDomain: config.replyDomain,
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
        environment: environmentFor(wiring, entry.needs),
        reservedConcurrentExecutions:
          senders.includes(entry.name) && config.senderConcurrency > 0 ? config.senderConcurrency : undefined,
        ...(sizing[entry.name] ?? {}),
      });
      for (const need of entry.needs) wiring[need].grant(fn, entry);
      alarms.onFunctionHealth(fn.function, entry.name);
      functions[entry.name] = fn;
    }
    this.functions = functions;

    for (const route of routes)
      new EventRoute(this, `Route-${route.target}`, {
        namePrefix,
        route,
        bus: this.bus,
        fn: functions[route.target].function,
        alarms,
      });
    // SES's bounces and complaints, forwarded to Convene's bus by Messaging, with the routes'
    // retries and dead-letter queue.
    new EventRoute(this, `Route-${deliveryProblemRoute.target}`, {
      namePrefix,
      route: deliveryProblemRoute,
      description: "SES bounces and complaints of Convene's mail: the member's email is marked undeliverable",
      bus: this.bus,
      fn: functions[deliveryProblemRoute.target].function,
      alarms,
    });
    new OutboxPipe(this, "OutboxPipe", {
      namePrefix,
      table,
      bus: this.bus,
      relay: functions["outbox-relay"].function,
      logRetentionDays: config.logRetentionDays,
      alarms,
    });
    api.serve(functions.api.function);
    new InboundMail(this, "InboundMail", {
      namePrefix,
      replyDomain: config.replyDomain,
      fn: functions["receive-reply"],
      alarms,
      logRetentionDays: config.logRetentionDays,
    });

    new CfnOutput(this, "DashboardUrl", { value: dashboard.url });
    new CfnOutput(this, "ApiUrl", { value: `${api.url}/api/v1` });
    new CfnOutput(this, "UserPoolId", { value: users.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: client.userPoolClientId });
    new CfnOutput(this, "SignInDomain", { value: users.signInOrigin });
    new CfnOutput(this, "EventBusName", { value: this.bus.eventBusName });
    new CfnOutput(this, "AlarmTopicArn", { value: alarms.topic.topicArn });
  }
}
