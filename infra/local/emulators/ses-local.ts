// The SES endpoint of the local platform: `aws-ses-v2-local` run as a child process on
// 127.0.0.1. It accepts the SESv2 SendEmail API (Simple, Raw and Template content) and keeps
// every email in memory, readable over `GET /store` and clearable with `POST /clear-store`.
//
// Of a Content.Simple message (what Convene's SesMailer sends) it keeps the request's own
// values: `from`, `replyTo[]` (ReplyToAddresses), `destination.to/cc/bcc[]`, `subject`,
// `body.text`/`body.html`, `headers[]` ({ name, value } of Content.Simple.Headers) and
// `attachments[]` with `filename`, `contentType` as sent (parameters included),
// `contentDisposition` as sent (`ATTACHMENT`), `content` (base64) and `size`. Not kept: the
// ConfigurationSetName and EmailTags.
//
// What the emulator keeps of a Content.Raw message (its sendEmail handler parses the MIME with
// mailparser's simpleParser; observed with a real SESv2 client in
// test/connected/emulators.test.ts):
// - `from`, `replyTo[]`, `destination.to/cc/bcc[]` hold the *display text* of each header
//   (`"Ann Example" <ann@example.org>, bob@example.org`): one string per header, not one per
//   address. The request's own `Destination` (e.g. BccAddresses) is ignored for Raw content.
// - `subject` (or `(no subject)`), `body.text`, and `body.html` only when the MIME has an HTML
//   part.
// - `attachments[]`: every part mailparser treats as an attachment. A `text/calendar` part is
//   one even when it sits inline in multipart/alternative (then without filename or
//   disposition). Each has `type: "attachment"`, `content` (base64 of the decoded bytes),
//   `contentType` WITHOUT parameters (`text/calendar`: the `method=REQUEST` and `charset`
//   parameters are lost, so read METHOD from the ICS body), `size`, `checksum` (md5 hex),
//   `partId` (IMAP style, e.g. `1.2`), `filename` and `contentDisposition` when the part has
//   them, `contentId`/`cid`/`related` for parts with a Content-ID, `release: null` and
//   `headers: {}` (a Map inside the emulator, empty over JSON).
// - `at`: epoch *seconds*. `messageId`: the emulator's own `ses-<9 digits>`, which the SDK also
//   receives as MessageId.
// - NOT kept: the raw MIME, every top-level header other than the above (Message-ID, Date,
//   In-Reply-To, References, custom X-… headers: `headers` is absent for Raw), the
//   ConfigurationSetName and EmailTags. `GET /get-emlContent?messageId=…` re-renders an .eml
//   from the stored fields; it is not the original message.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { z } from "zod";
import { assertPortFree, findFreePort, spawnSupervised, type SupervisedProcess } from "./process-group.ts";
import type { ChildProcessService } from "./types.ts";

export interface SesLocalOptions {
  /** TCP port to listen on (127.0.0.1 only). Default: a free port chosen by the OS. */
  port?: number;
  /** How long to wait for `GET /health-check`. Default 30 s. */
  startupTimeoutMs?: number;
  /**
   * A nodemailer transport (JSON) to which the emulator forwards every stored email, passed as
   * its SMTP_TRANSPORT variable. Default: none (an inherited SMTP_TRANSPORT is removed).
   */
  smtpTransport?: string;
  /** Receives every line the emulator writes (it is captured for error messages regardless). */
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
}

/** Path of the emulator's CLI (`bin` of the `aws-ses-v2-local` package). */
export function locateSesLocalCli(): string {
  const require = createRequire(import.meta.url);
  let packageJsonPath: string;
  try {
    packageJsonPath = require.resolve("aws-ses-v2-local/package.json");
  } catch (error) {
    throw new Error("The npm package `aws-ses-v2-local` is not installed (run `npm ci`).", { cause: error });
  }
  const packageJson = JSON.parse(readFileSync(packageJsonPath, "utf8")) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof packageJson.bin === "string" ? packageJson.bin : packageJson.bin?.["aws-ses-v2-local"];
  return join(dirname(packageJsonPath), bin ?? "dist/cli.js");
}

