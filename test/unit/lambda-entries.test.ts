import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, Context, SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { apiFunctionApp } from "#functions/api/app.ts";
import { planningFunctionApp } from "#functions/planning-api/app.ts";
import { apiEntry } from "#functions/api/entry.ts";
import {
  composeLambdaRuntime,
  environmentVariableNames,
  InvalidEnvironment,
  makeSettings,
  readEnvironment,
  type LambdaRuntime,
} from "#functions/composition-root.ts";
import { eventEntry, type BusDelivery } from "#functions/event-entry.ts";
import { logger } from "#functions/logger.ts";
import { MalformedOutboxRecord, relayOutboxRecords } from "#functions/outbox-relay/handler.ts";
import { portNeeds } from "#functions/port-needs.ts";
import { Unauthenticated, type VerifyToken } from "#access/token-verifier.ts";
import { outboxRecord } from "#adapters/aws/dynamodb/outbox-record.ts";
import { DynamoStore } from "#adapters/aws/dynamodb/dynamo-store.ts";
import { EventBridgeScheduler } from "#adapters/aws/eventbridge-scheduler.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { newEvent } from "#domain/new-event.ts";
import { systemClock } from "#ports/clock.ts";
import type { Ports } from "#ports/ports.ts";

// The Lambda side without AWS: entries are driven with the events Lambda would pass, and the
// ports come from a test composition (plain objects standing in for the store; no SDK client
// is mocked). What needs AWS itself (DynamoDB, SES) is covered by the connected tests.

