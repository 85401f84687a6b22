// The local fault injector against the real SDK clients and the shared emulators: it refuses a
// chosen fraction of HTTP attempts with each service's throttling error (which the SDK retries),
// fails listed recipients permanently with the service's own error (which it does not), never
// lets a refused request reach the emulator, and injects nothing when off.

import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import {
  MessageRejected,
  SendEmailCommand,
  SESv2Client,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { ensureBusTable } from "#adapters/local/bus-journal.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { readSmsSink } from "#infra/local/emulators/sms-sink.ts";
import {
  FaultInjector,
  FaultSettings,
  faultSettingsFromEnv,
  type FaultService,
} from "#infra/local/fault-injection.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const run = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const domain = `faults-${run}.example.org`;
const tableName = `faults-${run}`;

/** Clients of the three services with the injector attached; maxAttempts 1 shows every attempt. */
const clients = (faults: FaultInjector, config: { maxAttempts?: number } = {}) => ({
  dynamo: faults.attach(
    new DynamoDBClient({ ...local, ...config, endpoint: inject("dynamoEndpoint") }),
    "dynamodb",
  ),
  ses: faults.attach(new SESv2Client({ ...local, ...config, endpoint: inject("sesEndpoint") }), "ses"),
  sms: faults.attach(
    new PinpointSMSVoiceV2Client({ ...local, ...config, endpoint: inject("smsEndpoint") }),
    "sms",
  ),
});
type Clients = ReturnType<typeof clients>;

const email = (to: string, subject = `Faults ${run}`) =>
  new SendEmailCommand({
    FromEmailAddress: "Convene <reminders@convene.localhost>",
    Destination: { ToAddresses: [to] },
    Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: "A reminder." } } } },
  });
const sms = (to: string, body = `Faults ${run}`) =>
  new SendTextMessageCommand({ DestinationPhoneNumber: to, MessageBody: body, MessageType: "TRANSACTIONAL" });
const putItem = (id: string) =>
  new PutItemCommand({ TableName: tableName, Item: { PK: { S: `FAULT#${id}` }, SK: { S: "ITEM" } } });

/** One call per service; returns each outcome's error name ("ok" when it went through). */
const call = async (c: Clients, service: FaultService, i: number, tag = "any"): Promise<string> => {
  const send = {
    dynamodb: () => c.dynamo.send(putItem(`${service}-${i}`)),
    ses: () => c.ses.send(email(`member-${i}@${tag}.${domain}`)),
    sms: () => c.sms.send(sms(`+4477009${String(i).padStart(5, "0")}`)),
  }[service];
  return send().then(
    () => "ok",
    (error: unknown) => (error instanceof Error ? error.name : "unknown"),
  );
};

const throttling = {
  dynamodb: ProvisionedThroughputExceededException.name,
  ses: TooManyRequestsException.name,
  sms: ThrottlingException.name,
};

const sesMailTo = async (to: string) =>
  (await readSesStore(inject("sesEndpoint"))).filter((e) => e.destination.to.includes(to));
const smsTo = async (to: string) =>
  (await readSmsSink(inject("smsEndpoint"))).filter((m) => m.DestinationPhoneNumber === to);

beforeAll(async () => {
  const dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  // A key-value table like the bus journal's (no stream, no index).
  await ensureBusTable(dynamo, tableName);
  dynamo.destroy();
});

