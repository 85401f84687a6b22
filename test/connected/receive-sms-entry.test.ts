// The receive-sms Lambda entry (functions/receive-sms/sns-texts.ts) as SNS invokes it, with the
// real handler and adapters: DynamoStore on DynamoDB Local and the SMS adapter to the sink.
// Only the composition is the test's: the ports a Lambda runtime would build from its
// environment are built here against the emulators.

import { randomInt, randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import type { Context, SNSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { EndUserMessagingSmsSender } from "#adapters/aws/sms-sender.ts";
import { createReceiveSms } from "#functions/receive-sms/handler.ts";
import { snsTextsEntry } from "#functions/receive-sms/sns-texts.ts";
import { ensureTable } from "#infra/local/composition-root.ts";
import { readSmsSink } from "#infra/local/emulators/sms-sink.ts";
import { systemClock } from "#ports/clock.ts";
import type { Ports } from "#ports/ports.ts";
import { recordingLog } from "./local-runtime-fixtures.ts";

const local = { region: "eu-west-2", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const tableName = `convene-${randomUUID()}`;
const context = { awsRequestId: "req-1", functionName: "convene-test-receive-sms" } as unknown as Context;
const clients: { destroy(): void }[] = [];
const { log, lines } = recordingLog();
let store: DynamoStore;
let sms: EndUserMessagingSmsSender;

/** The runtime a function with receive-sms's needs would compose; what it lacks is never reached. */
const runtimeOn = (s: DynamoStore) => () =>
  Promise.resolve({ ports: { store: s, sms, clock: systemClock, log } as unknown as Ports });

beforeAll(async () => {
  const dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint") });
  const smsClient = new PinpointSMSVoiceV2Client({
    ...local,
    endpoint: inject("smsEndpoint"),
    maxAttempts: 1,
  });
  clients.push(dynamo, smsClient);
  await ensureTable(dynamo, tableName);
  store = new DynamoStore(dynamo, tableName);
  sms = new EndUserMessagingSmsSender(smsClient);
});

afterAll(() => {
  for (const client of clients) client.destroy();
});

const ukMobile = () => `+447${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;

const aMemberWith = async (phone: string) => {
  const o = randomUUID();
  const id = randomUUID();
  const createdAt = new Date().toISOString();
  await store.createOrganisation({ id: o, name: "Northfield Network", createdAt });
  await store.createMember({
    organisationId: o,
    id,
    name: "Sam Example",
    email: `${id}@example.org`,
    phone,
    reminders: [{ channel: "sms", offsetMinutes: 120 }],
    unsubscribed: [],
    createdAt,
  });
  return { o, id };
};

/** What SNS hands the function: one record, its message AWS's inbound JSON, as a string. */
const snsEvent = (message: string | undefined, messageId = randomUUID()): SNSEvent =>
  ({
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: "arn:aws:sns:eu-west-2:123456789012:convene-dev-inbound-sms:sub-1",
        Sns: {
          Type: "Notification",
          MessageId: messageId,
          TopicArn: "arn:aws:sns:eu-west-2:123456789012:convene-dev-inbound-sms",
          Subject: null,
          Message: message,
          Timestamp: "2026-12-08T02:00:00.000Z",
          SignatureVersion: "1",
          Signature: "EXAMPLE",
          SigningCertUrl: "https://sns.eu-west-2.amazonaws.com/cert.pem",
          UnsubscribeUrl: "https://sns.eu-west-2.amazonaws.com/?Action=Unsubscribe",
          MessageAttributes: {},
        },
      },
    ],
  }) as unknown as SNSEvent;

const textFrom = (from: string, body: string, inboundMessageId: string = randomUUID()) =>
  JSON.stringify({
    originationNumber: from,
    destinationNumber: "+447700900000",
    messageKeyword: "KEYWORD_123456789012",
    messageBody: body,
    inboundMessageId,
    previousPublishedMessageId: "",
  });

const textsTo = async (phone: string) =>
  (await readSmsSink(inject("smsEndpoint"))).filter((m) => m.DestinationPhoneNumber === phone);

describe("the receive-sms entry, as SNS invokes it", () => {
  it("hands the record's message to the handler: STOP opts out and is confirmed once, however often SNS delivers it", async () => {
    const phone = ukMobile();
    const { o, id } = await aMemberWith(phone);
    const handler = snsTextsEntry(createReceiveSms, runtimeOn(store));
    const event = snsEvent(textFrom(phone, "STOP"));

    expect(await handler(event, context)).toEqual([
      { kind: "opted-out", members: 1, changed: 1, reply: "sent" },
    ]);
    expect(await handler(event, context)).toEqual([
      { kind: "opted-out", members: 1, changed: 0, reply: "already-sent" },
    ]);
    expect((await store.getMember(o, id))!.smsConsent?.state).toBe("withdrawn");
    expect(await textsTo(phone)).toHaveLength(1);
  });

  it("answers a malformed record with an outcome, not a failure (delivering it again would change nothing)", async () => {
    const handler = snsTextsEntry(createReceiveSms, runtimeOn(store));
    expect(await handler(snsEvent("not json"), context)).toEqual([
      { kind: "malformed", fields: ["(message is not JSON)"] },
    ]);
    expect(await handler(snsEvent(undefined), context)).toEqual([
      { kind: "malformed", fields: ["(payload)"] },
    ]);
    expect(
      await handler(
        snsEvent(JSON.stringify({ originationNumber: "07700 900123", messageBody: "hi" })),
        context,
      ),
    ).toEqual([
      { kind: "malformed", fields: ["originationNumber", "destinationNumber", "inboundMessageId"] },
    ]);
  });

  it("throws when the store fails, so Lambda retries the text and then dead-letters it", async () => {
    const dynamo = new DynamoDBClient({ ...local, endpoint: inject("dynamoEndpoint"), maxAttempts: 1 });
    clients.push(dynamo);
    const missing = new DynamoStore(dynamo, `convene-missing-${randomUUID()}`);
    const handler = snsTextsEntry(createReceiveSms, runtimeOn(missing));
    await expect(handler(snsEvent(textFrom(ukMobile(), "STOP")), context)).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("logs outcomes, never the number or the words", () => {
    expect(lines.filter((l) => l.message === "inbound sms handled").length).toBeGreaterThanOrEqual(5);
    const logged = JSON.stringify(lines);
    expect(logged).not.toMatch(/\+447\d{9}/);
    expect(logged).not.toMatch(/STOP|07700 900123/);
  });
});
