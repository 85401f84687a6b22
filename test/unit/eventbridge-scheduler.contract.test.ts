import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { atExpression, EventBridgeScheduler } from "#adapters/aws/eventbridge-scheduler.ts";
import { localDateTimeAt, wallTimeInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { reminderScheduleName, scheduleNamePattern } from "#domain/schedule-name.ts";

// EventBridge Scheduler has no local emulator, so this contract test runs the real SDK client
// against a tiny HTTP server that records what the client sends and answers as the service
// does (CreateSchedule: POST /schedules/{Name}, JSON in and out; a name in use is a 409 with
// x-amzn-errortype ConflictException). It pins the request our adapter serialises.

interface Recorded {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

const bus = "arn:aws:events:eu-west-2:123456789012:event-bus/convene-test";
const role = "arn:aws:iam::123456789012:role/convene-test-scheduler";
const dlq = "arn:aws:sqs:eu-west-2:123456789012:convene-test-schedules-dlq";

let server: Server;
let requests: Recorded[] = [];
let answer: Answer;
let scheduler: EventBridgeScheduler;

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

const respond = (res: ServerResponse, { status, headers, body }: Answer) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      requests.push({
        method: req.method ?? "",
        path: decodeURIComponent(req.url ?? ""),
        body: JSON.parse(raw || "{}") as Record<string, unknown>,
      });
      respond(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = new SchedulerClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "eu-west-2",
    credentials: { accessKeyId: "contract", secretAccessKey: "contract" },
    maxAttempts: 1,
  });
  scheduler = new EventBridgeScheduler(client, {
    groupName: "convene-test-reminders",
    eventBusArn: bus,
    roleArn: role,
    deadLetterQueueArn: dlq,
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  requests = [];
  answer = {
    status: 200,
    body: { ScheduleArn: "arn:aws:scheduler:eu-west-2:123456789012:schedule/convene-test-reminders/x" },
  };
});

const reminderDue = (dueAt: string): ConveneEvent =>
  newEvent(
    "SessionReminderDue",
    { organisationId: "org-1", groupId: "grp-1" },
    { sessionId: "ses-1", sessionVersion: 2, dueAt },
    new Date("2026-01-05T10:00:00Z"),
  );

const scheduleAt = async (dueAt: string, timeZone = "Europe/London") => {
  const event = reminderDue(dueAt);
  const name = reminderScheduleName({
    organisationId: "org-1",
    sessionId: "ses-1",
    sessionVersion: 2,
    dueAt,
  });
  await scheduler.scheduleOnce({ name, at: new Date(dueAt), timeZone, event });
  expect(requests).toHaveLength(1);
  return { request: requests[0]!, name, event };
};

describe("EventBridgeScheduler against the CreateSchedule protocol", () => {
  it("creates a one-time schedule in the group's zone that puts the envelope on the bus and deletes itself", async () => {
    const { request, name, event } = await scheduleAt("2026-06-10T17:00:00.000Z");

    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/schedules/${name}`);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(scheduleNamePattern);
    expect(request.body).toMatchObject({
      GroupName: "convene-test-reminders",
      ScheduleExpression: "at(2026-06-10T18:00:00)", // 17:00 UTC is 18:00 BST
      ScheduleExpressionTimezone: "Europe/London",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      Target: {
        Arn: bus,
        RoleArn: role,
        EventBridgeParameters: { Source: "convene", DetailType: "SessionReminderDue" },
        DeadLetterConfig: { Arn: dlq },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
      },
    });
    const input = JSON.parse((request.body.Target as { Input: string }).Input) as unknown;
    expect(input).toEqual(event);
    expect(parseEvent(input)).toEqual(event);
  });

  it("writes both instants of London's repeated autumn hour in UTC, so each fires exactly when planned", async () => {
    // 25 October 2026: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    const first = await scheduleAt("2026-10-25T00:30:00.000Z");
    expect(first.request.body).toMatchObject({
      ScheduleExpression: "at(2026-10-25T00:30:00)",
      ScheduleExpressionTimezone: "UTC",
    });
    requests = [];
    const second = await scheduleAt("2026-10-25T01:30:00.000Z");
    expect(second.request.body).toMatchObject({
      ScheduleExpression: "at(2026-10-25T01:30:00)",
      ScheduleExpressionTimezone: "UTC",
    });
    expect(second.name).not.toBe(first.name);
  });

  it("keeps the zone for the hour either side of the overlap", async () => {
    const before = await scheduleAt("2026-10-24T23:30:00.000Z");
    expect(before.request.body).toMatchObject({
      ScheduleExpression: "at(2026-10-25T00:30:00)",
      ScheduleExpressionTimezone: "Europe/London",
    });
    requests = [];
    const after = await scheduleAt("2026-10-25T02:30:00.000Z");
    expect(after.request.body).toMatchObject({
      ScheduleExpression: "at(2026-10-25T02:30:00)",
      ScheduleExpressionTimezone: "Europe/London",
    });
  });

  it("never writes a wall time from London's spring gap", async () => {
    // 29 March 2026: the clocks jump from 01:00 GMT to 02:00 BST. A session set for 01:30
    // starts at 02:30 BST (01:30 UTC); the skipped hour is never written as a zoned time.
    const atJump = await scheduleAt("2026-03-29T01:00:00.000Z");
    expect(atJump.request.body).toMatchObject({
      ScheduleExpression: "at(2026-03-29T02:00:00)",
      ScheduleExpressionTimezone: "Europe/London",
    });
    requests = [];
    const justBefore = await scheduleAt("2026-03-29T00:59:00.000Z");
    expect(justBefore.request.body).toMatchObject({
      ScheduleExpression: "at(2026-03-29T00:59:00)",
      ScheduleExpressionTimezone: "Europe/London",
    });
  });

  it("writes every instant of a transition night as a wall time that means only that instant", () => {
    // Independent check with the domain's own conversion: a zoned expression must name a wall
    // time that exists, happens once, and is the planned instant; otherwise it must be UTC.
    const nights = [
      ["Europe/London", "2026-03-28T22:00:00Z"],
      ["Europe/London", "2026-10-24T22:00:00Z"],
      ["Australia/Sydney", "2026-04-04T13:00:00Z"],
      ["America/New_York", "2026-03-08T05:00:00Z"],
    ] as const;
    for (const [zone, from] of nights) {
      for (let minute = 0; minute < 6 * 60; minute += 5) {
        const instant = new Date(Date.parse(from) + minute * 60_000);
        const { expression, timeZone } = atExpression(instant, zone);
        const wall = /^at\((.{16}):00\)$/.exec(expression)![1]!;
        const meaning = wallTimeInstant(wall, timeZone);
        expect(meaning.getTime(), `${zone} ${instant.toISOString()}`).toBe(instant.getTime());
        if (timeZone === zone) {
          const anHourLater = wallTimeInstant(wall, zone, "earlier").getTime() + 3_600_000;
          expect(localDateTimeAt(new Date(anHourLater), zone)).not.toBe(wall); // not the overlap's 2nd
        }
      }
    }
  });

  it("treats a name already in use (409 ConflictException) as the schedule being there", async () => {
    answer = {
      status: 409,
      headers: { "x-amzn-errortype": "ConflictException" },
      body: { Message: "Schedule rem-x already exists." },
    };
    await expect(scheduleAt("2026-06-10T17:00:00.000Z")).resolves.toBeDefined();
  });

  it("lets any other refusal reach the caller, so the event is retried", async () => {
    answer = {
      status: 400,
      headers: { "x-amzn-errortype": "ValidationException" },
      body: { Message: "Invalid schedule expression." },
    };
    await expect(
      scheduler.scheduleOnce({
        name: "rem-bad",
        at: new Date("2026-06-10T17:00:00Z"),
        timeZone: "Europe/London",
        event: reminderDue("2026-06-10T17:00:00.000Z"),
      }),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });
});

describe("atExpression", () => {
  it("rounds a fractional second up, so a schedule never fires before its instant", () => {
    expect(atExpression(new Date("2026-06-10T17:00:00.250Z"), "UTC")).toEqual({
      expression: "at(2026-06-10T17:00:01)",
      timeZone: "UTC",
    });
  });

  it("writes a zone with no daylight saving in that zone", () => {
    expect(atExpression(new Date("2026-10-25T00:30:00Z"), "Asia/Kolkata")).toEqual({
      expression: "at(2026-10-25T06:00:00)",
      timeZone: "Asia/Kolkata",
    });
  });

  it("handles the southern hemisphere's autumn overlap (Sydney, 5 April 2026, 02:00–03:00 twice)", () => {
    // 02:30 AEDT = 15:30 UTC on 4 April; 02:30 AEST = 16:30 UTC.
    expect(atExpression(new Date("2026-04-04T15:30:00Z"), "Australia/Sydney").timeZone).toBe("UTC");
    expect(atExpression(new Date("2026-04-04T16:30:00Z"), "Australia/Sydney").timeZone).toBe("UTC");
    expect(atExpression(new Date("2026-04-04T17:30:00Z"), "Australia/Sydney")).toEqual({
      expression: "at(2026-04-05T03:30:00)",
      timeZone: "Australia/Sydney",
    });
  });
});