describe("fault injection", () => {
  test("with faults off nothing is injected and every call goes through", async () => {
    const faults = new FaultInjector({});
    const c = clients(faults, { maxAttempts: 1 });
    const outcomes: string[] = [];
    for (const service of ["dynamodb", "ses", "sms"] as const)
      for (let i = 0; i < 20; i++) outcomes.push(await call(c, service, 1000 + i));

    expect(outcomes.filter((o) => o !== "ok")).toEqual([]);
    expect(faults.report()).toMatchObject({
      attempts: { dynamodb: 20, ses: 20, sms: 20 },
      injected: { transient: { dynamodb: 0, ses: 0, sms: 0 }, permanent: { ses: 0, sms: 0 } },
    });
  });

  test("a chosen fraction of attempts is refused with each service's throttling error", async () => {
    const faults = new FaultInjector({ transient: { dynamodb: 0.25, ses: 0.25, sms: 0.25 }, seed: 42 });
    // One attempt per call, so each refused attempt is seen here rather than retried.
    const c = clients(faults, { maxAttempts: 1 });
    const calls = 200;
    for (const service of ["dynamodb", "ses", "sms"] as const) {
      const outcomes: string[] = [];
      for (let i = 0; i < calls; i++) outcomes.push(await call(c, service, i, "fraction"));
      const refused = outcomes.filter((o) => o !== "ok");

      // Every refusal is the service's throttling error, and the injector counted each one.
      expect(new Set(refused)).toEqual(new Set([throttling[service]]));
      expect(faults.report().injected.transient[service]).toBe(refused.length);
      // Roughly the fraction asked for (binomial, n = 200, p = 0.25: sd ≈ 6 calls).
      expect(refused.length).toBeGreaterThan(calls * 0.15);
      expect(refused.length).toBeLessThan(calls * 0.35);
    }
    // A refused request never reached the emulator: only the calls that went through were sent.
    const sent = (await readSesStore(inject("sesEndpoint"))).filter((e) =>
      e.destination.to[0]?.endsWith(`@fraction.${domain}`),
    );
    expect(sent.length).toBe(calls - faults.report().injected.transient.ses);
  });

  test("the same seed refuses the same attempts", async () => {
    const pattern = async () => {
      const c = clients(new FaultInjector({ transient: { sms: 0.5 }, seed: 7 }), { maxAttempts: 1 });
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i++) outcomes.push(await call(c, "sms", 2000 + i));
      return outcomes;
    };
    const first = await pattern();
    expect(first).toContain("ThrottlingException");
    expect(await pattern()).toEqual(first);
  });

  test("the SDK's own retries absorb transient faults; each accepted request is sent once", async () => {
    // The SDK's default retry settings (SES: 3 attempts, DynamoDB: 4), as the runtime has them.
    const faults = new FaultInjector({ transient: { dynamodb: 0.4, ses: 0.4 }, seed: 3 });
    const c = clients(faults);
    const results: { service: string; attempts: number; ok: boolean }[] = [];
    for (let i = 0; i < 6; i++) {
      const to = `retried-${i}@${domain}`;
      await c.ses.send(email(to)).then(
        (out) => results.push({ service: "ses", attempts: out.$metadata.attempts ?? 1, ok: true }),
        (e: TooManyRequestsException) =>
          results.push({ service: "ses", attempts: e.$metadata.attempts ?? 1, ok: false }),
      );
      await c.dynamo.send(putItem(`retried-${i}`)).then(
        (out) => results.push({ service: "dynamodb", attempts: out.$metadata.attempts ?? 1, ok: true }),
        (e: ProvisionedThroughputExceededException) =>
          results.push({ service: "dynamodb", attempts: e.$metadata.attempts ?? 1, ok: false }),
      );
    }

    // Some call succeeded only on a later attempt: the SDK retried the injected fault itself.
    expect(results.filter((r) => r.ok && r.attempts > 1).map((r) => r.service)).toEqual(
      expect.arrayContaining(["ses", "dynamodb"]),
    );
    // Every refused attempt was counted: the attempts beyond one success per call were faults.
    for (const service of ["ses", "dynamodb"] as const) {
      const mine = results.filter((r) => r.service === service);
      const refused = mine.reduce((n, r) => n + r.attempts - (r.ok ? 1 : 0), 0);
      expect(faults.report().injected.transient[service]).toBe(refused);
    }
    // A message accepted after retries was sent exactly once.
    for (let i = 0; i < 6; i++) {
      const ok = results.filter((r) => r.service === "ses")[i]!.ok;
      expect(await sesMailTo(`retried-${i}@${domain}`)).toHaveLength(ok ? 1 : 0);
    }
    const item = await c.dynamo.send(
      new GetItemCommand({ TableName: tableName, Key: { PK: { S: "FAULT#retried-0" }, SK: { S: "ITEM" } } }),
    );
    expect(item.Item).toBeDefined();
  });

  test("a listed address or number fails permanently, every time, with the service's own error", async () => {
    const blocked = `Blocked.Member@${domain}`;
    const phone = "+447700900123";
    const faults = new FaultInjector({ permanent: { emails: [blocked], phones: [phone] } });
    const c = clients(faults); // default retries: a permanent error is not retried

    for (let i = 0; i < 3; i++) {
      // Matched without regard to case, and inside a display name.
      const rejected = await c.ses
        .send(email(`"A Member" <blocked.member@${domain}>`))
        .catch((e: unknown) => e);
      expect(rejected).toBeInstanceOf(MessageRejected);
      expect((rejected as MessageRejected).$metadata.attempts).toBe(1);

      const invalid = await c.sms.send(sms(phone, `Permanent ${run}`)).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(ValidationException);
      expect(invalid).toMatchObject({ Reason: "INVALID_PARAMETER", $metadata: { attempts: 1 } });
    }
    expect(faults.report().injected.permanent).toEqual({ ses: 3, sms: 3 });
    expect(await sesMailTo(`blocked.member@${domain}`)).toEqual([]);
    expect((await smsTo(phone)).filter((m) => m.MessageBody === `Permanent ${run}`)).toEqual([]);

    // Others go through meanwhile; and once the setting changes, so does the listed address.
    await expect(c.ses.send(email(`someone-else@${domain}`))).resolves.toMatchObject({
      MessageId: expect.any(String) as string,
    });
    faults.configure({});
    await expect(c.ses.send(email(`blocked.member@${domain}`))).resolves.toMatchObject({
      MessageId: expect.any(String) as string,
    });
    expect(await sesMailTo(`blocked.member@${domain}`)).toHaveLength(1);
  });
});

describe("fault settings", () => {
  test("are validated: fractions in 0–1, known services, real addresses and E.164 numbers", () => {
    expect(FaultSettings.parse({})).toEqual({
      transient: { ses: 0, sms: 0, dynamodb: 0 },
      permanent: { emails: [], phones: [] },
    });
    for (const bad of [
      { transient: { ses: 1.5 } },
      { transient: { s3: 0.1 } },
      { permanent: { emails: ["not-an-address"] } },
      { permanent: { phones: ["07700 900123"] } },
      { seed: -1 },
      { transinet: {} },
    ])
      expect(FaultSettings.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  test("come from CONVENE_FAULTS, and a bad value says what is wrong", () => {
    expect(faultSettingsFromEnv(undefined).transient).toEqual({ ses: 0, sms: 0, dynamodb: 0 });
    expect(faultSettingsFromEnv('{"transient":{"ses":0.2},"seed":42}')).toMatchObject({
      transient: { ses: 0.2, sms: 0, dynamodb: 0 },
      seed: 42,
    });
    expect(() => faultSettingsFromEnv("{transient")).toThrow("CONVENE_FAULTS is not JSON");
    expect(() => faultSettingsFromEnv('{"transient":{"ses":2}}')).toThrow(
      /CONVENE_FAULTS is not valid.*\n.*transient\.ses/s,
    );
  });

  test("a seed is chosen and shown when none is given, so a run can be repeated", () => {
    const { seed } = new FaultInjector({ transient: { ses: 0.1 } }).report().settings;
    expect(Number.isInteger(seed)).toBe(true);
  });
});
