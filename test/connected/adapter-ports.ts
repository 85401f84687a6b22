import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { inject } from "vitest";
import { DynamoActivityStore } from "#adapters/aws/dynamodb/dynamo-activity-store.ts";
import { DynamoCalendarFeedStore } from "#adapters/aws/dynamodb/dynamo-calendar-feed-store.ts";
import { DynamoOverviewStore } from "#adapters/aws/dynamodb/dynamo-overview-store.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoRsvpStore } from "#adapters/aws/dynamodb/dynamo-rsvp-store.ts";
import { DynamoSeriesStore } from "#adapters/aws/dynamodb/dynamo-series-store.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { DynamoVoteStore } from "#adapters/aws/dynamodb/dynamo-vote-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import { EndUserMessagingSmsSender } from "#adapters/aws/sms-sender.ts";
import { AdjustableClock } from "#adapters/local/local-clock.ts";
import { localMetrics } from "#adapters/local/local-metrics.ts";
import { TableScheduler } from "#adapters/local/table-scheduler.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import type { Log } from "#ports/logger.ts";
import type { Ports, Settings } from "#ports/ports.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };

/**
 * Every port on its real adapter, against the suite's emulators (DynamoDB Local in a table of
 * its own, the SES emulator, the SMS sink), as a function's composition root would build them.
 * `destroy` closes the clients.
 */
export const adapterPorts = async (tableName: string, log: Log, settings: Settings) => {
  const dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  const ses = new SESv2Client({ ...local, endpoint: inject("sesEndpoint") });
  const sms = new PinpointSMSVoiceV2Client({ ...local, endpoint: inject("smsEndpoint"), maxAttempts: 1 });
  await ensureTable(dynamo, tableName);
  const store = new DynamoStore(dynamo, tableName);
  const table = () => new TableClient(dynamo, tableName);
  const ports: Ports = {
    store,
    votes: new DynamoVoteStore(table()),
    roles: new DynamoRoleStore(table()),
    series: new DynamoSeriesStore(table()),
    overview: new DynamoOverviewStore(table()),
    activity: new DynamoActivityStore(table()),
    calendarFeeds: new DynamoCalendarFeedStore(table()),
    rsvps: new DynamoRsvpStore(table()),
    scheduler: new TableScheduler(store.doc, tableName),
    clock: new AdjustableClock(),
    log,
    metrics: localMetrics(),
    settings,
    mailer: new SesMailer(ses),
    sms: new EndUserMessagingSmsSender(sms),
  };
  const destroy = () => {
    for (const client of [dynamo, ses, sms]) client.destroy();
  };
  return { ports, store, destroy };
};
