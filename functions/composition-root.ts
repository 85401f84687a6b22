import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createRemoteJWKSet } from "jose";
import * as z from "#validation/zod-mini.ts";
import { createTokenVerifier, type VerifyToken } from "#access/token-verifier.ts";
import { awsClientOptions } from "#adapters/aws/client-options.ts";
import type { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { countedMailer, countedSmsSender } from "#delivery/counted-sends.ts";
import { staleAfterMonthsOf } from "#domain/series-staleness.ts";
import { systemClock } from "#ports/clock.ts";
import type { Log } from "#ports/logger.ts";
import type { Ports } from "#ports/ports.ts";
import { logger, logOf } from "./logger.ts";
import { portNeedNames, portNeeds, type FunctionName, type PortNeed } from "./port-needs.ts";

const arn = z.string().check(z.regex(/^arn:aws[a-z-]*:/, "must be an ARN"));
const nonEmpty = () => z.string().check(z.minLength(1));

/** The environment each port reads; the CDK app sets exactly the variables of a function's needs. */
export const environmentByNeed = {
  store: z.object({
    TABLE_NAME: nonEmpty(),
    /** How long a "sending" claim is held: longer than this function can run (its timeout). */
    CONVENE_SENDING_LEASE_SECONDS: z.optional(
      z.string().check(z.regex(/^[1-9][0-9]{0,4}$/, "whole seconds")),
    ),
  }),
  votes: z.object({ TABLE_NAME: nonEmpty() }),
  roles: z.object({ TABLE_NAME: nonEmpty() }),
  series: z.object({ TABLE_NAME: nonEmpty() }),
  overview: z.object({ TABLE_NAME: nonEmpty() }),
  activity: z.object({ TABLE_NAME: nonEmpty() }),
  calendarFeeds: z.object({ TABLE_NAME: nonEmpty() }),
  rsvps: z.object({ TABLE_NAME: nonEmpty() }),
  scheduler: z.object({
    EVENT_BUS_ARN: arn,
    SCHEDULE_GROUP: nonEmpty(),
    SCHEDULER_ROLE_ARN: arn,
    SCHEDULE_DEAD_LETTER_ARN: z.optional(arn),
  }),
  mailer: z.object({
    SES_CONFIGURATION_SET: nonEmpty(),
    /** Emails a second this function's instance may send: its share of SES's rate; unset, unpaced. */
    CONVENE_SEND_RATE: z.optional(z.string().check(z.regex(/^\d+(\.\d+)?$/, "emails a second"))),
  }),
  sms: z.object({
    SMS_CONFIGURATION_SET: nonEmpty(),
    SMS_ORIGINATION_IDENTITY: z.optional(nonEmpty()),
  }),
  settings: z.object({
    FROM_ADDRESS: z.email(),
    PUBLIC_BASE_URL: z.url(),
    /** The domain members' replies go to (ballot+<token>@…). */
    REPLY_DOMAIN: z.string().check(z.minLength(3)),
    /** The Secrets Manager secret (ARN or name) whose value signs unsubscribe links. */
    LINK_SECRET_PARAMETER: nonEmpty(),
    /** Months a series runs unconfirmed before "still meeting?" (1 to 120); unset, 6. */
    SERIES_STALE_AFTER_MONTHS: z.optional(z.string().check(z.regex(/^\d{1,3}$/, "a whole number of months"))),
  }),
  identity: z.object({ COGNITO_ISSUER: z.url(), COGNITO_CLIENT_ID: nonEmpty() }),
  /** Read by Powertools itself; required here so that a function never counts into "default_namespace". */
  metrics: z.object({ POWERTOOLS_METRICS_NAMESPACE: nonEmpty() }),
} as const satisfies Record<PortNeed, z.ZodMiniObject>;

type Environment = Partial<{ [N in PortNeed]: z.infer<(typeof environmentByNeed)[N]> }>;

/** The variable names a function with these needs reads, required or optional. */
export const environmentVariableNames = (needs: readonly PortNeed[]): string[] => [
  ...new Set(needs.flatMap((need) => Object.keys(environmentByNeed[need].shape))),
];

/** Raised at cold start when a function's environment lacks or mangles a variable it needs. */
export class InvalidEnvironment extends Error {
  override name = "InvalidEnvironment";
}

/** Validates only the variables of the given needs, naming every problem at once. */
export const readEnvironment = (
  needs: readonly PortNeed[],
  env: Record<string, string | undefined>,
): Environment => {
  const read: Environment = {};
  const problems: string[] = [];
  for (const need of needs) {
    const result = environmentByNeed[need].safeParse(env);
    if (result.success) Object.assign(read, { [need]: result.data });
    else problems.push(...result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  if (problems.length > 0)
    throw new InvalidEnvironment(`this function's environment is not valid: ${problems.join("; ")}`);
  return read;
};

/** What a Lambda function gets from its composition root. */
export interface LambdaRuntime {
  ports: Ports;
  log: Log;
  /** The API's bearer-token verifier; present when the function needs `identity`. */
  verifyToken?: VerifyToken;
}

/** A port this function was not given: any use fails loudly instead of acting half-wired. */
const notGiven = <T extends object>(port: string, name: string): T =>
  new Proxy({} as T, {
    get: (_target, property) => {
      if (property === "then") return undefined; // not a thenable
      throw new Error(
        `${name} was not given the ${port} port; add it to portNeeds in functions/port-needs.ts`,
      );
    },
  });

const readLinkSecret = async (client: SecretsManagerClient, secretId: string): Promise<Uint8Array> => {
  const { GetSecretValueCommand } = await import("@aws-sdk/client-secrets-manager");
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const secret = out.SecretString ? new TextEncoder().encode(out.SecretString) : out.SecretBinary;
  if (!secret || secret.byteLength < 32)
    throw new InvalidEnvironment("the link-signing secret must be at least 32 bytes");
  return secret;
};

/** The port each need gives: `identity` is the API's token verifier, the others are ports. */
type PortOf<N extends PortNeed> = N extends "identity"
  ? VerifyToken
  : N extends keyof Ports
    ? Ports[N]
    : never;

/**
 * Builds one port from its validated environment. Each maker imports its adapter and SDK
 * client when called, at composition (the first invocation), so a function loads only the
 * clients of its needs, and none while its module loads: the SDK, which comes from the Lambda
 * runtime, is most of a cold module load. The bundler splits these imports into chunks.
 */
type Maker<N extends PortNeed> = (
  env: z.infer<(typeof environmentByNeed)[N]>,
) => PortOf<N> | Promise<PortOf<N>>;

/**
 * What a maker is in a bundle that lacks its need (see makerByNeed): undefined, and reached
 * there only through makerByNeed, which says so. Unbundled (tests, tools) every maker is defined.
 */
const notBundled = undefined as never;

/** One DynamoDB client per container, shared by the stores. */
let dynamo: Promise<DynamoDBClient> | undefined;
const dynamoClient = () =>
  (dynamo ??= import("@aws-sdk/client-dynamodb").then(
    ({ DynamoDBClient }) => new DynamoDBClient(awsClientOptions),
  ));

/** A store's maker: the store on the table layer over the shared client, its class loaded then. */
const onTable =
  <S>(load: () => Promise<new (table: TableClient) => S>) =>
  async (env: { TABLE_NAME: string }): Promise<S> => {
    const [client, { TableClient }, Store] = await Promise.all([
      dynamoClient(),
      import("#adapters/aws/dynamodb/table-client.ts"),
      load(),
    ]);
    return new Store(new TableClient(client, env.TABLE_NAME));
  };

export const makeStore: Maker<"store"> = process.env.CONVENE_OMIT_STORE
  ? notBundled
  : async (env) => {
      const [client, { DynamoStore }] = await Promise.all([
        dynamoClient(),
        import("#adapters/aws/dynamodb/dynamo-store.ts"),
      ]);
      return new DynamoStore(
        client,
        env.TABLE_NAME,
        env.CONVENE_SENDING_LEASE_SECONDS === undefined
          ? undefined
          : Number(env.CONVENE_SENDING_LEASE_SECONDS) * 1000,
      );
    };

export const makeVoteStore: Maker<"votes"> = process.env.CONVENE_OMIT_VOTES
  ? notBundled
  : onTable(async () => (await import("#adapters/aws/dynamodb/dynamo-vote-store.ts")).DynamoVoteStore);

export const makeRoleStore: Maker<"roles"> = process.env.CONVENE_OMIT_ROLES
  ? notBundled
  : onTable(async () => (await import("#adapters/aws/dynamodb/dynamo-role-store.ts")).DynamoRoleStore);

export const makeSeriesStore: Maker<"series"> = process.env.CONVENE_OMIT_SERIES
  ? notBundled
  : onTable(async () => (await import("#adapters/aws/dynamodb/dynamo-series-store.ts")).DynamoSeriesStore);

export const makeOverviewStore: Maker<"overview"> = process.env.CONVENE_OMIT_OVERVIEW
  ? notBundled
  : onTable(
      async () => (await import("#adapters/aws/dynamodb/dynamo-overview-store.ts")).DynamoOverviewStore,
    );

export const makeActivityStore: Maker<"activity"> = process.env.CONVENE_OMIT_ACTIVITY
  ? notBundled
  : onTable(
      async () => (await import("#adapters/aws/dynamodb/dynamo-activity-store.ts")).DynamoActivityStore,
    );

export const makeCalendarFeedStore: Maker<"calendarFeeds"> = process.env.CONVENE_OMIT_CALENDARFEEDS
  ? notBundled
  : onTable(
      async () =>
        (await import("#adapters/aws/dynamodb/dynamo-calendar-feed-store.ts")).DynamoCalendarFeedStore,
    );

export const makeRsvpStore: Maker<"rsvps"> = process.env.CONVENE_OMIT_RSVPS
  ? notBundled
  : onTable(async () => (await import("#adapters/aws/dynamodb/dynamo-rsvp-store.ts")).DynamoRsvpStore);

export const makeScheduler: Maker<"scheduler"> = process.env.CONVENE_OMIT_SCHEDULER
  ? notBundled
  : async (env) => {
      const [{ SchedulerClient }, { EventBridgeScheduler }] = await Promise.all([
        import("@aws-sdk/client-scheduler"),
        import("#adapters/aws/eventbridge-scheduler.ts"),
      ]);
      return new EventBridgeScheduler(new SchedulerClient(awsClientOptions), {
        groupName: env.SCHEDULE_GROUP,
        eventBusArn: env.EVENT_BUS_ARN,
        roleArn: env.SCHEDULER_ROLE_ARN,
        deadLetterQueueArn: env.SCHEDULE_DEAD_LETTER_ARN,
      });
    };

export const makeMailer: Maker<"mailer"> = process.env.CONVENE_OMIT_MAILER
  ? notBundled
  : async (env) => {
      const [{ SESv2Client }, { SesMailer }, { pacedMailer }] = await Promise.all([
        import("@aws-sdk/client-sesv2"),
        import("#adapters/aws/ses-mailer.ts"),
        import("#delivery/paced-mailer.ts"),
      ]);
      const ses = new SesMailer(new SESv2Client(awsClientOptions), {
        configurationSetName: env.SES_CONFIGURATION_SET,
      });
      return pacedMailer(ses, {
        ratePerSecond: env.CONVENE_SEND_RATE === undefined ? undefined : Number(env.CONVENE_SEND_RATE),
      });
    };

export const makeSms: Maker<"sms"> = process.env.CONVENE_OMIT_SMS
  ? notBundled
  : async (env) => {
      const [{ PinpointSMSVoiceV2Client }, { EndUserMessagingSmsSender }] = await Promise.all([
        import("@aws-sdk/client-pinpoint-sms-voice-v2"),
        import("#adapters/aws/sms-sender.ts"),
      ]);
      return new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client(awsClientOptions), {
        configurationSetName: env.SMS_CONFIGURATION_SET,
        originationIdentity: env.SMS_ORIGINATION_IDENTITY,
      });
    };

export const makeSettings: Maker<"settings"> = process.env.CONVENE_OMIT_SETTINGS
  ? notBundled
  : async (env) => {
      const { SecretsManagerClient } = await import("@aws-sdk/client-secrets-manager");
      return {
        fromAddress: env.FROM_ADDRESS,
        publicBaseUrl: env.PUBLIC_BASE_URL,
        replyDomain: env.REPLY_DOMAIN,
        ...(env.SERIES_STALE_AFTER_MONTHS
          ? { seriesStaleAfterMonths: staleAfterMonthsOf(Number(env.SERIES_STALE_AFTER_MONTHS)) }
          : {}),
        linkSigningSecret: await readLinkSecret(
          new SecretsManagerClient(awsClientOptions),
          env.LINK_SECRET_PARAMETER,
        ),
      };
    };

export const makeMetrics: Maker<"metrics"> = process.env.CONVENE_OMIT_METRICS
  ? notBundled
  : async () => {
      const [{ Metrics }, { cloudWatchMetrics }] = await Promise.all([
        import("@aws-lambda-powertools/metrics"),
        import("#adapters/aws/cloudwatch-metrics.ts"),
      ]);
      return cloudWatchMetrics(new Metrics());
    };

// jose is bundled, not loaded from the runtime: imported statically, so only what is used stays.
export const makeTokenVerifier: Maker<"identity"> = process.env.CONVENE_OMIT_IDENTITY
  ? notBundled
  : (env) =>
      Promise.resolve(
        createTokenVerifier({
          keys: createRemoteJWKSet(new URL(`${env.COGNITO_ISSUER}/.well-known/jwks.json`)),
          issuer: env.COGNITO_ISSUER,
          audience: env.COGNITO_CLIENT_ID,
        }),
      );

/**
 * Every port's maker, by need: the one place that says how each adapter is built. A
 * function's bundle keeps only the makers of its needs: the bundler (infra/cdk/bundling.ts)
 * defines `process.env.CONVENE_OMIT_<NEED>` as "true" for each need the function lacks (the
 * names come from bundleDefines in port-needs.ts), so that maker's choice folds to undefined
 * and its body, with the imports of its adapter and client, drops out of the bundle (the
 * ternary must stay around the body: esbuild drops an import() only inside a folded branch).
 * Unbundled (tests, tools) all are here.
 */
export const makerByNeed: { [N in PortNeed]: Maker<N> | undefined } = {
  store: makeStore,
  votes: makeVoteStore,
  roles: makeRoleStore,
  series: makeSeriesStore,
  overview: makeOverviewStore,
  activity: makeActivityStore,
  calendarFeeds: makeCalendarFeedStore,
  rsvps: makeRsvpStore,
  scheduler: makeScheduler,
  mailer: makeMailer,
  sms: makeSms,
  settings: makeSettings,
  identity: makeTokenVerifier,
  metrics: makeMetrics,
};

/**
 * A function's needs: in its bundle, those whose makers the bundler kept (it defines
 * `process.env.CONVENE_BUNDLED`, so the table of every function's needs stays out); unbundled,
 * its row of portNeeds.
 */
const needsOf = (name: FunctionName): readonly PortNeed[] =>
  process.env.CONVENE_BUNDLED ? portNeedNames.filter((need) => makerByNeed[need]) : portNeeds[name];

/**
 * The composition root of the Lambda runtime: the same handlers and adapters as the local
 * runtime, wired to DynamoDB, EventBridge Scheduler, SES and End User Messaging SMS. Runs
 * once per container (cold start): the environment is validated, the SDK clients created and
 * the link-signing secret read here, then reused by every invocation. A function is given
 * the ports of its needs (portNeeds in functions/port-needs.ts) and no other: a function that
 * sends no email neither bundles nor is allowed the mailer; any other port fails loudly if touched.
 */
export const composeLambdaRuntime = async (
  name: FunctionName,
  env: Record<string, string | undefined> = process.env,
): Promise<LambdaRuntime> => {
  const needs = needsOf(name);
  const read = readEnvironment(needs, env) as Record<PortNeed, never>;
  const build = async <N extends PortNeed>(need: N): Promise<PortOf<N>> => {
    if (!needs.includes(need)) return notGiven<PortOf<N> & object>(need, name);
    const make: Maker<N> | undefined = makerByNeed[need];
    if (!make)
      throw new Error(
        `${name} was bundled without the ${need} maker; bundle it as infra/cdk/bundling.ts does`,
      );
    return await make(read[need]);
  };
  const [built, calendarFeeds, rsvps] = await Promise.all([
    Promise.all([
      build("store"),
      build("votes"),
      build("roles"),
      build("series"),
      build("overview"),
      build("activity"),
      build("scheduler"),
      build("mailer"),
      build("sms"),
      build("settings"),
      build("metrics"),
    ]),
    build("calendarFeeds"),
    build("rsvps"),
  ]);
  const [store, votes, roles, series, overview, activity, scheduler, mailer, sms, settings, metrics] = built;
  // A function that sends has the metrics port too (portNeeds): its sends are counted.
  const counted = needs.includes("metrics");
  const ports: Ports = {
    clock: systemClock,
    log: logOf(logger),
    store,
    votes,
    roles,
    series,
    overview,
    activity,
    calendarFeeds,
    rsvps,
    scheduler,
    mailer: counted && needs.includes("mailer") ? countedMailer(mailer, metrics) : mailer,
    sms: counted && needs.includes("sms") ? countedSmsSender(sms, metrics) : sms,
    settings,
    metrics,
  };
  const verifyToken = needs.includes("identity") ? await build("identity") : undefined;
  return { ports, log: ports.log, verifyToken };
};

/** The runtime of one function, composed on first use and kept for the container's life. */
export const lambdaRuntime = (name: FunctionName): (() => Promise<LambdaRuntime>) => {
  let runtime: Promise<LambdaRuntime> | undefined;
  return () => {
    // A failed composition (say, a throttled secret read) is tried again by the next invocation.
    runtime ??= composeLambdaRuntime(name).catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
    return runtime;
  };
};