/** Starts the SES emulator on 127.0.0.1 and resolves once `GET /health-check` answers 200. */
export async function startSesLocal(options: SesLocalOptions = {}): Promise<ChildProcessService> {
  const cli = locateSesLocalCli();
  const timeoutMs = options.startupTimeoutMs ?? 30_000;
  const port = options.port ?? (await findFreePort());
  await assertPortFree(port);

  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.SMTP_TRANSPORT;
  if (options.smtpTransport !== undefined) env.SMTP_TRANSPORT = options.smtpTransport;

  const started = performance.now();
  const proc = await spawnSupervised(
    "SES emulator (aws-ses-v2-local)",
    process.execPath,
    [cli, "--host", "127.0.0.1", "--port", String(port)],
    { env, ...(options.onLine ? { onLine: options.onLine } : {}) },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthCheck(proc, endpoint, timeoutMs);
  } catch (error) {
    await proc.stop(2_000);
    throw error;
  }
  return {
    endpoint,
    port,
    pid: proc.pid,
    startupMs: Math.round(performance.now() - started),
    stop: () => proc.stop(),
  };
}

async function waitForHealthCheck(
  proc: SupervisedProcess,
  endpoint: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    const exit = proc.exitInfo();
    if (exit) {
      await Promise.race([proc.closed, new Promise((r) => setTimeout(r, 1_000))]);
      throw new Error(
        `The SES emulator exited during startup (${exit.signal ?? `exit code ${exit.code}`}). Last output:\n` +
          tail(proc),
      );
    }
    try {
      const response = await fetch(`${endpoint}/health-check`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `The SES emulator did not answer GET ${endpoint}/health-check within ${timeoutMs} ms (last: ${last}). ` +
          `Last output:\n${tail(proc)}`,
      );
    }
    await Promise.race([new Promise((r) => setTimeout(r, 50)), proc.exited]);
  }
}

function tail(proc: SupervisedProcess): string {
  const lines = proc.outputTail(20);
  return lines.length > 0 ? lines.map((l) => `  ${l}`).join("\n") : "  (no output)";
}

// --- the store ------------------------------------------------------------------------------

const attachmentSchema = z.looseObject({
  /** Base64 of the decoded attachment bytes. */
  content: z.string(),
  /**
   * MIME type: without parameters for Raw content (`text/calendar`, not `…; method=REQUEST`);
   * the request's ContentType as sent for Simple content, parameters included.
   */
  contentType: z.string(),
  filename: z.string().optional(),
  size: z.number(),
  contentDisposition: z.string().optional(),
  /** Raw content only (mailparser's attachment fields): */
  type: z.literal("attachment").optional(),
  contentId: z.string().optional(),
  cid: z.string().optional(),
  related: z.boolean().optional(),
  checksum: z.string().optional(),
  partId: z.string().nullable().optional(),
});

const emailSchema = z.object({
  messageId: z.string(),
  from: z.string(),
  replyTo: z.array(z.string()),
  destination: z.object({ to: z.array(z.string()), cc: z.array(z.string()), bcc: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }),
  attachments: z.array(attachmentSchema),
  /** Simple and Template content only; absent for Raw. */
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  /** Epoch seconds. */
  at: z.number(),
});

const storeSchema = z.object({ emails: z.array(emailSchema) });

export type SesStoredAttachment = z.infer<typeof attachmentSchema>;
export type SesStoredEmail = z.infer<typeof emailSchema>;

/** The emails the emulator holds, oldest first; `sinceEpochSeconds` filters on `at >= since`. */
export async function readSesStore(endpoint: string, sinceEpochSeconds?: number): Promise<SesStoredEmail[]> {
  const url = new URL("/store", endpoint);
  if (sinceEpochSeconds !== undefined) url.searchParams.set("since", String(Math.floor(sinceEpochSeconds)));
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    throw new Error(`GET ${url.href} answered HTTP ${response.status}: ${await response.text()}`);
  }
  const parsed = storeSchema.safeParse(await response.json());
  if (!parsed.success) {
    throw new Error(`The SES emulator's store has an unexpected shape: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data.emails;
}

/** Empties the emulator's store (emails and templates) with `POST /clear-store`. */
export async function clearSesStore(endpoint: string): Promise<void> {
  const url = new URL("/clear-store", endpoint);
  const response = await fetch(url, { method: "POST", signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url.href} answered HTTP ${response.status}: ${text}`);
}

/** Decodes a stored attachment's content. */
export function attachmentBytes(attachment: SesStoredAttachment): Buffer {
  return Buffer.from(attachment.content, "base64");
}