const context = {
  functionName: "convene-test",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:eu-west-2:123456789012:function:convene-test",
  memoryLimitInMB: "256",
  awsRequestId: "req-1",
  logGroupName: "/aws/lambda/convene-test",
  logStreamName: "stream",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const scheduled = (): ConveneEvent =>
  newEvent(
    "SessionScheduled",
    { organisationId: "org-1", groupId: "grp-1" },
    {
      session: {
        id: "ses-1",
        version: 1,
        title: "Tuesday group",
        startLocal: "2026-06-09T19:00",
        timeZone: "Europe/London",
        durationMinutes: 90,
        duties: [],
      },
    },
    new Date("2026-06-01T09:00:00Z"),
  );

const delivered = (detail: unknown, detailType = "SessionScheduled"): BusDelivery => ({
  version: "0",
  id: "bus-event-1",
  "detail-type": detailType,
  source: "convene",
  account: "123456789012",
  time: "2026-06-01T09:00:01Z",
  region: "eu-west-2",
  resources: [],
  detail,
});

const testPorts = (store: Partial<Ports["store"]> = {}) =>
  ({
    store,
    clock: systemClock,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    // The API's OpenAPI document names the deployment's base URL as its server.
    settings: { publicBaseUrl: "https://convene.example.org" },
  }) as unknown as Ports;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("an event function's entry", () => {
  const recording = () => {
    const seen: { ports: Ports; event: ConveneEvent }[] = [];
    let factories = 0;
    const create = (ports: Ports): EventHandler => {
      factories++;
      return (event) => {
        seen.push({ ports, event });
        return Promise.resolve();
      };
    };
    return { seen, create, factories: () => factories };
  };

  it("rejects a malformed detail, so the invocation fails and is retried or dead-lettered, untouched", async () => {
    const { seen, create } = recording();
    const runtime = vi.fn(() => Promise.resolve({ ports: testPorts() }));
    const handler = eventEntry(create, runtime);
    const logged = vi.spyOn(logger, "error").mockImplementation(() => {});
    const { data: _data, ...withoutData } = scheduled();

    await expect(handler(delivered(withoutData), context)).rejects.toMatchObject({
      name: "MalformedEventError",
    });
    await expect(handler(delivered({ type: "NoSuchEvent" }, "NoSuchEvent"), context)).rejects.toMatchObject({
      name: "MalformedEventError",
    });
    expect(seen).toEqual([]);
    expect(runtime).not.toHaveBeenCalled();
    // The reason is logged by field path and ids only: no value of the detail.
    expect(logged).toHaveBeenCalledWith("malformed event rejected", {
      eventId: "bus-event-1",
      detailType: "SessionScheduled",
      fields: ["data"],
    });
  });

  it("rejects an envelope whose type is not the event's detail-type", async () => {
    const { seen, create } = recording();
    const handler = eventEntry(create, () => Promise.resolve({ ports: testPorts() }));
    vi.spyOn(logger, "error").mockImplementation(() => {});
    await expect(handler(delivered(scheduled(), "SessionCancelled"), context)).rejects.toThrow(
      /does not match/,
    );
    expect(seen).toEqual([]);
  });

  it("hands a valid detail to the handler, built once from the composed ports", async () => {
    const { seen, create, factories } = recording();
    const ports = testPorts();
    const handler = eventEntry(create, () => Promise.resolve({ ports }));
    const event = scheduled();

    await handler(delivered(event), context);
    await handler(delivered(event), context);

    expect(seen).toHaveLength(2);
    expect(seen[0]!.event).toEqual(event);
    expect(seen[0]!.ports).toBe(ports);
    expect(factories()).toBe(1);
  });

  describe("from a route's queue (SQS, one delivery per message)", () => {
    const queued = (...bodies: string[]): SQSEvent =>
      ({
        Records: bodies.map((body, i) => ({ messageId: `msg-${i + 1}`, body, eventSource: "aws:sqs" })),
      }) as SQSEvent;

    it("hands each message's event to the handler, and reports no failure", async () => {
      const { seen, create } = recording();
      const handler = eventEntry(create, () => Promise.resolve({ ports: testPorts() }));
      const event = scheduled();
      await expect(handler(queued(JSON.stringify(delivered(event))), context)).resolves.toEqual({
        batchItemFailures: [],
      });
      expect(seen.map((s) => s.event)).toEqual([event]);
    });

    it("fails the invocation when every message failed (the usual batch of one), so its errors count and the message returns", async () => {
      const { seen, create } = recording();
      const handler = eventEntry(create, () => Promise.resolve({ ports: testPorts() }));
      vi.spyOn(logger, "error").mockImplementation(() => {});
      await expect(handler(queued("not json"), context)).rejects.toMatchObject({
        name: "MalformedEventError",
      });
      const { data: _data, ...withoutData } = scheduled();
      await expect(handler(queued(JSON.stringify(delivered(withoutData))), context)).rejects.toMatchObject({
        name: "MalformedEventError",
      });
      expect(seen).toEqual([]);
    });

    it("reports only the failed messages of a larger batch, so only they are received again", async () => {
      const { seen, create } = recording();
      const handler = eventEntry(create, () => Promise.resolve({ ports: testPorts() }));
      const logged = vi.spyOn(logger, "error").mockImplementation(() => {});
      const event = scheduled();
      const out = await handler(queued(JSON.stringify(delivered(event)), "{}"), context);
      expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-2" }] });
      expect(seen.map((s) => s.event)).toEqual([event]);
      expect(logged).toHaveBeenCalledWith("queued event failed", {
        messageId: "msg-2",
        error: "MalformedEventError",
      });
    });
  });

  it("fails at cold start with every missing variable named when the function's environment is incomplete", async () => {
    vi.stubEnv("TABLE_NAME", undefined);
    vi.stubEnv("EVENT_BUS_ARN", "not-an-arn");
    const { handler } = await import("#functions/plan-session-reminders/index.ts");
    const failure = handler(delivered(scheduled()), context);
    await expect(failure).rejects.toBeInstanceOf(InvalidEnvironment);
    await expect(failure).rejects.toThrow(/TABLE_NAME.*EVENT_BUS_ARN: must be an ARN.*SCHEDULE_GROUP/);
  });
});

describe("the Lambda composition root", () => {
  const planEnv = {
    TABLE_NAME: "convene-test",
    EVENT_BUS_ARN: "arn:aws:events:eu-west-2:123456789012:event-bus/convene-test",
    SCHEDULE_GROUP: "convene-test-reminders",
    SCHEDULER_ROLE_ARN: "arn:aws:iam::123456789012:role/convene-test-scheduler",
  };

  it("validates only the variables of the function's needs", () => {
    expect(() => readEnvironment(portNeeds["plan-session-reminders"], planEnv)).not.toThrow();
    expect(() => readEnvironment(["settings"], planEnv)).toThrow(/FROM_ADDRESS.*LINK_SECRET_PARAMETER/);
    expect(environmentVariableNames(portNeeds["plan-session-reminders"])).not.toContain(
      "LINK_SECRET_PARAMETER",
    );
  });

  it("builds the real adapters for the needs and refuses any port the function was not given", async () => {
    vi.stubEnv("AWS_REGION", "eu-west-2");
    const runtime = await composeLambdaRuntime("plan-session-reminders", planEnv);
    expect(runtime.ports.store).toBeInstanceOf(DynamoStore);
    expect((runtime.ports.store as DynamoStore).tableName).toBe("convene-test");
    expect(runtime.ports.scheduler).toBeInstanceOf(EventBridgeScheduler);
    expect(() => Reflect.get(runtime.ports.mailer, "send")).toThrow(
      /plan-session-reminders was not given the mailer port/,
    );
    expect(() => runtime.ports.settings.linkSigningSecret).toThrow(/not given the settings port/);
    expect(runtime.verifyToken).toBeUndefined();
  });

  describe("reads the link-signing secret once, from Secrets Manager", () => {
    // Secrets Manager speaks JSON 1.1: POST / with X-Amz-Target naming the operation.
    let server: Server | undefined;
    afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

    const secretsManager = async (secretString: string) => {
      const targets: string[] = [];
      server = createServer((req, res) => {
        targets.push(String(req.headers["x-amz-target"]));
        req.resume().on("end", () => {
          res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
          res.end(
            JSON.stringify({
              ARN: "arn:aws:secretsmanager:eu-west-2:1:secret:link",
              SecretString: secretString,
            }),
          );
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      vi.stubEnv("AWS_REGION", "eu-west-2");
      vi.stubEnv("AWS_ACCESS_KEY_ID", "contract");
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", "contract");
      vi.stubEnv("AWS_ENDPOINT_URL_SECRETS_MANAGER", `http://127.0.0.1:${port}`);
      return targets;
    };

    const settingsEnv = {
      FROM_ADDRESS: "reminders@convene.example.org",
      PUBLIC_BASE_URL: "https://convene.example.org",
      REPLY_DOMAIN: "reply.convene.example.org",
      LINK_SECRET_PARAMETER: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:convene-link",
    };

    it("as the settings' signing key", async () => {
      const targets = await secretsManager("k".repeat(64));
      const settings = await makeSettings(settingsEnv);
      expect(targets).toEqual(["secretsmanager.GetSecretValue"]);
      expect(settings.linkSigningSecret).toEqual(new TextEncoder().encode("k".repeat(64)));
      expect(settings.publicBaseUrl).toBe("https://convene.example.org");
      expect(settings.replyDomain).toBe("reply.convene.example.org");
    });

    it("and refuses one shorter than 32 bytes", async () => {
      await secretsManager("short");
      await expect(makeSettings(settingsEnv)).rejects.toThrow(/at least 32 bytes/);
    });
  });
});

describe("the API function's entry", () => {
  const httpEvent = (
    method: string,
    path: string,
    headers: Record<string, string> = {},
  ): APIGatewayProxyEventV2 => ({
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: { host: "api.example", ...headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example",
      domainPrefix: "api",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "vitest" },
      requestId: "r1",
      routeKey: "$default",
      stage: "$default",
      time: "01/Jun/2026:09:00:00 +0000",
      timeEpoch: 1780304400000,
    },
    isBase64Encoded: false,
  });

  const composed = (store: Partial<Ports["store"]>, verifyToken?: VerifyToken) =>
    vi.fn((): Promise<Pick<LambdaRuntime, "ports" | "verifyToken">> =>
      Promise.resolve({ ports: testPorts(store), verifyToken }),
    );

  it("serves the same Hono app: the OpenAPI document needs no token", async () => {
    const runtime = composed({}, () => Promise.reject(new Error("not called")));
    const handler = apiEntry(runtime, apiFunctionApp);
    const response = await handler(httpEvent("GET", "/api/v1/openapi.json") as never, context);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ openapi: "3.1.0" });
    await handler(httpEvent("GET", "/api/v1/openapi.json") as never, context);
    expect(runtime).toHaveBeenCalledTimes(1);
  });

  it("documents a series' operations but leaves them to the planning-api function, which serves only those", async () => {
    const verify: VerifyToken = () =>
      Promise.resolve({ subject: "u1", role: "umbrella-admin", organisationId: "org-1", groupIds: [] });
    const seriesPath = "/api/v1/organisations/org-1/groups/grp-1/series";
    const bearer = { authorization: "Bearer good" };
    const api = apiEntry(composed({}, verify), apiFunctionApp);
    const document = JSON.parse(
      (await api(httpEvent("GET", "/api/v1/openapi.json") as never, context)).body,
    ) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/organisations/{organisationId}/groups/{groupId}/series",
        "/api/v1/organisations/{organisationId}/groups/{groupId}/series/{seriesId}/end",
      ]),
    );
    const refused = await api(httpEvent("GET", seriesPath, bearer) as never, context);
    expect(refused.statusCode, refused.body).toBe(404);

    const ports = { ...testPorts(), series: { listSeries: () => Promise.resolve([]) } } as unknown as Ports;
    const series = apiEntry(() => Promise.resolve({ ports, verifyToken: verify }), planningFunctionApp);
    const listed = await series(httpEvent("GET", seriesPath, bearer) as never, context);
    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body)).toEqual({ items: [] });
    // Nothing else: not the document, nor the other operations (the token is asked for first).
    expect((await series(httpEvent("GET", "/api/v1/openapi.json") as never, context)).statusCode).toBe(401);
    for (const path of ["/api/v1/openapi.json", "/api/v1/organisations/org-1"])
      expect((await series(httpEvent("GET", path, bearer) as never, context)).statusCode, path).toBe(404);
  });

  it("verifies the bearer token and reaches the composed store", async () => {
    const verify: VerifyToken = (token) =>
      token === "good"
        ? Promise.resolve({ subject: "u1", role: "umbrella-admin", organisationId: "org-1", groupIds: [] })
        : Promise.reject(new Unauthenticated("the bearer token is not valid"));
    const handler = apiEntry(
      composed(
        { getOrganisation: (id: string) => Promise.resolve({ id, name: "Mind Northwest" } as never) },
        verify,
      ),
      apiFunctionApp,
    );

    const refused = await handler(httpEvent("GET", "/api/v1/organisations/org-1") as never, context);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers?.["content-type"]).toBe("application/problem+json");

    const allowed = await handler(
      httpEvent("GET", "/api/v1/organisations/org-1", { authorization: "Bearer good" }) as never,
      context,
    );
    expect(allowed.statusCode).toBe(200);
    expect(JSON.parse(allowed.body)).toMatchObject({ id: "org-1", name: "Mind Northwest" });
  });

  it("refuses to serve without a token verifier", async () => {
    const handler = apiEntry(composed({}), apiFunctionApp);
    await expect(handler(httpEvent("GET", "/api/v1/openapi.json") as never, context)).rejects.toThrow(
      /without a token verifier/,
    );
  });
});

