import { SendEmailCommand, SESv2Client, type SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { localClientOptions } from "#adapters/aws/client-options.ts";
import type { OutboxJournal, SentEmail } from "#adapters/local/outbox-journal.ts";
import type { Log } from "#ports/logger.ts";

/** Marks a restored copy, and says when the original was sent (the emulator stamps its own time). */
export const restoredHeaders = { from: "X-Convene-Restored-From", sentAt: "X-Convene-Sent-At" } as const;

const restoredInput = (email: SentEmail): SendEmailCommandInput => ({
  FromEmailAddress: email.from,
  Destination: { ToAddresses: email.to },
  ReplyToAddresses: email.replyTo.length > 0 ? email.replyTo : undefined,
  Content: {
    Simple: {
      Subject: { Data: email.subject, Charset: "UTF-8" },
      Body: {
        Text: email.text === undefined ? undefined : { Data: email.text, Charset: "UTF-8" },
        Html: email.html === undefined ? undefined : { Data: email.html, Charset: "UTF-8" },
      },
      Headers: [
        ...Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })),
        { Name: restoredHeaders.from, Value: email.messageId },
        { Name: restoredHeaders.sentAt, Value: email.sentAt },
      ],
      Attachments: email.attachments.map((a) => ({
        FileName: a.filename ?? "attachment",
        ContentType: a.contentType,
        ContentDisposition: "ATTACHMENT",
        RawContent: Buffer.from(a.content, "base64"),
      })),
    },
  },
});

/** A restore under way: `done` resolves with how many were shown; `stop` ends it early. */
export interface SesViewRestore {
  done: Promise<number>;
  stop(): Promise<void>;
}

/**
 * The SES emulator keeps mail in memory only, so after a restart its web view would be empty
 * though the journal kept everything. This sends the journal's emails to the fresh emulator
 * once, oldest first, through a client of its own: neither journalled again nor subject to
 * fault injection. Each copy carries the original's MessageId and platform time in headers;
 * the emulator's "At" is the restart's wall-clock time and its MessageIds are new ones, so
 * /api/local/outbox (the journal), not the emulator, is the record of what was sent.
 *
 * It runs in the background (about 6 ms an email, so a long-used state folder would hold up
 * the start by seconds) and never throws: the view is a convenience, the journal is intact.
 */
export const restoreSesView = (journal: OutboxJournal, sesEndpoint: string, log: Log): SesViewRestore => {
  const stopping = new AbortController();
  const done = restore(journal, sesEndpoint, log, stopping.signal);
  return {
    done,
    stop: async () => {
      stopping.abort();
      await done;
    },
  };
};

const restore = async (
  journal: OutboxJournal,
  sesEndpoint: string,
  log: Log,
  signal: AbortSignal,
): Promise<number> => {
  const started = performance.now();
  const client = new SESv2Client({
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    endpoint: sesEndpoint,
    ...localClientOptions,
  });
  let restored = 0;
  try {
    const emails = (await journal.list()).filter((m): m is SentEmail => m.channel === "email");
    // One at a time, so the view keeps the journal's order.
    for (const email of emails) {
      if (signal.aborted) break;
      await client.send(new SendEmailCommand(restoredInput(email)), { abortSignal: signal });
      restored += 1;
    }
    if (restored > 0)
      log.info("kept emails shown again in the SES emulator", {
        count: restored,
        ms: Math.round(performance.now() - started),
      });
  } catch (error) {
    if (!signal.aborted)
      log.warn("could not show the kept emails in the SES emulator", {
        restored,
        error: error instanceof Error ? error.name : "unknown",
      });
  } finally {
    client.destroy();
  }
  return restored;
};
