import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { routes } from "#functions/routing.ts";
import { awaitTransactionCommits } from "./emulators/dynamodb-local-commit.ts";
import { eventHandlers, jobHandlers } from "#functions/event-handlers.ts";
import { recurringJobs } from "#functions/recurring-jobs.ts";
import {
  createRecordDeliveryProblem,
  createRecordSmsDeliveryProblem,
} from "#functions/record-delivery-problem/handler.ts";
import { parseEvent } from "#events/parse-event.ts";
import { toBusEvent } from "#bus/bus-event.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { createTableInput } from "#adapters/aws/dynamodb/table.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { DynamoActivityStore } from "#adapters/aws/dynamodb/dynamo-activity-store.ts";
import { DynamoCalendarFeedStore } from "#adapters/aws/dynamodb/dynamo-calendar-feed-store.ts";
import { DynamoRsvpStore } from "#adapters/aws/dynamodb/dynamo-rsvp-store.ts";
import { DynamoOverviewStore } from "#adapters/aws/dynamodb/dynamo-overview-store.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoSeriesStore } from "#adapters/aws/dynamodb/dynamo-series-store.ts";
import { DynamoVoteStore } from "#adapters/aws/dynamodb/dynamo-vote-store.ts";
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import { localClientOptions } from "#adapters/aws/client-options.ts";
import { MailboxSimulator } from "#adapters/local/mailbox-simulator.ts";
import { SmsDeliverySimulator } from "#adapters/local/sms-delivery-simulator.ts";
import { EndUserMessagingSmsSender } from "#adapters/aws/sms-sender.ts";
import { AdjustableClock } from "#adapters/local/local-clock.ts";
import { DeadLetterStore } from "#adapters/local/dead-letters.ts";
import { OutboxJournal } from "#adapters/local/outbox-journal.ts";
import { FaultInjector } from "./fault-injection.ts";
import { BusJournal, ensureBusTable } from "#adapters/local/bus-journal.ts";
import { LocalEventBus, type RetryPolicy } from "#adapters/local/local-event-bus.ts";
import { StreamPoller, type StreamCheckpoints } from "#adapters/local/stream-poller.ts";
import { deadLetterUnreadableRecords } from "#adapters/local/unreadable-records.ts";
import { TableScheduler } from "#adapters/local/table-scheduler.ts";
import { RecurringSchedules } from "#adapters/local/recurring-schedules.ts";
import { localMetrics } from "#adapters/local/local-metrics.ts";
import { countedMailer, countedSmsSender } from "#delivery/counted-sends.ts";
import { pacedMailer } from "#delivery/paced-mailer.ts";
import type { Log } from "#ports/logger.ts";
import type { Ports, Settings } from "#ports/ports.ts";
import { MalformedEventError } from "#events/parse-event.ts";

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
  /** Faults injected into the SES, SMS and DynamoDB clients (none by default). */
  faults?: FaultInjector;
  /** How long a "sending" claim is held before a redelivery takes it for dead (default 30 s). */
  sendingLeaseMs?: number;
  /** Emails a second the mailer sends at most, as a queued sender's share of SES's rate (unpaced by default). */
  sendRatePerSecond?: number;
}

// The emulators accept any credentials; these never leave the machine. Every client bounds its
// requests (client-options.ts), so an emulator that stops answering fails calls, not hangs them.
const local = {
  region: "eu-west-2",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  ...localClientOptions,
};

/**
 * The application's clients try a call up to six times (the SDK's default is 3, DynamoDB's 4):
 * under injected faults at 20 %, the default budget leaves up to 0.8 % of calls failing, and a
 * fan-out of a hundred sends would then fail half its attempts; six leave 0.006 %.
 */
