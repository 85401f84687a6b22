import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createRemoteJWKSet } from "jose";
import * as z from "#validation/zod-mini.ts";
import { createTokenVerifier, type VerifyToken } from "#access/token-verifier.ts";
import { DynamoActivityStore } from "#adapters/aws/dynamodb/dynamo-activity-store.ts";
import { DynamoOverviewStore } from "#adapters/aws/dynamodb/dynamo-overview-store.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { DynamoVoteStore } from "#adapters/aws/dynamodb/dynamo-vote-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { countedMailer, countedSmsSender } from "#delivery/counted-sends.ts";
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
  overview: z.object({ TABLE_NAME: nonEmpty() }),
  activity: z.object({ TABLE_NAME: nonEmpty() }),
  scheduler: z.object({
    EVENT_BUS_ARN: arn,
    SCHEDULE_GROUP: nonEmpty(),
    SCHEDULER_ROLE_ARN: arn,
    SCHEDULE_DEAD_LETTER_ARN: z.optional(arn),
  }),
  mailer: z.object({ SES_CONFIGURATION_SET: nonEmpty() }),
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
 * Builds one port from its validated environment. Every function has a DynamoDB store, so the
 * stores are imported as usual; the clients only some functions use (Scheduler, SES, SMS,
 * Secrets Manager) are imported by their maker when called, so a function loads only those
 * of its needs (the SDK comes from the Lambda runtime, not the bundle).
 */
type Maker<N extends PortNeed> = (
  env: z.infer<(typeof environmentByNeed)[N]>,
) => PortOf<N> | Promise<PortOf<N>>;

/** One DynamoDB client per container, shared by the stores. */
let dynamo: DynamoDBClient | undefined;
const dynamoClient = () => (dynamo ??= new DynamoDBClient({}));

export const makeStore: Maker<"store"> = (env) =>
  new DynamoStore(
    dynamoClient(),
    env.TABLE_NAME,
    env.CONVENE_SENDING_LEASE_SECONDS === undefined
      ? undefined
      : Number(env.CONVENE_SENDING_LEASE_SECONDS) * 1000,
  );

export const makeVoteStore: Maker<"votes"> = (env) =>
  new DynamoVoteStore(new TableClient(dynamoClient(), env.TABLE_NAME));

export const makeRoleStore: Maker<"roles"> = (env) =>
  new DynamoRoleStore(new TableClient(dynamoClient(), env.TABLE_NAME));

export const makeOverviewStore: Maker<"overview"> = (env) =>
  new DynamoOverviewStore(new TableClient(dynamoClient(), env.TABLE_NAME));

export const makeActivityStore: Maker<"activity"> = (env) =>
  new DynamoActivityStore(new TableClient(dynamoClient(), env.TABLE_NAME));

export const makeScheduler: Maker<"scheduler"> = async (env) => {
  const [{ SchedulerClient }, { EventBridgeScheduler }] = await Promise.all([
    import("@aws-sdk/client-scheduler"),
    import("#adapters/aws/eventbridge-scheduler.ts"),
  ]);
  return new EventBridgeScheduler(new SchedulerClient({}), {
    groupName: env.SCHEDULE_GROUP,
    eventBusArn: env.EVENT_BUS_ARN,
    roleArn: env.SCHEDULER_ROLE_ARN,
    deadLetterQueueArn: env.SCHEDULE_DEAD_LETTER_ARN,
  });
};

export const makeMailer: Maker<"mailer"> = async (env) => {
  const [{ SESv2Client }, { SesMailer }] = await Promise.all([
    import("@aws-sdk/client-sesv2"),
    import("#adapters/aws/ses-mailer.ts"),
  ]);
  return new SesMailer(new SESv2Client({}), { configurationSetName: env.SES_CONFIGURATION_SET });
};

export const makeSms: Maker<"sms"> = async (env) => {
  const [{ PinpointSMSVoiceV2Client }, { EndUserMessagingSmsSender }] = await Promise.all([
    import("@aws-sdk/client-pinpoint-sms-voice-v2"),
    import("#adapters/aws/sms-sender.ts"),
  ]);
  return new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}), {
    configurationSetName: env.SMS_CONFIGURATION_SET,
    originationIdentity: env.SMS_ORIGINATION_IDENTITY,
  });
};

export const makeSettings: Maker<"settings"> = async (env) => {
  const { SecretsManagerClient } = await import("@aws-sdk/client-secrets-manager");
  return {
    fromAddress: env.FROM_ADDRESS,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    replyDomain: env.REPLY_DOMAIN,
    linkSigningSecret: await readLinkSecret(new SecretsManagerClient({}), env.LINK_SECRET_PARAMETER),
  };
};

export const makeMetrics: Maker<"metrics"> = async () => {
  const [{ Metrics }, { cloudWatchMetrics }] = await Promise.all([
    import("@aws-lambda-powertools/metrics"),
    import("#adapters/aws/cloudwatch-metrics.ts"),
  ]);
  return cloudWatchMetrics(new Metrics());
};

// jose is bundled, not loaded from the runtime: imported statically, so only what is used stays.
export const makeTokenVerifier: Maker<"identity"> = (env) =>
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
 * names come from bundleDefines in port-needs.ts), so that choice folds to undefined and
 * the maker, with its adapter, drops out of the bundle. Unbundled (tests, tools) all are here.
 */
export const makerByNeed: { [N in PortNeed]: Maker<N> | undefined } = {
  store: process.env.CONVENE_OMIT_STORE ? undefined : makeStore,
  votes: process.env.CONVENE_OMIT_VOTES ? undefined : makeVoteStore,
  roles: process.env.CONVENE_OMIT_ROLES ? undefined : makeRoleStore,
  overview: process.env.CONVENE_OMIT_OVERVIEW ? undefined : makeOverviewStore,
  activity: process.env.CONVENE_OMIT_ACTIVITY ? undefined : makeActivityStore,
  scheduler: process.env.CONVENE_OMIT_SCHEDULER ? undefined : makeScheduler,
  mailer: process.env.CONVENE_OMIT_MAILER ? undefined : makeMailer,
  sms: process.env.CONVENE_OMIT_SMS ? undefined : makeSms,
  settings: process.env.CONVENE_OMIT_SETTINGS ? undefined : makeSettings,
  identity: process.env.CONVENE_OMIT_IDENTITY ? undefined : makeTokenVerifier,
  metrics: process.env.CONVENE_OMIT_METRICS ? undefined : makeMetrics,
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
  const [store, votes, roles, overview, activity, scheduler, mailer, sms, settings, metrics] =
    await Promise.all([
      build("store"),
      build("votes"),
      build("roles"),
      build("overview"),
      build("activity"),
      build("scheduler"),
      build("mailer"),
      build("sms"),
      build("settings"),
      build("metrics"),
    ]);
  // A function that sends has the metrics port too (portNeeds): its sends are counted.
  const counted = needs.includes("metrics");
  const ports: Ports = {
    clock: systemClock,
    log: logOf(logger),
    store,
    votes,
    roles,
    overview,
    activity,
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
