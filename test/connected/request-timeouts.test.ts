// Every AWS SDK client Convene creates bounds its requests: pointed at a server that accepts
// the connection and never answers, a call fails with a TimeoutError instead of hanging until
// the function's own timeout. The Lambda makers are run as the composition root runs them
// (the SDK reads AWS_ENDPOINT_URL, so their real clients reach the silent server).

import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { makeMailer, makeScheduler, makeSettings, makeSms, makeStore } from "#functions/composition-root.ts";
import { composeLocalRuntime } from "#infra/local/composition-root.ts";
import { recordingLog } from "./api-harness.ts";

let server: Server;
const sockets = new Set<Socket>();
let endpoint: string;
const saved: Record<string, string | undefined> = {};
const environment = {
  AWS_REGION: "eu-west-2",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  // One attempt, so each call shows its own bound (the SDK would retry a timeout twice more).
  AWS_MAX_ATTEMPTS: "1",
};

beforeAll(async () => {
  // Accepts every connection, reads what is sent, and never writes a byte back.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  endpoint = `http://127.0.0.1:${address.port}`;
  for (const [name, value] of Object.entries({ ...environment, AWS_ENDPOINT_URL: endpoint })) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  for (const socket of sockets) socket.destroy();
  await new Promise((closed) => server?.close(closed));
});

/** How a call ended: its error's name, or "answered". */
const outcome = (call: Promise<unknown>) =>
  call.then(
    () => "answered",
    (error: unknown) => (error instanceof Error ? error.name : String(error)),
  );

const arn = "arn:aws:events:eu-west-2:123456789012:event-bus/convene-test";

describe("the Lambda functions' clients", () => {
  test("DynamoDB, SES, SMS, Scheduler and Secrets Manager each give up on a request that never answers", async () => {
    const [store, mailer, sms, scheduler] = await Promise.all([
      makeStore({ TABLE_NAME: "convene-test" }),
      makeMailer({ SES_CONFIGURATION_SET: "convene-test-mail" }),
      makeSms({ SMS_CONFIGURATION_SET: "convene-test-sms" }),
      makeScheduler({
        EVENT_BUS_ARN: arn,
        SCHEDULE_GROUP: "convene-test-reminders",
        SCHEDULER_ROLE_ARN: "arn:aws:iam::123456789012:role/convene-test-scheduler",
      }),
    ]);
    const outcomes = await Promise.all([
      outcome(store.getGroup("org-1", "group-1")),
      outcome(
        mailer.send({
          to: "a@example.org",
          from: "b@example.org",
          subject: "s",
          text: "t",
          html: "<p>t</p>",
        }),
      ),
      outcome(sms.send({ to: "+447700900001", body: "b" })),
      outcome(
        scheduler.scheduleOnce({
          name: "rem-test",
          at: new Date("2030-01-01T09:00:00Z"),
          timeZone: "Europe/London",
          event: { type: "SessionReminderDue" } as never,
        }),
      ),
      // The settings read the link-signing secret as they are made.
      outcome(
        Promise.resolve(
          makeSettings({
            FROM_ADDRESS: "b@example.org",
            PUBLIC_BASE_URL: "https://convene.example.org",
            REPLY_DOMAIN: "reply.example.org",
            LINK_SECRET_PARAMETER: "convene-test/link-signing",
          }),
        ),
      ),
    ]);
    expect(outcomes).toEqual(Array.from({ length: 5 }, () => "TimeoutError"));
  });
});

describe("the local runtime's clients", () => {
  // Its bound is 30 s (the emulators are slow under load), too long to wait for here: the
  // clients are shown to carry it, and the Lambda clients above show what such a bound does.
  test("are created with a request timeout that throws", async () => {
    const tableName = `timeouts-${randomUUID()}`;
    const runtime = await composeLocalRuntime({
      endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
      tableName,
      settings: {
        fromAddress: "b@example.org",
        publicBaseUrl: "http://127.0.0.1",
        replyDomain: "reply.example.org",
        linkSigningSecret: new Uint8Array(32),
      },
      log: recordingLog(),
    });
    try {
      // A handler reads its options on its first request.
      await runtime.store.getGroup("org-1", "group-1");
      for (const client of [runtime.dynamo, runtime.services]) {
        const handler = client.config.requestHandler as unknown as {
          httpHandlerConfigs(): { requestTimeout?: number; throwOnRequestTimeout?: boolean };
        };
        const { requestTimeout, throwOnRequestTimeout } = handler.httpHandlerConfigs();
        expect(requestTimeout).toBeGreaterThan(0);
        expect(requestTimeout).toBeLessThanOrEqual(60_000);
        expect(throwOnRequestTimeout).toBe(true);
      }
    } finally {
      await runtime.services.send(new DeleteTableCommand({ TableName: tableName }));
    }
  });
});
