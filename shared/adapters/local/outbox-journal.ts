import type { SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import type { SendTextMessageCommandInput } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import type { InitializeMiddleware, MiddlewareStack } from "@smithy/types";
import { BatchedWrites } from "#adapters/aws/dynamodb/batched-writes.ts";
import { itemKind } from "#adapters/aws/dynamodb/item-kind.ts";
import type { TableClient } from "#adapters/aws/dynamodb/table-client.ts";
import type { Clock } from "#ports/clock.ts";
import * as z from "#validation/zod-mini.ts";

// What was sent, locally: not the transactional outbox of events (ORG#…#OUTBOX#…), but the
// list /api/local/outbox shows, kept in the local bus's table (no stream) so that a restart
// keeps it.
const partition = "LOCAL#SENT";

/**
 * One message as the journal keeps it: the message itself is one JSON attribute, as the
 * provider took it.
 */
const sentItem = itemKind<{ channel: "email" | "sms"; messageId: string; sentAt: string; message: string }>()(
  "local-sent",
  z.object({
    channel: z.enum(["email", "sms"]),
    messageId: z.string(),
    sentAt: z.string(),
    message: z.string(),
  }),
);

/** One email the SES emulator accepted, as its SendEmail request carried it (Simple content). */
export interface SentEmail {
  channel: "email";
  /** SES's MessageId: an email SES accepted twice is two entries. */
  messageId: string;
  /** The platform clock's time (advanced by /api/local/clock/advance), not the wall clock. */
  sentAt: string;
  from: string;
  to: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  /** contentType as sent (parameters included); content in base64. */
  attachments: { filename?: string; contentType: string; content: string }[];
}

/** One SMS the SMS sink accepted, with the SendTextMessage fields it records. */
export interface SentSms {
  channel: "sms";
  messageId: string;
  sentAt: string;
  DestinationPhoneNumber: string;
  MessageBody: string;
  OriginationIdentity?: string;
  ConfigurationSetName?: string;
  MessageType?: string;
  Context?: Record<string, string>;
  TimeToLive?: number;
}

export type SentMessage = SentEmail | SentSms;

type Accepted = { MessageId?: string };

/** How long a record waits for others to share its write: a send returns this much later at most. */
const recordWindowMs = 10;

/**
 * The local stand-in for the providers' own record of what they accepted (SES's sending
 * history): every email the SES emulator and every SMS the SMS sink accepted, one item per
 * provider MessageId, with the platform clock's time. It is fed by SDK middleware on the local
 * SES and SMS clients, so it records each request exactly as the provider received it, and
 * nothing the provider refused.
 *
 * Crash-safety: the item is written only after the provider accepted the message (its
 * MessageId came back), and before the send returns to the caller. A crash between the two
 * loses only the emulator's in-memory copy, which dies with the process anyway; the caller has
 * not seen the send succeed, so its claim is not "sent" and a redelivery sends again, and the
 * journal lists that send. A failed journal write is thrown for the same reason.
 */
export class OutboxJournal {
  /** The sends of one moment are recorded together, 25 a request. */
  private readonly writes: BatchedWrites;

  constructor(
    private readonly table: TableClient,
    private readonly clock: Clock,
  ) {
    this.writes = new BatchedWrites(table.doc, table.tableName, recordWindowMs);
  }

  /** Journals what this SES or SMS client's provider accepts; returns the client. */
  keep<C extends { middlewareStack: Pick<MiddlewareStack<object, object>, "add"> }>(client: C): C {
    const middleware: InitializeMiddleware<object, object> = (next, context) => async (args) => {
      const result = await next(args);
      const messageId = (result.output as Accepted).MessageId;
      if (messageId && context.commandName === "SendEmailCommand")
        await this.record(sentEmail(messageId, this.now(), args.input as SendEmailCommandInput));
      const sms = args.input as SendTextMessageCommandInput;
      // A dry run is validated and answered, never sent.
      if (messageId && context.commandName === "SendTextMessageCommand" && !sms.DryRun)
        await this.record(sentSms(messageId, this.now(), sms));
      return result;
    };
    client.middlewareStack.add(middleware, {
      step: "initialize",
      name: "conveneOutboxJournal",
      override: true,
    });
    return client;
  }

  /** Everything sent, oldest first (by the platform clock). */
  async list(): Promise<SentMessage[]> {
    const items = await this.table.queryAll(sentItem, {
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": partition },
      ConsistentRead: true,
    });
    return items.map((item) => JSON.parse(item.message) as SentMessage);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private async record(message: SentMessage): Promise<void> {
    await this.writes.put(
      sentItem.item(
        { PK: partition, SK: `${message.sentAt}#${message.messageId}` },
        {
          channel: message.channel,
          messageId: message.messageId,
          sentAt: message.sentAt,
          message: JSON.stringify(message),
        },
      ),
    );
  }
}

const sentEmail = (messageId: string, sentAt: string, input: SendEmailCommandInput): SentEmail => {
  // Convene's SesMailer sends Simple content only; other kinds keep their envelope.
  const simple = input.Content?.Simple;
  return {
    channel: "email",
    messageId,
    sentAt,
    from: input.FromEmailAddress ?? "",
    to: input.Destination?.ToAddresses ?? [],
    replyTo: input.ReplyToAddresses ?? [],
    subject: simple?.Subject?.Data ?? "",
    text: simple?.Body?.Text?.Data,
    html: simple?.Body?.Html?.Data,
    headers: Object.fromEntries((simple?.Headers ?? []).map((h) => [h.Name ?? "", h.Value ?? ""])),
    attachments: (simple?.Attachments ?? []).map((a) => ({
      filename: a.FileName,
      contentType: a.ContentType ?? "application/octet-stream",
      content: Buffer.from(a.RawContent ?? new Uint8Array()).toString("base64"),
    })),
  };
};

const sentSms = (messageId: string, sentAt: string, input: SendTextMessageCommandInput): SentSms => ({
  channel: "sms",
  messageId,
  sentAt,
  DestinationPhoneNumber: input.DestinationPhoneNumber ?? "",
  MessageBody: input.MessageBody ?? "",
  OriginationIdentity: input.OriginationIdentity,
  ConfigurationSetName: input.ConfigurationSetName,
  MessageType: input.MessageType,
  Context: input.Context,
  TimeToLive: input.TimeToLive,
});
