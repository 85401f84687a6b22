// Local fault injection: a chosen fraction of SES, SMS and DynamoDB requests fail transiently
// (throttled), and chosen email addresses and phone numbers fail permanently, so the crash-safe
// spine can be shown to survive what AWS does on a bad day. It is AWS SDK middleware added to
// the local runtime's clients only; the domain, the handlers and the adapters do not know.
//
// Where it sits: in the SDK's deserialize step, below (inside) the retry middleware and the
// signer, so each HTTP *attempt* may fail, as a real throttle does. The SDK's own retries then
// absorb most transient faults (at 20 %, every attempt fails for 0.8 % of SES and SMS calls,
// which get 3, and for 0.16 % of DynamoDB calls, which get 4; a throttled attempt is retried
// after a random wait of up to 1 s, then 2 s, then 4 s), and what is left reaches our code
// exactly as a real throttle would: the same modelled exception, built by the SDK's own
// deserializer from an AWS-shaped error response. Injected above the retries, every fault
// would reach our code and exercise only our own retries.
//
// A refused request never reaches the emulator, so a transient fault cannot cause a send.

import type { SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import type { SendTextMessageCommandInput } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import type { DeserializeMiddleware, HttpResponse, MiddlewareStack } from "@smithy/types";
import { randomInt, randomUUID } from "node:crypto";
import { z } from "zod";

export const faultServices = ["ses", "sms", "dynamodb"] as const;
export type FaultService = (typeof faultServices)[number];

const fraction = z.number().min(0).max(1);
const e164 = z
  .string()
  .regex(/^\+[1-9]\d{1,14}$/, "must be a phone number in E.164 format, e.g. +447700900123");

/** The fault settings: `{}` turns every fault off. */
export const FaultSettings = z.strictObject({
  /** The fraction (0–1) of each service's HTTP attempts refused with a throttling error. */
  transient: z
    .strictObject({ ses: fraction.default(0), sms: fraction.default(0), dynamodb: fraction.default(0) })
    .prefault({}),
  /** Recipients every send to whom fails permanently: SES MessageRejected, SMS ValidationException. */
  permanent: z
    .strictObject({ emails: z.array(z.email()).default([]), phones: z.array(e164).default([]) })
    .prefault({}),
  /** Seeds the random draws, so a run can be repeated; a random seed is chosen (and shown) when absent. */
  seed: z.number().int().min(0).max(0xffff_ffff).optional(),
});
export type FaultSettings = z.output<typeof FaultSettings>;
export type FaultSettingsInput = z.input<typeof FaultSettings>;

/** Reads CONVENE_FAULTS (JSON); unset or empty turns faults off. A bad value stops the start. */
export const faultSettingsFromEnv = (text: string | undefined): FaultSettings => {
  if (!text?.trim()) return FaultSettings.parse({});
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("CONVENE_FAULTS is not JSON");
  }
  const parsed = FaultSettings.safeParse(json);
  if (!parsed.success) throw new Error(`CONVENE_FAULTS is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
};

/** mulberry32: a small, fast, seedable generator; good enough to decide which request fails. */
export const seededRandom = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const drawsPerService = (seed: number): Record<FaultService, () => number> => ({
  ses: seededRandom(seed),
  sms: seededRandom(seed ^ 0x5bd1e995),
  dynamodb: seededRandom(seed ^ 0x1b873593),
});

const perService = () => ({ ses: 0, sms: 0, dynamodb: 0 });

/** What GET /api/local/faults answers: the settings in force and what they did since the start. */
export interface FaultReport {
  settings: FaultSettings & { seed: number };
  /** HTTP attempts seen per service (retries included). */
  attempts: Record<FaultService, number>;
  injected: {
    transient: Record<FaultService, number>;
    permanent: Record<Exclude<FaultService, "dynamodb">, number>;
  };
}

/**
 * Decides, per HTTP attempt, whether a request fails, and counts what it did. One injector
 * serves every client of a runtime; `configure` changes the settings at run time.
 */
export class FaultInjector {
  private current: FaultSettings & { seed: number };
  /** One sequence of draws per service: one service's traffic does not shift another's faults. */
  private random: Record<FaultService, () => number>;
  private readonly attempts = perService();
  private readonly transient = perService();
  private readonly permanent = { ses: 0, sms: 0 };

  constructor(settings: FaultSettingsInput = {}) {
    this.current = this.seeded(FaultSettings.parse(settings));
    this.random = drawsPerService(this.current.seed);
  }

  /** Replaces the settings (and restarts the random draws from the seed); counts carry on. */
  configure(settings: FaultSettingsInput): void {
    this.current = this.seeded(FaultSettings.parse(settings));
    this.random = drawsPerService(this.current.seed);
  }

  report(): FaultReport {
    return {
      settings: structuredClone(this.current),
      attempts: { ...this.attempts },
      injected: { transient: { ...this.transient }, permanent: { ...this.permanent } },
    };
  }

  /** Adds the injector to one SDK client of the given service; returns the client. */
  attach<C extends { middlewareStack: Pick<MiddlewareStack<object, object>, "add"> }>(
    client: C,
    service: FaultService,
  ): C {
    const middleware: DeserializeMiddleware<object, object> = (next, context) => async (args) => {
      const fault = this.decide(service, context.commandName, args.input);
      // The response stands in for AWS's: the SDK's deserializer (outside this middleware)
      // turns it into the service's modelled exception, and its retry middleware decides.
      return fault ? { response: fault } : next(args);
    };
    client.middlewareStack.add(middleware, {
      step: "deserialize",
      priority: "low",
      name: "conveneFaultInjection",
      override: true,
    });
    return client;
  }

  private seeded(settings: FaultSettings): FaultSettings & { seed: number } {
    return { ...settings, seed: settings.seed ?? randomInt(0, 0xffff_ffff) };
  }

  /** The error response for this attempt, or undefined to let it through. */
  private decide(
    service: FaultService,
    command: string | undefined,
    input: object,
  ): HttpResponse | undefined {
    this.attempts[service] += 1;
    const permanent = this.permanentFault(service, command, input);
    if (permanent) {
      this.permanent[permanent.service] += 1;
      return permanent.response;
    }
    const rate = this.current.transient[service];
    if (rate <= 0 || this.random[service]() >= rate) return undefined;
    this.transient[service] += 1;
    return throttled[service]();
  }

  private permanentFault(service: FaultService, command: string | undefined, input: object) {
    const { emails, phones } = this.current.permanent;
    if (service === "ses" && command === "SendEmailCommand" && emails.length > 0) {
      const { Destination } = input as SendEmailCommandInput;
      const listed = new Set(emails.map((e) => e.toLowerCase()));
      const recipients = [
        ...(Destination?.ToAddresses ?? []),
        ...(Destination?.CcAddresses ?? []),
        ...(Destination?.BccAddresses ?? []),
      ].map(addressOf);
      if (recipients.some((r) => listed.has(r))) return { service, response: messageRejected() } as const;
    }
    if (service === "sms" && command === "SendTextMessageCommand" && phones.length > 0) {
      const { DestinationPhoneNumber } = input as SendTextMessageCommandInput;
      if (DestinationPhoneNumber && phones.includes(DestinationPhoneNumber))
        return { service, response: smsValidation() } as const;
    }
    return undefined;
  }
}

/** The address of `Name <address>` or of a bare address, lower-cased. */
const addressOf = (recipient: string) =>
  (/<([^>]+)>\s*$/.exec(recipient)?.[1] ?? recipient).trim().toLowerCase();

// --- AWS-shaped error responses (no personal data in any message: errors get logged) ---------

const response = (statusCode: number, headers: Record<string, string>, body: object): HttpResponse => ({
  statusCode,
  headers: { "x-amzn-requestid": randomUUID(), ...headers },
  body: new TextEncoder().encode(JSON.stringify(body)),
});

const json10 = { "content-type": "application/x-amz-json-1.0" };
const injected = "(injected by the local fault settings)";

const throttled: Record<FaultService, () => HttpResponse> = {
  // DynamoDB (AWS JSON 1.0): what an on-demand table's hot partition answers.
  dynamodb: () =>
    response(400, json10, {
      __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
      message: `The level of configured provisioned throughput for the table was exceeded ${injected}`,
    }),
  // SESv2 (REST JSON): the error's name travels in x-amzn-errortype.
  ses: () =>
    response(
      429,
      { "content-type": "application/json", "x-amzn-errortype": "TooManyRequestsException" },
      { message: `Too many requests ${injected}` },
    ),
  // End User Messaging SMS (AWS JSON 1.0).
  sms: () =>
    response(400, json10, {
      __type: "ThrottlingException",
      Message: `Rate exceeded ${injected}`,
    }),
};

const messageRejected = () =>
  response(
    400,
    { "content-type": "application/json", "x-amzn-errortype": "MessageRejected" },
    { message: `The message was rejected for a recipient ${injected}` },
  );

const smsValidation = () =>
  response(400, json10, {
    __type: "ValidationException",
    Message: `The destination phone number cannot receive messages ${injected}`,
    Reason: "INVALID_PARAMETER",
    Fields: [{ Name: "DestinationPhoneNumber", Message: `cannot receive messages ${injected}` }],
  });
