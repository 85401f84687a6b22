import type { SESEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { InboundMail, ReplyOutcome } from "#functions/receive-reply/handler.ts";
import {
  inboundMailOf,
  MalformedSesEvent,
  maxInboundBytes,
  objectKeyOf,
  readInboundMailLocation,
  receiptOf,
  receiveSesReceipt,
  type RawMailSource,
  type SesReceipt,
} from "#functions/receive-reply/ses-receipt.ts";

// The SES side of the receive-reply entry without AWS: the event SES's Lambda action sends
// (shape from the SES developer guide), mapped to the handler's InboundMail; the stored mail
// comes from an in-memory source standing in for the bucket (no SDK client is mocked).

const sesEvent = (
  receipt: Record<string, unknown> = {},
  messageId = "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g01",
): SESEvent =>
  ({
    Records: [
      {
        eventSource: "aws:ses",
        eventVersion: "1.0",
        ses: {
          mail: {
            timestamp: "2026-05-01T10:00:00.000Z",
            source: "member@example.com",
            messageId,
            destination: ["ballot+tok@reply.convene.example.org"],
            headersTruncated: false,
            headers: [],
            commonHeaders: {},
          },
          receipt: {
            timestamp: "2026-05-01T10:00:00.000Z",
            processingTimeMillis: 222,
            recipients: ["ballot+tok@reply.convene.example.org"],
            spamVerdict: { status: "PASS" },
            virusVerdict: { status: "PASS" },
            spfVerdict: { status: "PASS" },
            dkimVerdict: { status: "PASS" },
            dmarcVerdict: { status: "PASS" },
            action: {
              type: "Lambda",
              functionArn: "arn:aws:lambda:eu-west-2:123456789012:function:x",
              invocationType: "Event",
            },
            ...receipt,
          },
        },
      },
    ],
  }) as unknown as SESEvent;

const raw = Buffer.from(
  "From: member@example.com\r\nTo: ballot+tok@reply.convene.example.org\r\n\r\nYes\r\n",
);

/** The bucket as a map; records what was asked of it. */
const memorySource = (objects: Record<string, Buffer | number>) => {
  const asked: string[] = [];
  const source: RawMailSource = {
    size(key) {
      asked.push(`size ${key}`);
      const o = objects[key];
      if (o === undefined) return Promise.reject(new Error("NotFound"));
      return Promise.resolve(typeof o === "number" ? o : o.length);
    },
    read(key) {
      asked.push(`read ${key}`);
      const o = objects[key];
      if (!(o instanceof Buffer)) return Promise.reject(new Error("cannot read"));
      return Promise.resolve(o);
    },
  };
  return { source, asked };
};

const recording = () => {
  const received: InboundMail[] = [];
  const receive = (mail: InboundMail): Promise<ReplyOutcome> => {
    received.push(mail);
    return Promise.resolve("counted");
  };
  return { received, receive };
};

describe("reading SES's receipt", () => {
  it("takes the message id, the matched recipients and the DMARC verdict", () => {
    expect(receiptOf(sesEvent({ dmarcVerdict: { status: "FAIL" } }, "abc-123"))).toEqual({
      messageId: "abc-123",
      recipients: ["ballot+tok@reply.convene.example.org"],
      dmarcVerdict: "FAIL",
      virusVerdict: "PASS",
      spamVerdict: "PASS",
    });
  });

  it("leaves out a DMARC status that is no verdict (DISABLED, absent)", () => {
    expect(receiptOf(sesEvent({ dmarcVerdict: { status: "DISABLED" } })).dmarcVerdict).toBeUndefined();
    expect(receiptOf(sesEvent({ dmarcVerdict: undefined })).dmarcVerdict).toBeUndefined();
    for (const status of ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED"] as const)
      expect(receiptOf(sesEvent({ dmarcVerdict: { status } })).dmarcVerdict).toBe(status);
  });

  it("refuses an event without a receipt, or a message id that could not be an S3 key of SES's", () => {
    expect(() => receiptOf({ Records: [] })).toThrow(MalformedSesEvent);
    expect(() => receiptOf(sesEvent({}, "../other/key"))).toThrow(MalformedSesEvent);
    expect(() => receiptOf(sesEvent({}, ""))).toThrow(MalformedSesEvent);
    expect(() =>
      receiptOf({ Records: [{ ses: { mail: { messageId: "abc" } } }] } as unknown as SESEvent),
    ).toThrow(MalformedSesEvent);
  });

  it("names the object the S3 action stored: the prefix and the message id", () => {
    expect(objectKeyOf("replies/", { messageId: "abc-123" })).toBe("replies/abc-123");
    expect(objectKeyOf("", { messageId: "abc-123" })).toBe("abc-123");
  });

  it("maps the receipt and the raw bytes to the handler's InboundMail, as the SMTP server does", () => {
    const receipt: SesReceipt = receiptOf(sesEvent({ dmarcVerdict: { status: "GRAY" } }));
    expect(inboundMailOf(receipt, raw)).toEqual({
      raw,
      recipients: ["ballot+tok@reply.convene.example.org"],
      dmarcVerdict: "GRAY",
    });
    expect(inboundMailOf(receiptOf(sesEvent({ dmarcVerdict: undefined })), raw)).not.toHaveProperty(
      "dmarcVerdict",
    );
  });
});

describe("receiving one SES receipt", () => {
  const receipt = (r: Record<string, unknown> = {}) => receiptOf(sesEvent(r, "msg-1"));

  it("reads the stored mail (size first) and hands it to the handler", async () => {
    const { source, asked } = memorySource({ "replies/msg-1": raw });
    const { received, receive } = recording();
    await expect(receiveSesReceipt(receipt(), { source, prefix: "replies/", receive })).resolves.toBe(
      "counted",
    );
    expect(asked).toEqual(["size replies/msg-1", "read replies/msg-1"]);
    expect(received).toEqual([
      { raw, recipients: ["ballot+tok@reply.convene.example.org"], dmarcVerdict: "PASS" },
    ]);
  });

  it("drops a mail SES found a virus in, without reading it", async () => {
    const { source, asked } = memorySource({ "replies/msg-1": raw });
    const { received, receive } = recording();
    await expect(
      receiveSesReceipt(receipt({ virusVerdict: { status: "FAIL" } }), {
        source,
        prefix: "replies/",
        receive,
      }),
    ).resolves.toBe("virus");
    expect(asked).toEqual([]);
    expect(received).toEqual([]);
  });

  it("still hands over a mail SES judged spam: only a valid token from the member's address counts", async () => {
    const { source } = memorySource({ "replies/msg-1": raw });
    const { received, receive } = recording();
    await receiveSesReceipt(receipt({ spamVerdict: { status: "FAIL" } }), {
      source,
      prefix: "replies/",
      receive,
    });
    expect(received).toHaveLength(1);
  });

  it("refuses a mail over 10 MB after the HEAD, without reading it", async () => {
    expect(maxInboundBytes).toBe(10 * 1024 * 1024);
    const { source, asked } = memorySource({ "replies/msg-1": maxInboundBytes + 1 });
    const { received, receive } = recording();
    await expect(receiveSesReceipt(receipt(), { source, prefix: "replies/", receive })).resolves.toBe(
      "oversized",
    );
    expect(asked).toEqual(["size replies/msg-1"]);
    expect(received).toEqual([]);
  });

  it("reads a mail of exactly the limit", async () => {
    const exact = Buffer.alloc(maxInboundBytes, 0x61);
    const { source } = memorySource({ "replies/msg-1": exact });
    const { received, receive } = recording();
    await receiveSesReceipt(receipt(), { source, prefix: "replies/", receive });
    expect(received[0]!.raw.length).toBe(maxInboundBytes);
  });

  it("drops a receipt with no recipient on the reply domain, without reading", async () => {
    const { source, asked } = memorySource({ "replies/msg-1": raw });
    const { receive } = recording();
    await expect(
      receiveSesReceipt(receipt({ recipients: [] }), { source, prefix: "replies/", receive }),
    ).resolves.toBe("no-recipient");
    expect(asked).toEqual([]);
  });

  it("fails (so Lambda retries) when the stored mail cannot be found", async () => {
    const { source } = memorySource({});
    const { receive } = recording();
    await expect(receiveSesReceipt(receipt(), { source, prefix: "replies/", receive })).rejects.toThrow(
      "NotFound",
    );
  });
});

describe("where the mail is stored (the entry's own environment)", () => {
  it("reads the bucket and the prefix, which may be empty", () => {
    expect(
      readInboundMailLocation({ INBOUND_MAIL_BUCKET: "convene-inbound-1", INBOUND_MAIL_PREFIX: "replies/" }),
    ).toEqual({
      bucket: "convene-inbound-1",
      prefix: "replies/",
    });
    expect(
      readInboundMailLocation({ INBOUND_MAIL_BUCKET: "convene-inbound-1", INBOUND_MAIL_PREFIX: "" }),
    ).toEqual({
      bucket: "convene-inbound-1",
      prefix: "",
    });
  });

  it("names every missing or mangled variable", () => {
    expect(readInboundMailLocation({})).toEqual({
      problems: [
        "INBOUND_MAIL_BUCKET: must be an S3 bucket name",
        "INBOUND_MAIL_PREFIX: must be set (it may be empty)",
      ],
    });
    expect(
      readInboundMailLocation({ INBOUND_MAIL_BUCKET: "Not A Bucket", INBOUND_MAIL_PREFIX: "" }),
    ).toHaveProperty("problems");
  });
});
