import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { createRemoteJWKSet } from "jose";
import * as z from "#validation/zod-mini.ts";
import { createTokenVerifier, type VerifyToken } from "#access/token-verifier.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { DynamoActivityStore } from "#adapters/aws/dynamodb/dynamo-activity-store.ts";
import { DynamoOverviewStore } from "#adapters/aws/dynamodb/dynamo-overview-store.ts";
import { DynamoRoleStore } from "#adapters/aws/dynamodb/dynamo-role-store.ts";
import { DynamoVoteStore } from "#adapters/aws/dynamodb/dynamo-vote-store.ts";
import { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import { EventBridgeScheduler } from "#adapters/aws/eventbridge-scheduler.ts";
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import { EndUserMessagingSmsSender } from "#adapters/aws/sms-sender.ts";
import { systemClock } from "#ports/clock.ts";
import type { Log } from "#ports/logger.ts";
import type { Ports, Settings } from "#ports/ports.ts";
import { logger, logOf } from "./logger.ts";
import type { FunctionName, PortNeed, portNeeds } from "./port-needs.ts";

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
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const secret = out.SecretString ? new TextEncoder().encode(out.SecretString) : out.SecretBinary;
  if (!secret || secret.byteLength < 32)
    throw new InvalidEnvironment("the link-signing secret must be at least 32 bytes");
  return secret;
};

/** Builds one port from its validated environment; each is imported only by the functions using it. */
type Maker<N extends PortNeed, T> = (env: z.infer<(typeof environmentByNeed)[N]>) => T | Promise<T>;

/** One DynamoDB client per container, shared by the stores. */
let dynamo: DynamoDBClient | undefined;
const dynamoClient = () => (dynamo ??= new DynamoDBClient({}));

export const makeStore: Maker<"store", Ports["store"]> = (env) =>
  new DynamoStore(
    dynamoClient(),
    env.TABLE_NAME,
    env.CONVENE_SENDING_LEASE_SECONDS === undefined
      ? undefined
      : Number(env.CONVENE_SENDING_LEASE_SECONDS) * 1000,
  );

export const makeVoteStore: Maker<"votes", Ports["votes"]> = (env) =>
  new DynamoVoteStore(new TableClient(dynamoClient(), env.TABLE_NAME));

export const makeRoleStore: Maker<"roles", Ports["roles"]> = (env) =>
  new DynamoRoleStore(new TableClient(dynamoClient(), env.TABLE_NAME));

export const makeOverviewStore: Maker<"overview", Ports["overview"]> = (env) =>
  new DynamoOverviewStore(new TableClient(dynamoClient(), env.TABLE_NAME));

export const makeActivityStore: Maker<"activity", Ports["activity"]> = (env) =>
  new DynamoActivityStore(new TableClient(dynamoClient(), env.TABLE_NAME));

export const makeScheduler: Maker<"scheduler", Ports["scheduler"]> = (env) =>
  new EventBridgeScheduler(new SchedulerClient({}), {
    groupName: env.SCHEDULE_GROUP,
    eventBusArn: env.EVENT_BUS_ARN,
    roleArn: env.SCHEDULER_ROLE_ARN,
    deadLetterQueueArn: env.SCHEDULE_DEAD_LETTER_ARN,
  });

export const makeMailer: Maker<"mailer", Ports["mailer"]> = (env) =>
  new SesMailer(new SESv2Client({}), { configurationSetName: env.SES_CONFIGURATION_SET });

export const makeSms: Maker<"sms", Ports["sms"]> = (env) =>
  new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}), {
    configurationSetName: env.SMS_CONFIGURATION_SET,
    originationIdentity: env.SMS_ORIGINATION_IDENTITY,
  });

export const makeSettings: Maker<"settings", Settings> = async (env) => ({
  fromAddress: env.FROM_ADDRESS,
  publicBaseUrl: env.PUBLIC_BASE_URL,
  replyDomain: env.REPLY_DOMAIN,
  linkSigningSecret: await readLinkSecret(new SecretsManagerClient({}), env.LINK_SECRET_PARAMETER),
});

export const makeTokenVerifier: Maker<"identity", VerifyToken> = (env) =>
  createTokenVerifier({
    keys: createRemoteJWKSet(new URL(`${env.COGNITO_ISSUER}/.well-known/jwks.json`)),
    issuer: env.COGNITO_ISSUER,
    audience: env.COGNITO_CLIENT_ID,
  });

/** The makers a function passes for its needs: exactly those, so its bundle holds no other adapter. */
export type MakersFor<F extends FunctionName> = {
  [N in (typeof portNeeds)[F][number]]: Maker<
    N,
    N extends "identity" ? VerifyToken : N extends keyof Ports ? Ports[N] : never
  >;
};

type AnyMakers = Partial<{ [N in PortNeed]: Maker<N, unknown> }>;

/**
 * The composition root of the Lambda runtime: the same handlers and adapters as the local
 * runtime, wired to DynamoDB, EventBridge Scheduler, SES and End User Messaging SMS. Runs
 * once per container (cold start): the environment is validated, the SDK clients created and
 * the link-signing secret read here, then reused by every invocation. Each function passes
 * the makers of its needs (functions/port-needs.ts), so a function that sends no email
 * neither bundles nor is allowed the mailer; any other port fails loudly if touched.
 */
export const composeLambdaRuntime = async (
  name: string,
  makers: AnyMakers,
  env: Record<string, string | undefined> = process.env,
): Promise<LambdaRuntime> => {
  const needs = Object.keys(makers) as PortNeed[];
  const read = readEnvironment(needs, env) as Record<PortNeed, never>;
  const build = async <T extends object>(need: PortNeed): Promise<T> => {
    const make = makers[need] as Maker<PortNeed, T> | undefined;
    return make ? await make(read[need]) : notGiven<T>(need, name);
  };
  const [store, votes, roles, overview, activity, scheduler, mailer, sms, settings] = await Promise.all([
    build<Ports["store"]>("store"),
    build<Ports["votes"]>("votes"),
    build<Ports["roles"]>("roles"),
    build<Ports["overview"]>("overview"),
    build<Ports["activity"]>("activity"),
    build<Ports["scheduler"]>("scheduler"),
    build<Ports["mailer"]>("mailer"),
    build<Ports["sms"]>("sms"),
    build<Settings>("settings"),
  ]);
  const ports: Ports = {
    clock: systemClock,
    log: logOf(logger),
    store,
    votes,
    roles,
    overview,
    activity,
    scheduler,
    mailer,
    sms,
    settings,
  };
  const verifyToken = makers.identity ? await build<VerifyToken>("identity") : undefined;
  return { ports, log: ports.log, verifyToken };
};

/** The runtime of one function, composed on first use and kept for the container's life. */
export const lambdaRuntime = <F extends FunctionName>(
  name: F,
  makers: MakersFor<F>,
): (() => Promise<LambdaRuntime>) => {
  let runtime: Promise<LambdaRuntime> | undefined;
  return () => {
    // A failed composition (say, a throttled secret read) is tried again by the next invocation.
    runtime ??= composeLambdaRuntime(name, makers as AnyMakers).catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
    return runtime;
  };
};
