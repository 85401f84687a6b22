// A local stand-in for AWS End User Messaging SMS (API "PinpointSMSVoiceV2"), which has no
// emulator. It speaks the service's wire protocol (AWS JSON 1.0: `POST /`, header
// `X-Amz-Target: PinpointSMSVoiceV2.<Operation>`, JSON body) for the one operation we use,
// SendTextMessage, so the real `@aws-sdk/client-pinpoint-sms-voice-v2` client works against it
// unchanged. Messages are kept in memory:
//
//   GET    /messages   → { "messages": [ SmsSinkMessage, ... ] }   (oldest first)
//   DELETE /messages   → 204, clears them
//   POST   /opt-outs   { "phone": "+44…" } → 204: the number is on the account's opt-out list,
//                      so a SendTextMessage to it is refused as AWS refuses it (ConflictException,
//                      Reason DESTINATION_PHONE_NUMBER_OPTED_OUT); DELETE /opt-outs clears the list
//
// Validation follows the service model (Smithy shapes of SendTextMessageRequest) for the fields
// we use and answers like the service: HTTP 400 with `__type` ValidationException, a Coral-style
// `Message`, `Reason` and `Fields`. Deliberate differences from the real service:
// - DestinationPhoneNumber must be E.164 WITH the leading `+` and at most 15 digits; the model's
//   pattern (`^\+?[1-9][0-9]{1,18}$`) makes the `+` optional. We always send E.164.
// - MessageBody is required (the model makes it optional for other channels; a text message
//   without one is rejected by the service).
// - Nothing is checked against account resources (origination identities, configuration sets,
//   spend limits) but the opt-out list above, and no events are published: the local platform
//   wraps its sender in SmsDeliverySimulator (shared/adapters/local/sms-delivery-simulator.ts),
//   which reports the delivery events of the sink's failure numbers (+44 7700 900800–900999:
//   TEXT_UNREACHABLE, TEXT_INVALID, TEXT_BLOCKED) to the same handler as on AWS.
// - A DryRun request is validated and answered but not recorded.
// Unsigned requests are refused (403 MissingAuthenticationTokenException) as AWS would; the
// signature itself is not checked.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { assertPortFree } from "./process-group.ts";
import type { RunningService } from "./types.ts";

export const SMS_SERVICE_TARGET_PREFIX = "PinpointSMSVoiceV2.";
const MAX_BODY_BYTES = 256 * 1024;
const JSON_1_0 = "application/x-amz-json-1.0";

/** One SendTextMessage the sink accepted. */
export interface SmsSinkMessage {
  MessageId: string;
  DestinationPhoneNumber: string;
  MessageBody: string;
  OriginationIdentity?: string;
  ConfigurationSetName?: string;
  MessageType?: "TRANSACTIONAL" | "PROMOTIONAL";
  Context?: Record<string, string>;
  TimeToLive?: number;
  /** ISO 8601 time the sink received the request. */
  receivedAt: string;
}

export interface SmsSinkOptions {
  /** TCP port on 127.0.0.1. 0 or undefined: a free port chosen by the OS. */
  port?: number;
}

export interface SmsSinkService extends RunningService {
  /** The messages recorded so far (a copy), oldest first. */
  messages(): SmsSinkMessage[];
  clear(): void;
}