describe("the outbox relay (the pipe's enrichment)", () => {
  const streamRecord = (item: Record<string, unknown>, eventName = "INSERT") => ({
    eventID: "e1",
    eventName,
    eventSource: "aws:dynamodb",
    dynamodb: {
      NewImage: Object.fromEntries(
        Object.entries(item).map(([k, v]) => [
          k,
          typeof v === "number" ? { N: String(v) } : { S: String(v) },
        ]),
      ),
    },
  });

  it("turns each inserted outbox record into the envelope it carries, as an object", () => {
    const event = scheduled();
    const out = relayOutboxRecords([streamRecord(outboxRecord(event))] as never);
    expect(out).toEqual([event]);
  });

  it("passes nothing else on: other item kinds, and changes that are not inserts", () => {
    const event = scheduled();
    const out = relayOutboxRecords([
      streamRecord({ PK: "ORG#org-1", SK: "GROUP#g", kind: "group" }),
      streamRecord(outboxRecord(event), "MODIFY"),
    ] as never);
    expect(out).toEqual([]);
  });

  it("throws on an outbox record whose detail is not a string, naming the record, so the pipe retries and then dead-letters the batch", () => {
    const event = scheduled();
    const good = streamRecord(outboxRecord(event));
    const withDetail = (detail: unknown) => {
      const record = streamRecord(outboxRecord(event));
      const { detail: _string, ...rest } = record.dynamodb.NewImage;
      return { ...record, dynamodb: { NewImage: detail === undefined ? rest : { ...rest, detail } } };
    };
    for (const bad of [withDetail({ M: { type: { S: event.type } } }), withDetail(undefined)]) {
      const relay = () => relayOutboxRecords([good, bad] as never);
      expect(relay).toThrow(MalformedOutboxRecord);
      expect(relay).toThrow(`ORG#${event.organisationId}#OUTBOX#${event.id}`);
    }
  });

  it("throws on an outbox record whose detail is not JSON, naming the record and quoting none of it", () => {
    const event = scheduled();
    const record = { ...outboxRecord(event), detail: '{"name": "Ann Example", not json' };
    const relay = () => relayOutboxRecords([streamRecord(record)] as never);
    expect(relay).toThrow(MalformedOutboxRecord);
    expect(relay).toThrow(
      `ORG#${event.organisationId}#OUTBOX#${event.id} OUTBOX has a detail that is not JSON`,
    );
    try {
      relay();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("Ann");
    }
  });
});
