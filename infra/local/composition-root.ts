import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { routes } from "../../functions/routing.ts";
import { eventHandlers } from "../../functions/handlers.ts";
import { createRecordDeliveryProblem } from "../../functions/record-delivery-problem/handler.ts";
import { parseEvent } from "../../events/parse-event.ts";
import { toBusEvent } from "../../shared/bus/bus-event.ts";
import { DynamoStore } from "../../shared/adapters/aws/dynamodb/dynamo-store.ts";
import { createTableInput } from "../../shared/adapters/aws/dynamodb/table.ts";
import { TableClient } from "../../shared/adapters/aws/dynamodb/table-client.ts";
import { DynamoActivityStore } from "../../shared/adapters/aws/dynamodb/dynamo-activity-store.ts";
import { DynamoOverviewStore } from "../../shared/adapters/aws/dynamodb/dynamo-overview-store.ts";
import { DynamoRoleStore } from "../../shared/adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoVoteStore } from "../../shared/adapters/aws/dynamodb/dynamo-vote-store.ts";
import { SesMailer } from "../../shared/adapters/aws/ses-mailer.ts";
import { MailboxSimulator } from "../../shared/adapters/local/mailbox-simulator.ts";
import { EndUserMessagingSmsSender } from "../../shared/adapters/aws/sms-sender.ts";
import { AdjustableClock } from "../../shared/adapters/local/local-clock.ts";
import { DeadLetterStore } from "../../shared/adapters/local/dead-letters.ts";
import { LocalEventBus, type RetryPolicy } from "../../shared/adapters/local/local-event-bus.ts";
import { StreamPoller, type StreamCheckpoints } from "../../shared/adapters/local/stream-poller.ts";
import { TableScheduler } from "../../shared/adapters/local/table-scheduler.ts";
import type { Log } from "../../shared/ports/logger.ts";
import type { Ports, Settings } from "../../shared/ports/ports.ts";
import { MalformedEventError } from "../../events/parse-event.ts";

export interface LocalEndpoints {
  dynamo: string;
  ses: string;
  sms: string;
}

export interface LocalRuntimeOptions {
  endpoints: LocalEndpoints;
  tableName: string;
  settings: Settings;
  log: Log;
  clockOffsetMs?: number;
  retry?: RetryPolicy;
  checkpoints?: StreamCheckpoints;
}

// The emulators accept any credentials; these never leave the machine.
const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };

/** Creates the table unless it exists; returns its stream ARN. */
export const ensureTable = async (dynamo: DynamoDBClient, tableName: string): Promise<string> => {
  try {
    const out = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    return out.Table!.LatestStreamArn!;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const out = await dynamo.send(new CreateTableCommand(createTableInput(tableName)));
  return out.TableDescription!.LatestStreamArn!;
};

/**
 * The composition root of the local runtime: the same handlers and store code as on
 * Lambda, wired to DynamoDB Local, the SES emulator and the SMS sink, with the table
 * scheduler, the stream poller and the in-process bus in place of Scheduler, Pipes and
 * EventBridge.
 */
export const composeLocalRuntime = async (options: LocalRuntimeOptions) => {
  const dynamo = new DynamoDBClient({ ...local, endpoint: options.endpoints.dynamo });
  const streamArn = await ensureTable(dynamo, options.tableName);
  const store = new DynamoStore(dynamo, options.tableName);
  const clock = new AdjustableClock(options.clockOffsetMs ?? 0);
  const scheduler = new TableScheduler(store.doc, options.tableName);
  const deadLetters = new DeadLetterStore(store.doc, options.tableName);
  const recordDeliveryProblem = createRecordDeliveryProblem({ store, clock, log: options.log });
  const ports: Ports = {
    store,
    votes: new DynamoVoteStore(new TableClient(dynamo, options.tableName)),
    roles: new DynamoRoleStore(new TableClient(dynamo, options.tableName)),
    overview: new DynamoOverviewStore(new TableClient(dynamo, options.tableName)),
    activity: new DynamoActivityStore(new TableClient(dynamo, options.tableName)),
    scheduler,
    clock,
    log: options.log,
    settings: options.settings,
    // SES's bounces and complaints of its simulator's addresses, handled as on Lambda.
    mailer: new MailboxSimulator(
      new SesMailer(new SESv2Client({ ...local, endpoint: options.endpoints.ses })),
      (_detailType, detail) => recordDeliveryProblem(detail),
      options.log,
    ),
    sms: new EndUserMessagingSmsSender(
      new PinpointSMSVoiceV2Client({ ...local, endpoint: options.endpoints.sms }),
    ),
  };
  const handlers = Object.fromEntries(
    Object.entries(eventHandlers).map(([target, create]) => [target, create(ports)]),
  );
  const bus = new LocalEventBus(routes, handlers, deadLetters, options.log, options.retry);
  const publish = (event: unknown) => {
    try {
      bus.publish(toBusEvent(parseEvent(event)));
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      bus.reject(event, error);
    }
  };
  const poller = new StreamPoller(
    new DynamoDBStreamsClient({ ...local, endpoint: options.endpoints.dynamo }),
    streamArn,
    publish,
    options.checkpoints,
  );
  return { ports, store, clock, scheduler, deadLetters, bus, poller, publish, dynamo };
};

export type LocalRuntime = Awaited<ReturnType<typeof composeLocalRuntime>>;