export async function startSmsSink(options: SmsSinkOptions = {}): Promise<SmsSinkService> {
  const requested = options.port ?? 0;
  if (requested !== 0) await assertPortFree(requested);

  const messages: SmsSinkMessage[] = [];
  const optedOut = new Set<string>();
  const server = createServer((req, res) => {
    handle(req, res, messages, optedOut).catch((error: unknown) => {
      if (!res.headersSent) {
        sendAwsError(
          res,
          500,
          "InternalServerException",
          error instanceof Error ? error.message : String(error),
        );
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: requested, exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    messages: () => messages.map((m) => structuredClone(m)),
    clear: () => {
      messages.length = 0;
    },
    stop: () => {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

/** Reads the messages a (possibly remote) sink recorded, through `GET /messages`. */
export async function readSmsSink(endpoint: string): Promise<SmsSinkMessage[]> {
  const url = new URL("/messages", endpoint);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok)
    throw new Error(`GET ${url.href} answered HTTP ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { messages: SmsSinkMessage[] };
  return body.messages;
}

/** Clears a sink's messages through `DELETE /messages`. */
export async function clearSmsSink(endpoint: string): Promise<void> {
  const url = new URL("/messages", endpoint);
  const response = await fetch(url, { method: "DELETE", signal: AbortSignal.timeout(10_000) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`DELETE ${url.href} answered HTTP ${response.status}`);
}

// --- request handling -----------------------------------------------------------------------

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  messages: SmsSinkMessage[],
  optedOut: Set<string>,
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://sink").pathname;

  if (path === "/opt-outs") {
    if (req.method === "DELETE") optedOut.clear();
    else if (req.method === "POST") {
      const { phone } = JSON.parse((await readBody(req))?.toString("utf8") || "{}") as { phone?: unknown };
      if (typeof phone !== "string")
        return sendJson(res, 400, { message: "give { phone }" }, "application/json");
      optedOut.add(phone);
    } else {
      res.writeHead(405, { allow: "POST, DELETE" }).end();
      return;
    }
    res.writeHead(204).end();
    return;
  }

  if (path === "/messages") {
    if (req.method === "GET") return sendJson(res, 200, { messages }, "application/json");
    if (req.method === "DELETE") {
      messages.length = 0;
      res.writeHead(204).end();
      return;
    }
    res.writeHead(405, { allow: "GET, DELETE" }).end();
    return;
  }

  if (path !== "/" || req.method !== "POST") {
    return sendJson(res, 404, { message: `No route for ${req.method} ${path}` }, "application/json");
  }

  const target = headerValue(req, "x-amz-target");
  if (target !== `${SMS_SERVICE_TARGET_PREFIX}SendTextMessage`) {
    await drain(req);
    return sendAwsError(
      res,
      400,
      "UnknownOperationException",
      target === undefined
        ? "Missing X-Amz-Target header"
        : `Operation ${target} is not supported by the local SMS sink (only ${SMS_SERVICE_TARGET_PREFIX}SendTextMessage)`,
    );
  }

  const authorization = headerValue(req, "authorization");
  if (!authorization?.startsWith("AWS4-HMAC-SHA256 ")) {
    await drain(req);
    return sendAwsError(res, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }

  const raw = await readBody(req);
  if (raw === undefined) {
    return sendAwsError(res, 413, "ValidationException", `Request body larger than ${MAX_BODY_BYTES} bytes`, {
      Reason: "MAXIMUM_SIZE_EXCEEDED",
    });
  }
  let input: unknown;
  try {
    input = raw.length === 0 ? {} : JSON.parse(raw.toString("utf8"));
  } catch {
    return sendAwsError(res, 400, "SerializationException", "Request body is not valid JSON");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return sendAwsError(res, 400, "SerializationException", "Request body must be a JSON object");
  }

  const result = validateSendTextMessage(input as Record<string, unknown>);
  if (result.kind === "serialization")
    return sendAwsError(res, 400, "SerializationException", result.message);
  if (result.kind === "invalid") {
    const count = result.fields.length;
    const message =
      `${count} validation error${count === 1 ? "" : "s"} detected: ` +
      result.fields.map((f) => f.Message).join("; ");
    return sendAwsError(res, 400, "ValidationException", message, {
      Reason: result.reason,
      Fields: result.fields,
    });
  }

  if (optedOut.has(result.request.DestinationPhoneNumber)) {
    return sendAwsError(res, 400, "ConflictException", "The destination phone number is opted out", {
      Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT",
      ResourceType: "opt-out-list",
      ResourceId: "Default",
    });
  }
  const messageId = randomUUID();
  if (!result.request.DryRun) {
    const { DryRun: _dryRun, ...fields } = result.request;
    messages.push({ MessageId: messageId, ...fields, receivedAt: new Date().toISOString() });
  }
  return sendJson(res, 200, { MessageId: messageId });
}

// --- validation (from the service model's shapes) -------------------------------------------

interface ValidationField {
  Name: string;
  Message: string;
}

type SendTextMessageInput = Omit<SmsSinkMessage, "MessageId" | "receivedAt"> & { DryRun?: boolean };

type ValidationResult =
  | { kind: "ok"; request: SendTextMessageInput }
  | { kind: "invalid"; reason: "MISSING_PARAMETER" | "FIELD_VALIDATION_FAILED"; fields: ValidationField[] }
  | { kind: "serialization"; message: string };

const E164 = /^\+[1-9][0-9]{1,14}$/;
const MODEL_PHONE_PATTERN = "^\\+?[1-9][0-9]{1,18}$";
const ORIGINATION_IDENTITY = /^[A-Za-z0-9_:/+-]+$/;
const CONFIGURATION_SET = /^[A-Za-z0-9_:/-]+$/;
const NOT_BLANK = /^(?!\s*$)[\s\S]+$/;
const CONTEXT_KEY = /^\S+$/;
const CONTEXT_VALUE = /^(?!\s)[\s\S]+(?<!\s)$/;
const MESSAGE_TYPES = ["TRANSACTIONAL", "PROMOTIONAL"] as const;

/** Smithy measures string length in Unicode code points. */
const codePoints = (s: string) => [...s].length;

const show = (value: string) => (codePoints(value) > 40 ? `${[...value].slice(0, 40).join("")}…` : value);

export function validateSendTextMessage(input: Record<string, unknown>): ValidationResult {
  const strings = [
    "DestinationPhoneNumber",
    "MessageBody",
    "OriginationIdentity",
    "ConfigurationSetName",
    "MessageType",
    "Keyword",
    "MaxPrice",
    "ProtectConfigurationId",
  ];
  for (const name of strings) {
    const value = input[name];
    if (value !== undefined && value !== null && typeof value !== "string") {
      return { kind: "serialization", message: `${name}: expected a string, got ${typeof value}` };
    }
  }
  if (input.TimeToLive !== undefined && input.TimeToLive !== null && !Number.isInteger(input.TimeToLive)) {
    return { kind: "serialization", message: "TimeToLive: expected an integer" };
  }
  if (input.DryRun !== undefined && input.DryRun !== null && typeof input.DryRun !== "boolean") {
    return { kind: "serialization", message: "DryRun: expected a boolean" };
  }
  const context = input.Context;
  if (context !== undefined && context !== null) {
    if (typeof context !== "object" || Array.isArray(context)) {
      return { kind: "serialization", message: "Context: expected a map of strings" };
    }
    for (const value of Object.values(context)) {
      if (typeof value !== "string")
        return { kind: "serialization", message: "Context: expected a map of strings" };
    }
  }

  const destination = input.DestinationPhoneNumber as string | undefined | null;
  const body = input.MessageBody as string | undefined | null;
  const missing: ValidationField[] = [];
  if (destination === undefined || destination === null) {
    missing.push({
      Name: "DestinationPhoneNumber",
      Message: "Value null at 'destinationPhoneNumber' failed to satisfy constraint: Member must not be null",
    });
  }
  if (body === undefined || body === null) {
    missing.push({
      Name: "MessageBody",
      Message: "Value null at 'messageBody' failed to satisfy constraint: Member must not be null",
    });
  }
  if (missing.length > 0) return { kind: "invalid", reason: "MISSING_PARAMETER", fields: missing };

  const fields: ValidationField[] = [];
  const fail = (name: string, value: string, constraint: string) => {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    fields.push({
      Name: name,
      Message: `Value '${show(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
    });
  };
  const length = (name: string, value: string, min: number, max: number) => {
    const n = codePoints(value);
    if (n < min || n > max) {
      fail(
        name,
        value,
        `Member must have length ${n < min ? "greater than or equal to " + min : "less than or equal to " + max}`,
      );
      return false;
    }
    return true;
  };

  if (
    destination !== undefined &&
    destination !== null &&
    length("DestinationPhoneNumber", destination, 1, 20)
  ) {
    if (!E164.test(destination)) {
      fail(
        "DestinationPhoneNumber",
        destination,
        `Member must be a phone number in E.164 format (+ and up to 15 digits; model pattern ${MODEL_PHONE_PATTERN})`,
      );
    }
  }
  if (body !== undefined && body !== null && length("MessageBody", body, 1, 1600) && !NOT_BLANK.test(body)) {
    fail("MessageBody", body, "Member must satisfy regular expression pattern: ^(?!\\s*$)[\\s\\S]+$");
  }

  const origination = input.OriginationIdentity as string | undefined | null;
  if (
    typeof origination === "string" &&
    length("OriginationIdentity", origination, 1, 256) &&
    !ORIGINATION_IDENTITY.test(origination)
  ) {
    fail(
      "OriginationIdentity",
      origination,
      "Member must satisfy regular expression pattern: ^[A-Za-z0-9_:/\\+-]+$",
    );
  }
  const configurationSet = input.ConfigurationSetName as string | undefined | null;
  if (
    typeof configurationSet === "string" &&
    length("ConfigurationSetName", configurationSet, 1, 256) &&
    !CONFIGURATION_SET.test(configurationSet)
  ) {
    fail(
      "ConfigurationSetName",
      configurationSet,
      "Member must satisfy regular expression pattern: ^[A-Za-z0-9_:/-]+$",
    );
  }
  const messageType = input.MessageType as string | undefined | null;
  if (typeof messageType === "string" && !(MESSAGE_TYPES as readonly string[]).includes(messageType)) {
    fail("MessageType", messageType, `Member must satisfy enum value set: [${MESSAGE_TYPES.join(", ")}]`);
  }
  const ttl = input.TimeToLive as number | undefined | null;
  if (typeof ttl === "number" && (ttl < 5 || ttl > 259_200)) {
    fail(
      "TimeToLive",
      String(ttl),
      `Member must have value ${ttl < 5 ? "greater than or equal to 5" : "less than or equal to 259200"}`,
    );
  }
  if (context !== undefined && context !== null) {
    const entries = Object.entries(context as Record<string, string>);
    if (entries.length > 5)
      fail("Context", `{${entries.length} entries}`, "Member must have length less than or equal to 5");
    for (const [key, value] of entries) {
      if (codePoints(key) < 1 || codePoints(key) > 100 || !CONTEXT_KEY.test(key)) {
        fail(
          "Context",
          key,
          "Map keys must have length between 1 and 100 and satisfy regular expression pattern: \\S+",
        );
      }
      if (codePoints(value) < 1 || codePoints(value) > 800 || !CONTEXT_VALUE.test(value)) {
        fail(
          "Context",
          value,
          "Map values must have length between 1 and 800 and satisfy regular expression pattern: (?!\\s)^[\\s\\S]+(?<!\\s)",
        );
      }
    }
  }

  if (fields.length > 0) return { kind: "invalid", reason: "FIELD_VALIDATION_FAILED", fields };

  const request: SendTextMessageInput = { DestinationPhoneNumber: destination!, MessageBody: body! };
  if (typeof origination === "string") request.OriginationIdentity = origination;
  if (typeof configurationSet === "string") request.ConfigurationSetName = configurationSet;
  if (typeof messageType === "string") request.MessageType = messageType as (typeof MESSAGE_TYPES)[number];
  if (context !== undefined && context !== null) request.Context = { ...(context as Record<string, string>) };
  if (typeof ttl === "number") request.TimeToLive = ttl;
  if (input.DryRun === true) request.DryRun = true;
  return { kind: "ok", request };
}

// --- HTTP helpers ---------------------------------------------------------------------------

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request body, or undefined when it exceeds MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req as AsyncIterable<Buffer>) {
    // discard
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType = JSON_1_0): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  res.end(text);
}

function sendAwsError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res.setHeader("x-amzn-errortype", type);
  // ValidationException and friends carry `Message` in this service's model; the generic
  // front-end errors (UnknownOperation, Serialization, MissingAuthenticationToken) use `message`.
  const messageKey =
    type === "ValidationException" || type === "InternalServerException" || type === "ConflictException"
      ? "Message"
      : "message";
  sendJson(res, status, { __type: type, [messageKey]: message, ...extra });
}
