import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { readSesStore, attachmentBytes, type SesStoredEmail } from "./emulators/ses-local.ts";
import { readSmsSink } from "./emulators/sms-sink.ts";
import type { LocalEngine } from "./engine.ts";
import type { LocalIdentityProvider } from "./local-identity.ts";
import type { LocalRuntime } from "./composition-root.ts";
import { toBusEvent } from "../../shared/bus/bus-event.ts";
import { parseEvent } from "../../events/parse-event.ts";
import { demoIdentities } from "./demo-identities.ts";

export interface LocalApiDeps {
  runtime: LocalRuntime;
  engine: LocalEngine;
  identity: LocalIdentityProvider;
  sesEndpoint: string;
  smsEndpoint: string;
}

const outboxEmail = (e: SesStoredEmail) => ({
  messageId: e.messageId,
  sentAt: new Date(e.at * 1000).toISOString(),
  from: e.from,
  to: e.destination.to,
  replyTo: e.replyTo,
  subject: e.subject,
  text: e.body.text,
  html: e.body.html,
  headers: Object.fromEntries((e.headers ?? []).map((h) => [h.name, h.value])),
  attachments: e.attachments.map((a) => ({
    filename: a.filename,
    // The media type alone: Simple content keeps the parameters as sent (`text/calendar;
    // method=REQUEST; charset=UTF-8`); the ICS itself says its METHOD.
    contentType: a.contentType.split(";")[0]!.trim(),
    content: attachmentBytes(a).toString("utf8"),
  })),
});

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

/**
 * Local-only helpers under /api/local: list the demo identities and mint tokens, read what was sent,
 * read and move the clock, and list or redrive dead letters. Never deployed.
 */
export const localApi = ({ runtime, engine, identity, sesEndpoint, smsEndpoint }: LocalApiDeps) =>
  new Hono()
    .get("/identities", async (c) => c.json({ items: await demoIdentities(runtime.ports.store) }))
    .post("/tokens", zValidator("json", TokenRequest), async (c) => {
      const { role, organisationId, groupIds, subject } = c.req.valid("json");
      return c.json({ token: await identity.mint({ role, organisationId, groupIds, subject }) });
    })
    .get("/outbox", async (c) => {
      const [emails, sms] = await Promise.all([readSesStore(sesEndpoint), readSmsSink(smsEndpoint)]);
      return c.json({ emails: emails.map(outboxEmail), sms });
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
    .get("/dead-letters", async (c) => c.json({ items: await runtime.deadLetters.list() }))
    .post("/dead-letters/:id/redrive", async (c) => {
      const letter = await runtime.deadLetters.take(c.req.param("id"));
      if (!letter) return c.json({ title: "no such dead letter" }, 404);
      const busEvent =
        letter.target === "bus"
          ? toBusEvent(parseEvent(letter.event))
          : (letter.event as ReturnType<typeof toBusEvent>);
      if (letter.target === "bus") runtime.bus.publish(busEvent);
      else runtime.bus.redrive(letter.target, busEvent);
      await engine.settle();
      return c.json({ redriven: letter.id });
    });
