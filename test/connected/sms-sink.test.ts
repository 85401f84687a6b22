// Contract test of the local SMS sink against the REAL AWS SDK client for AWS End User
// Messaging SMS (PinpointSMSVoiceV2): if the SDK can talk to it, so can our SMS adapter.

import {
  DescribePhoneNumbersCommand,
  PinpointSMSVoiceV2Client,
  PinpointSMSVoiceV2ServiceException,
  SendTextMessageCommand,
  ValidationException,
  type SendTextMessageCommandInput,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  clearSmsSink,
  readSmsSink,
  startSmsSink,
  type SmsSinkService,
} from "#infra/local/emulators/sms-sink.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("SMS sink (PinpointSMSVoiceV2 over AWS JSON 1.0)", () => {
  let sink: SmsSinkService;
  let client: PinpointSMSVoiceV2Client;

  beforeAll(async () => {
    sink = await startSmsSink({ port: 0 });
    client = new PinpointSMSVoiceV2Client({
      endpoint: sink.endpoint,
      region: "eu-west-2",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await sink?.stop();
  });
  beforeEach(() => sink.clear());

  const valid: SendTextMessageCommandInput = {
    DestinationPhoneNumber: "+447700900123",
    MessageBody: "Reminder: Monday group at 18:00. Reply 1 to confirm.",
    OriginationIdentity: "Convene",
    ConfigurationSetName: "convene-sms",
    MessageType: "TRANSACTIONAL",
    Context: { reminderId: "rem-1", memberId: "mem-9" },
  };

  async function validationErrorOf(input: SendTextMessageCommandInput): Promise<ValidationException> {
    const error = await client.send(new SendTextMessageCommand(input)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationException);
    return error as ValidationException;
  }

  test("records a SendTextMessage and answers its MessageId", async () => {
    const result = await client.send(new SendTextMessageCommand(valid));
    expect(result.MessageId).toMatch(UUID);
    expect(result.$metadata.httpStatusCode).toBe(200);

    const recorded = sink.messages();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      MessageId: result.MessageId,
      DestinationPhoneNumber: "+447700900123",
      MessageBody: valid.MessageBody,
      OriginationIdentity: "Convene",
      ConfigurationSetName: "convene-sms",
      MessageType: "TRANSACTIONAL",
      Context: { reminderId: "rem-1", memberId: "mem-9" },
    });
    expect(Date.parse(recorded[0]!.receivedAt)).not.toBeNaN();

    // The same, over HTTP.
    expect(await readSmsSink(sink.endpoint)).toEqual(recorded);
    await clearSmsSink(sink.endpoint);
    expect(await readSmsSink(sink.endpoint)).toEqual([]);
  });

  test("an invalid phone number is the SDK's ValidationException and is not recorded", async () => {
    const error = await validationErrorOf({ ...valid, DestinationPhoneNumber: "07700 900123" });
    expect(error.name).toBe("ValidationException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.Reason).toBe("FIELD_VALIDATION_FAILED");
    expect(error.Fields?.map((f) => f.Name)).toEqual(["DestinationPhoneNumber"]);
    expect(error.message).toMatch(
      /1 validation error detected: Value '07700 900123' at 'destinationPhoneNumber'/,
    );
    expect(sink.messages()).toEqual([]);
  });

  test.each([
    ["without the leading +", "447700900123"],
    ["too long for E.164", "+4477009001234567"],
    ["starting with 0", "+0447700900123"],
  ])("a destination %s is refused", async (_label, destination) => {
    const error = await validationErrorOf({ ...valid, DestinationPhoneNumber: destination });
    expect(error.Fields?.[0]?.Name).toBe("DestinationPhoneNumber");
  });

  test("the body is required, not blank, and at most 1600 characters (code points)", async () => {
    const missing = await validationErrorOf({ ...valid, MessageBody: undefined });
    expect(missing.Reason).toBe("MISSING_PARAMETER");
    expect(missing.Fields?.map((f) => f.Name)).toEqual(["MessageBody"]);

    expect((await validationErrorOf({ ...valid, MessageBody: " \n " })).Fields?.[0]?.Name).toBe(
      "MessageBody",
    );
    expect(
      (await validationErrorOf({ ...valid, MessageBody: "x".repeat(1601) })).Fields?.[0]?.Message,
    ).toMatch(/length less than or equal to 1600/);

    // 1600 emoji are 3200 UTF-16 units but 1600 characters: accepted.
    const longest = "🙂".repeat(1600);
    await client.send(new SendTextMessageCommand({ ...valid, MessageBody: longest }));
    expect(sink.messages()[0]?.MessageBody).toBe(longest);
  });

  test("other fields we use are checked against the service model", async () => {
    const error = await validationErrorOf({
      ...valid,
      // @ts-expect-error -- deliberately outside the enum
      MessageType: "URGENT",
      ConfigurationSetName: "has spaces",
      Context: { a: "1", b: "2", c: "3", d: "4", e: "5", f: "6" },
    });
    expect(error.Fields?.map((f) => f.Name).sort()).toEqual([
      "ConfigurationSetName",
      "Context",
      "MessageType",
    ]);
    expect(error.message).toMatch(/^3 validation errors detected/);
  });

  test("a DryRun is validated and answered but not recorded", async () => {
    const result = await client.send(new SendTextMessageCommand({ ...valid, DryRun: true }));
    expect(result.MessageId).toMatch(UUID);
    expect(sink.messages()).toEqual([]);
    await validationErrorOf({ ...valid, DestinationPhoneNumber: "nope", DryRun: true });
  });

  test("any other operation is an UnknownOperationException", async () => {
    const error = await client.send(new DescribePhoneNumbersCommand({})).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PinpointSMSVoiceV2ServiceException);
    expect((error as PinpointSMSVoiceV2ServiceException).name).toBe("UnknownOperationException");
    expect((error as PinpointSMSVoiceV2ServiceException).$metadata.httpStatusCode).toBe(400);

    const response = await fetch(sink.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "PinpointSMSVoiceV2.SendVoiceMessage",
        authorization: "AWS4-HMAC-SHA256 Credential=local/20250101/eu-west-2/sms-voice/aws4_request",
      },
      body: "{}",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: "UnknownOperationException",
      message: expect.stringContaining("PinpointSMSVoiceV2.SendVoiceMessage") as unknown,
    });
  });

  test("unsigned requests and malformed JSON are refused like AWS would", async () => {
    const unsigned = await fetch(sink.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "PinpointSMSVoiceV2.SendTextMessage",
      },
      body: JSON.stringify({ DestinationPhoneNumber: "+447700900123", MessageBody: "hi" }),
    });
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { __type: string }).__type).toBe(
      "MissingAuthenticationTokenException",
    );

    const malformed = await fetch(sink.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "PinpointSMSVoiceV2.SendTextMessage",
        authorization: "AWS4-HMAC-SHA256 Credential=local/20250101/eu-west-2/sms-voice/aws4_request",
      },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { __type: string }).__type).toBe("SerializationException");
    expect(sink.messages()).toEqual([]);
  });

  test("stop() closes the port", async () => {
    const other = await startSmsSink();
    await other.stop();
    await expect(fetch(`${other.endpoint}/messages`)).rejects.toThrow();
    await other.stop();
  });
});
