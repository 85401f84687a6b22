// The paced mailer against DynamoDB Local and the SES emulator: a send SES throttles is tried
// again while its delivery claim stays "sending" (a redelivery meanwhile must wait), each member
// still gets one email; the daily quota gives the claim back at once; and the local runtime's
// mailer keeps the rate it is given, as each Lambda instance does with CONVENE_SEND_RATE.

import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { HttpResponse } from "@smithy/types";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import { DeliveryInFlightError, deliverEach, deliverOnce } from "#delivery/deliver-once.ts";
import { pacedMailer } from "#delivery/paced-mailer.ts";
import { composeLocalRuntime, ensureTable, type LocalRuntime } from "#infra/local/composition-root.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import { recordingLog } from "./api-harness.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const tableName = `paced-${randomUUID()}`;
let dynamo: DynamoDBClient;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName, 60_000);
});

afterAll(async () => {
  await dynamo?.send(new DeleteTableCommand({ TableName: tableName }));
  dynamo?.destroy();
});

const email = (to: string): OutgoingEmail => ({
  from: "reminders@convene.localhost",
  to,
  subject: "Tuesday's group",
  text: "See you on Tuesday.",
  html: "<p>See you on Tuesday.</p>",
});

/** SES's answer over a limit, as SESv2 sends it (the SDK's deserializer makes the exception). */
const throttled = (name: string, message: string, statusCode: number): HttpResponse => ({
  statusCode,
  headers: { "content-type": "application/json", "x-amzn-errortype": name, "x-amzn-requestid": randomUUID() },
  body: new TextEncoder().encode(JSON.stringify({ message })),
});

/**
 * An SES client (one attempt a call, so SES's answer reaches the mailer) whose first attempt for
 * each address is refused with `refusal`; `onRefused` runs when it is.
 */
const refusingFirstAttempts = (refusal: () => HttpResponse, onRefused: (to: string) => Promise<void>) => {
  const client = new SESv2Client({ ...local, endpoint: inject("sesEndpoint"), maxAttempts: 1 });
  const refused = new Set<string>();
  client.middlewareStack.add(
    (next) => async (args) => {
      const to = (args.input as { Destination?: { ToAddresses?: string[] } }).Destination?.ToAddresses?.[0];
      if (to && !refused.has(to)) {
        refused.add(to);
        await onRefused(to);
        return { response: refusal(), output: undefined as never };
      }
      return next(args);
    },
    { step: "deserialize", priority: "low", name: "refuseFirstAttempt" },
  );
  return { client, refused };
};

const sentTo = async (addresses: readonly string[]) => {
  const wanted = new Set(addresses);
  return (await readSesStore(inject("sesEndpoint")))
    .flatMap((e) => e.destination.to)
    .filter((to) => wanted.has(to));
};

describe("a send SES throttles for its rate", () => {
  test("is tried again with its claim held, so a redelivery meanwhile waits, and every member gets one email", async () => {
    const o = randomUUID();
    const members = Array.from({ length: 6 }, (_, i) => `member-${i}-${randomUUID()}@example.org`);
    const redeliveries: Promise<unknown>[] = [];
    const { client, refused } = refusingFirstAttempts(
      () => throttled("TooManyRequestsException", "Maximum sending rate exceeded.", 429),
      (to) => {
        // While SES throttles this send, the same message is delivered again (a duplicate event).
        redeliveries.push(
          deliverOnce(store, o, `reminder#${to}`, new Date(), () => Promise.resolve()).catch(
            (e: unknown) => e,
          ),
        );
        return Promise.resolve();
      },
    );
    const mailer = pacedMailer(new SesMailer(client));

    const outcomes = await deliverEach(members, (to) =>
      deliverOnce(store, o, `reminder#${to}`, new Date(), () => mailer.send(email(to))),
    );

    expect(outcomes).toEqual(members.map(() => "sent"));
    expect([...refused].sort()).toEqual([...members].sort());
    // Every redelivery found the claim still "sending": none was given up while SES throttled.
    const waited = await Promise.all(redeliveries);
    expect(waited).toHaveLength(members.length);
    for (const outcome of waited) expect(outcome).toBeInstanceOf(DeliveryInFlightError);
    expect((await sentTo(members)).sort()).toEqual([...members].sort());
    client.destroy();
  });

  test("is not waited out when the daily quota is spent: the claim is given back at once, for the event's retry", async () => {
    const o = randomUUID();
    const to = `member-${randomUUID()}@example.org`;
    const { client } = refusingFirstAttempts(
      () => throttled("ThrottlingException", "Daily message quota exceeded.", 400),
      () => Promise.resolve(),
    );
    const mailer = pacedMailer(new SesMailer(client));
    const started = performance.now();
    await expect(
      deliverOnce(store, o, "ballot", new Date(), () => mailer.send(email(to))),
    ).rejects.toMatchObject({ message: expect.stringMatching(/daily message quota/i) as unknown });
    expect(performance.now() - started).toBeLessThan(5_000); // no backoff was slept
    // The retry (the next receive of the event) claims it afresh and sends.
    expect(await deliverOnce(store, o, "ballot", new Date(), () => mailer.send(email(to)))).toBe("sent");
    expect(await sentTo([to])).toEqual([to]);
    client.destroy();
  });
});

describe("the local runtime's mailer", () => {
  let runtime: LocalRuntime;
  const runtimeTable = `paced-runtime-${randomUUID()}`;

  beforeAll(async () => {
    runtime = await composeLocalRuntime({
      endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
      tableName: runtimeTable,
      settings: {
        publicBaseUrl: "http://127.0.0.1:3000",
        replyDomain: "reply.convene.test",
        fromAddress: "Convene <r@convene.localhost>",
        linkSigningSecret: new Uint8Array(32).fill(7),
      },
      log: recordingLog(),
      sendRatePerSecond: 20,
    });
  });

  afterAll(async () => {
    await runtime?.dynamo.send(new DeleteTableCommand({ TableName: runtimeTable }));
    runtime?.dynamo.destroy();
  });

  test("sends no faster than the rate it is given, however many sends are asked for at once", async () => {
    const asked: number[] = [];
    runtime.ses.middlewareStack.add(
      (next) => (args) => {
        asked.push(performance.now());
        return next(args);
      },
      { step: "initialize", name: "recordSendTimes" },
    );
    const members = Array.from({ length: 8 }, (_, i) => `paced-${i}-${randomUUID()}@example.org`);
    await Promise.all(members.map((to) => runtime.ports.mailer.send(email(to))));
    expect(asked).toHaveLength(members.length);
    // 20 a second: the sends' turns are 50 ms apart, so 8 span 350 ms; the first may start a
    // little after its turn (timers and the event loop), hence one interval of slack. Unpaced,
    // they would all leave within a few milliseconds.
    expect(asked.at(-1)! - asked[0]!).toBeGreaterThanOrEqual((members.length - 2) * 50);
    expect((await sentTo(members)).sort()).toEqual([...members].sort());
  });
});