const retries = { maxAttempts: 6 };

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
  const faults = options.faults ?? new FaultInjector();
  const application = new DynamoDBClient({ ...local, ...retries, endpoint: options.endpoints.dynamo });
  // The stand-ins for AWS's own services (Scheduler, EventBridge, Pipes, the providers' record of
  // what they accepted) keep their state in DynamoDB Local through a client of their own: an
  // injected fault stands for a throttle of *our* calls, and those services are not throttled
  // by our table.
  const services = new DynamoDBClient({ ...local, endpoint: options.endpoints.dynamo });
  // A transaction DynamoDB Local acknowledged is committed before our call resolves (see
  // dynamodb-local-commit.ts); the barrier goes through `services`, which has no faults.
  awaitTransactionCommits(application, services);
  awaitTransactionCommits(services);
  const dynamo = faults.attach(application, "dynamodb");
  const servicesDoc = new TableClient(services, options.tableName).doc;
  const streamArn = await ensureTable(services, options.tableName);
  const store = new DynamoStore(dynamo, options.tableName, options.sendingLeaseMs);
  const clock = new AdjustableClock(options.clockOffsetMs ?? 0);
  const scheduler = new TableScheduler(servicesDoc, options.tableName);
  const recurring = new RecurringSchedules(servicesDoc, options.tableName, recurringJobs);
  // The bus's own state (pending deliveries, archive, dead letters) lives beside the table,
  // in one without a stream: its writes are not events. So does the providers' record of what
  // they accepted, which the stream poller would otherwise read through, message by message.
  const busTable = `${options.tableName}-bus`;
  await ensureBusTable(services, busTable);
  const outbox = new OutboxJournal(new TableClient(services, busTable), clock);
  const journal = new BusJournal(servicesDoc, busTable);
  const deadLetters = new DeadLetterStore(servicesDoc, busTable);
  const recordDeliveryProblem = createRecordDeliveryProblem({ store, clock, log: options.log });
  const recordSmsDeliveryProblem = createRecordSmsDeliveryProblem({ store, clock, log: options.log });
  const metrics = localMetrics();
  const ses = faults.attach(
    new SESv2Client({ ...local, ...retries, endpoint: options.endpoints.ses }),
    "ses",
  );
  const ports: Ports = {
    store,
    votes: new DynamoVoteStore(new TableClient(dynamo, options.tableName)),
    roles: new DynamoRoleStore(new TableClient(dynamo, options.tableName)),
    series: new DynamoSeriesStore(new TableClient(dynamo, options.tableName)),
    overview: new DynamoOverviewStore(new TableClient(dynamo, options.tableName)),
    activity: new DynamoActivityStore(new TableClient(dynamo, options.tableName)),
    calendarFeeds: new DynamoCalendarFeedStore(new TableClient(dynamo, options.tableName)),
    rsvps: new DynamoRsvpStore(new TableClient(dynamo, options.tableName)),
    scheduler,
    clock,
    log: options.log,
    settings: options.settings,
    metrics,
    // SES's bounces and complaints of its simulator's addresses, handled as on Lambda.
    mailer: countedMailer(
      new MailboxSimulator(
        pacedMailer(new SesMailer(outbox.keep(ses)), { ratePerSecond: options.sendRatePerSecond }),
        (_detailType, detail) => recordDeliveryProblem(detail),
        options.log,
      ),
      metrics,
    ),
    // The SMS sink's failure numbers' delivery events, handled as on Lambda.
    sms: countedSmsSender(
      new SmsDeliverySimulator(
        new EndUserMessagingSmsSender(
          outbox.keep(
            faults.attach(
              new PinpointSMSVoiceV2Client({ ...local, ...retries, endpoint: options.endpoints.sms }),
              "sms",
            ),
          ),
        ),
        recordSmsDeliveryProblem,
        options.log,
      ),
      metrics,
    ),
  };
  const handlers = Object.fromEntries(
    Object.entries(eventHandlers).map(([target, create]) => [target, create(ports)]),
  );
  /** The recurring jobs, which the engine runs when `recurring` says they are due. */
  const jobs = Object.fromEntries(
    Object.entries(jobHandlers).map(([name, create]) => [name, create(ports)]),
  ) as Partial<Record<string, () => Promise<void>>>;
  const bus = new LocalEventBus({
    routes,
    handlers,
    journal,
    deadLetters,
    log: options.log,
    metrics,
    now: () => clock.now(),
    retry: options.retry,
  });
  /** Hands events to the bus; resolves once each is durably queued (or dead-lettered if malformed). */
  const publish = async (events: readonly unknown[]): Promise<void> => {
    const valid = [];
    for (const event of events) {
      try {
        valid.push(toBusEvent(parseEvent(event)));
      } catch (error) {
        if (!(error instanceof MalformedEventError)) throw error;
        await bus.reject(event, error);
      }
    }
    if (valid.length > 0) await bus.publish(valid);
  };
  const poller = new StreamPoller(
    new DynamoDBStreamsClient({ ...local, endpoint: options.endpoints.dynamo }),
    streamArn,
    publish,
    options.checkpoints,
    deadLetterUnreadableRecords({ deadLetters, log: options.log, metrics, now: () => clock.now() }),
  );
  return {
    ports,
    store,
    clock,
    scheduler,
    recurring,
    jobs,
    deadLetters,
    journal,
    bus,
    poller,
    publish,
    dynamo,
    /** The stand-ins' own client (bus journal, scheduler, outbox of sent messages): no faults. */
    services,
    /** SES's client, under the mailer (the benchmark observes its requests). */
    ses,
    outbox,
    faults,
    metrics,
  };
};

export type LocalRuntime = Awaited<ReturnType<typeof composeLocalRuntime>>;
