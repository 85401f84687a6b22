// The local way in for a text: POST /api/local/sms/inbound on the whole local platform, and the
// `npm run sms` CLI that posts there, hand AWS's inbound payload to the same handler as the SNS
// topic does on AWS; what it sends back shows in /api/local/outbox.

import { execFile } from "node:child_process";
import { randomInt, randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatform, type RunningPlatform } from "#infra/local/platform.ts";
import { createMember, createOrganisation } from "#use-cases/directory/manage-directory.ts";

let platform: RunningPlatform;
const phone = `+447${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;
let organisationId: string;

beforeAll(async () => {
  platform = await startPlatform({ port: 0, smtpPort: 0, background: false, faults: {} });
  const ports = platform.runtime.ports;
  organisationId = (await createOrganisation(ports, { name: "Westbrook Network" })).id;
  await createMember(ports, organisationId, {
    name: "Sam Example",
    email: `${randomUUID()}@example.org`,
    phone,
    reminders: [{ channel: "sms", offsetMinutes: 120 }],
  });
});

afterAll(async () => {
  await platform?.stop();
});

const inbound = async (payload: unknown) => {
  const response = await fetch(`${platform.url}/api/local/sms/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const textsTo = async (to: string) => {
  const response = await fetch(`${platform.url}/api/local/outbox`);
  const { sms } = (await response.json()) as {
    sms: { DestinationPhoneNumber: string; MessageBody: string }[];
  };
  return sms.filter((m) => m.DestinationPhoneNumber === to).map((m) => m.MessageBody);
};

describe("POST /api/local/sms/inbound", () => {
  it("acts on STOP once however often the same text arrives, and answers once", async () => {
    const text = {
      originationNumber: phone,
      destinationNumber: "+447700900000",
      messageBody: "STOP",
      inboundMessageId: randomUUID(),
    };
    expect(await inbound(text)).toEqual({
      status: 200,
      body: { kind: "opted-out", members: 1, changed: 1, reply: "sent" },
    });
    expect((await inbound(text)).body).toMatchObject({
      kind: "opted-out",
      changed: 0,
      reply: "already-sent",
    });
    expect(await textsTo(phone)).toEqual([
      "Westbrook Network: you will get no more texts from us. Reply START to get them again.",
    ]);
  });

  it("refuses a payload that is not AWS's, naming the fields", async () => {
    expect(await inbound({ originationNumber: phone, messageBody: "hi" })).toEqual({
      status: 400,
      body: { kind: "malformed", fields: ["destinationNumber", "inboundMessageId"] },
    });
  });

  it("is what `npm run sms` posts to", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "infra/local/sms.ts", "--from", phone, "--text", "help"],
      { env: { ...process.env, CONVENE_URL: platform.url } },
    );
    expect(JSON.parse(stdout)).toEqual({ kind: "help", reply: "sent" });
    expect((await textsTo(phone)).at(-1)).toMatch(/^Westbrook Network: .*Reply STOP to stop texts\.$/);
  });
});
