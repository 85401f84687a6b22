import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { PortNeed } from "#functions/port-needs.ts";
import type { FunctionEntry } from "../function-entries.ts";
import { tableDefinition } from "#adapters/aws/dynamodb/table.ts";
import { tableAccess } from "../table-access.ts";
import type { ConveneFunction } from "./convene-function.ts";
import type { Messaging } from "./messaging.ts";
import type { ReminderSchedules } from "./reminder-schedules.ts";
import { sendRateVariable } from "./route-queue.ts";
import { defaultStaleAfterMonths } from "#domain/series-staleness.ts";

export interface PortResources {
  table: dynamodb.ITable;
  bus: events.IEventBus;
  schedules: ReminderSchedules;
  messaging: Messaging;
  linkSecret: secretsmanager.ISecret;
  fromAddress: string;
  /** SES's account rate: no one instance may send faster (a queued sender's share is lower). */
  sesMaxSendRate: number;
  publicBaseUrl: string;
  replyDomain: string;
  seriesStaleAfterMonths?: number | undefined;
  smsOriginationIdentity?: string;
  issuer: string;
  clientId: string;
}

interface Wire {
  environment: Record<string, string>;
  grant(fn: ConveneFunction, entry: FunctionEntry): void;
}

/** The function's table actions (table-access.ts), granted by whichever port brings the table. */
const grantTableAccess = (r: PortResources, fn: ConveneFunction, entry: FunctionEntry, need: PortNeed) => {
  const access = tableAccess[entry.name];
  if (!access)
    throw new Error(`${entry.name} needs the ${need} but has no entry in infra/cdk/table-access.ts`);
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...access.actions], resources: [r.table.tableArn] }),
  );
  if (access.queriesIndex)
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: [`${r.table.tableArn}/index/${tableDefinition.gsi1.name}`],
      }),
    );
};

/**
 * A port on the store's table: its environment is the table's name, and its actions are the
 * function's table access (table-access.ts), granted with the store, which it must come with.
 */
const withTheStore = (r: PortResources, what: string): Wire => ({
  environment: { TABLE_NAME: r.table.tableName },
  grant(_fn, entry) {
    if (!entry.needs.includes("store"))
      throw new Error(
        `${entry.name} needs ${what} without the store; its table access is granted with the store`,
      );
  },
});

/**
 * What each port need (functions/port-needs.ts) means on AWS: the environment variables the
 * Lambda composition root reads for it, and the IAM grants it requires. A function gets the
 * union over its needs and nothing else; a test checks the variables against the root's.
 */
export const portWiring = (r: PortResources): Record<PortNeed, Wire> => ({
  store: {
    environment: { TABLE_NAME: r.table.tableName },
    grant: (fn, entry) => grantTableAccess(r, fn, entry, "store"),
  },
  votes: withTheStore(r, "votes"),
  roles: withTheStore(r, "roles"),
  series: withTheStore(r, "series"),
  calendarFeeds: withTheStore(r, "calendar feeds"),
  rsvps: withTheStore(r, "RSVPs"),
  overview: withTheStore(r, "the overview"),
  activity: {
    // Same table. A function with the store has its table access from it; the activity
    // projection has no store, so its access (one PutItem) comes with this port.
    environment: { TABLE_NAME: r.table.tableName },
    grant(fn, entry) {
      if (!entry.needs.includes("store")) grantTableAccess(r, fn, entry, "activity");
    },
  },
  scheduler: {
    environment: {
      EVENT_BUS_ARN: r.bus.eventBusArn,
      SCHEDULE_GROUP: r.schedules.groupName,
      SCHEDULER_ROLE_ARN: r.schedules.role.roleArn,
      SCHEDULE_DEAD_LETTER_ARN: r.schedules.deadLetters.queue.queueArn,
    },
    grant: (fn) => r.schedules.grantCreateSchedules(fn.role),
  },
  mailer: {
    environment: {
      SES_CONFIGURATION_SET: r.messaging.configurationSetName,
      [sendRateVariable]: String(r.sesMaxSendRate),
    },
    grant: (fn) => r.messaging.grantSendEmail(fn.role),
  },
  sms: {
    environment: {
      SMS_CONFIGURATION_SET: r.messaging.smsConfigurationSetName,
      ...(r.smsOriginationIdentity ? { SMS_ORIGINATION_IDENTITY: r.smsOriginationIdentity } : {}),
    },
    grant: (fn) => r.messaging.grantSendSms(fn.role),
  },
  settings: {
    environment: {
      FROM_ADDRESS: r.fromAddress,
      PUBLIC_BASE_URL: r.publicBaseUrl,
      REPLY_DOMAIN: r.replyDomain,
      LINK_SECRET_PARAMETER: r.linkSecret.secretArn,
      SERIES_STALE_AFTER_MONTHS: String(r.seriesStaleAfterMonths ?? defaultStaleAfterMonths),
    },
    grant: (fn) =>
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["secretsmanager:GetSecretValue"],
          resources: [r.linkSecret.secretArn],
        }),
      ),
  },
  identity: {
    environment: { COGNITO_ISSUER: r.issuer, COGNITO_CLIENT_ID: r.clientId },
    grant: () => {},
  },
  metrics: {
    // Embedded metric format: lines in the function's own log, so no IAM action is needed.
    environment: { POWERTOOLS_METRICS_NAMESPACE: "Convene" },
    grant: () => {},
  },
});

/** The environment of a function with these needs. */
export const environmentFor = (wiring: Record<PortNeed, Wire>, needs: readonly PortNeed[]) =>
  Object.assign({}, ...needs.map((need) => wiring[need].environment)) as Record<string, string>;
