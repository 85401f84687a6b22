import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import type { SentEmail, SentMessage, SentSms } from "#adapters/local/outbox-journal.ts";
import { problemResponse, validationProblem } from "#functions/api/problem.ts";
import { FaultSettings } from "./fault-injection.ts";
import type { LocalEngine } from "./engine.ts";
import type { LocalIdentityProvider } from "./local-identity.ts";
import type { LocalRuntime } from "./composition-root.ts";
import { toBusEvent } from "#bus/bus-event.ts";
import { parseEvent } from "#events/parse-event.ts";
import { demoIdentities } from "./demo-identities.ts";
import { readOutboxImage } from "#adapters/local/stream-poller.ts";
import { unreadableRecordTarget } from "#adapters/local/unreadable-records.ts";
import { createReceiveSms } from "#functions/receive-sms/handler.ts";

export interface LocalApiDeps {
  runtime: LocalRuntime;
  engine: LocalEngine;
  identity: LocalIdentityProvider;
  sesEndpoint: string;
  smsEndpoint: string;
}

const outboxEmail = ({ channel: _channel, attachments, ...e }: SentEmail) => ({
  ...e,
  attachments: attachments.map((a) => ({
    filename: a.filename,
    // The media type alone, as sent it keeps its parameters (`text/calendar; method=REQUEST;
    // charset=UTF-8`); the ICS itself says its METHOD.
    contentType: a.contentType.split(";")[0]!.trim(),
    content: Buffer.from(a.content, "base64").toString("utf8"),
  })),
});

/** The SMS as the SMS sink recorded it (MessageId, DestinationPhoneNumber, MessageBody, …). */
const outboxSms = ({ channel: _channel, messageId, ...m }: SentSms) => ({
  MessageId: messageId,
  ...m,
  receivedAt: m.sentAt,
});

const isEmail = (m: SentMessage): m is SentEmail => m.channel === "email";
const isSms = (m: SentMessage): m is SentSms => m.channel === "sms";

const TokenRequest = z
  .object({
    role: z.enum(["platform-admin", "umbrella-admin", "group-coordinator"]),
    organisationId: z.string().min(1).optional(),
    groupIds: z.array(z.string().min(1)).default([]),
    subject: z.string().min(1).default("local-user"),
  })
  .strict();

const Advance = z
  .object({
    minutes: z.number().positive().optional(),
    hours: z.number().positive().optional(),
    days: z.number().positive().optional(),
  })
  .strict()
  .refine((a) => a.minutes ?? a.hours ?? a.days, "give minutes, hours or days");

/** A time range of the bus's archive, as EventBridge's StartReplay takes it: from ≤ t < to. */
const Replay = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .strict()
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { message: "from must be before to", path: ["to"] });

/**
 * Local-only helpers under /api/local: list the demo identities and mint tokens, read what was sent,
 * read and move the clock, receive an inbound SMS, and list or redrive dead letters. Never deployed.
 */
export const localApi = ({ runtime, engine, identity }: LocalApiDeps) =>
  new Hono()
    .get("/identities", async (c) => c.json({ items: await demoIdentities(runtime.ports.store) }))
    .post("/tokens", zValidator("json", TokenRequest), async (c) => {
      const { role, organisationId, groupIds, subject } = c.req.valid("json");
      return c.json({ token: await identity.mint({ role, organisationId, groupIds, subject }) });
    })
    // What the providers accepted, oldest first, kept across restarts; sentAt is the platform clock's.
    .get("/outbox", async (c) => {
      const sent = await runtime.outbox.list();
      return c.json({
        emails: sent.filter(isEmail).map(outboxEmail),
        sms: sent.filter(isSms).map(outboxSms),
      });
    })
    .get("/faults", (c) => c.json(runtime.faults.report()))
    // CloudWatch's stand-in: the business figures counted since the platform started.
    .get("/metrics", (c) => c.json({ items: runtime.metrics.snapshot() }))
    // Replaces the fault settings (`{}` turns every fault off); the counts carry on.
    .put("/faults", async (c) => {
      const parsed = FaultSettings.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) return problemResponse(c, validationProblem(parsed.error.issues));
      runtime.faults.configure(parsed.data);
      return c.json(runtime.faults.report());
    })
    .get("/clock", (c) => c.json({ now: runtime.clock.now().toISOString(), offsetMs: runtime.clock.offset }))
    .post("/clock/advance", zValidator("json", Advance), async (c) => {
      const { minutes = 0, hours = 0, days = 0 } = c.req.valid("json");
      await engine.advance(((days * 24 + hours) * 60 + minutes) * 60_000);
      return c.json({ now: runtime.clock.now().toISOString(), offsetMs: runtime.clock.offset });
    })
    .post("/settle", async (c) => {
      await engine.settle();
      return c.json({ settled: true });
    })
    .post("/replay", zValidator("json", Replay), async (c) => {
      const { from, to } = c.req.valid("json");
      const replay = await runtime.bus.replay(new Date(from), new Date(to));
      await engine.settle();
      return c.json(replay);
    })
    // An inbound text, as AWS's SNS message carries it, to the handler the topic invokes on AWS.
    .post("/sms/inbound", async (c) => {
      const outcome = await createReceiveSms(runtime.ports)(await c.req.json().catch(() => undefined));
      await engine.settle();
      return c.json(outcome, outcome.kind === "malformed" ? 400 : 200);
    })
    .get("/dead-letters", async (c) => c.json({ items: await runtime.deadLetters.list() }))
    .post("/dead-letters/:id/redrive", async (c) => {
      // The letter goes only once its redrive is durably queued: a crash between keeps it.
      const letter = await runtime.deadLetters.find(c.req.param("id"));
      if (!letter) return c.json({ title: "no such dead letter" }, 404);
      if (letter.target === unreadableRecordTarget) {
        // An outbox record the poller could not read: read again (a fixed reader may now read
        // it) and handed to the bus as the poller would; still unreadable, the letter stays.
        const read = readOutboxImage(
          (letter.event as { image: Parameters<typeof readOutboxImage>[0] }).image,
        );
        if (!("event" in read))
          return c.json({ title: "the outbox record is still unreadable", detail: read.problem }, 409);
        await runtime.publish([read.event]);
        await runtime.deadLetters.remove(letter);
        await engine.settle();
        return c.json({ redriven: letter.id });
      }
      const busEvent =
        letter.target === "bus"
          ? toBusEvent(parseEvent(letter.event))
          : (letter.event as ReturnType<typeof toBusEvent>);
      if (letter.target === "bus") await runtime.bus.publish(busEvent);
      else await runtime.bus.redrive(letter.target, busEvent);
      await runtime.deadLetters.remove(letter);
      await engine.settle();
      return c.json({ redriven: letter.id });
    });
