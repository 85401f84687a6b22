// What was sent survives a restart: the whole local platform (its own DynamoDB Local with a
// state folder, SES emulator and SMS sink) is started, messages go out through the runtime's
// real mailer and SMS sender after the clock was advanced, the platform is stopped and started
// again on the same folder, and /api/local/outbox still lists every message, with the platform
// clock's send time; the fresh SES emulator shows the kept mail again. The fault settings are
// read and changed over /api/local/faults, and a message the provider refused is not listed.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageRejected } from "@aws-sdk/client-sesv2";
import { afterAll, describe, expect, test, vi } from "vitest";
import { attachmentBytes, readSesStore } from "#infra/local/emulators/ses-local.ts";
import { startPlatform, type RunningPlatform } from "#infra/local/platform.ts";
import { restoredHeaders } from "#infra/local/ses-view-restore.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";

interface OutboxEmail {
  messageId: string;
  sentAt: string;
  from: string;
  to: string[];
  replyTo: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  attachments: { filename?: string; contentType: string; content: string }[];
}
interface OutboxSms {
  MessageId: string;
  DestinationPhoneNumber: string;
  MessageBody: string;
  MessageType?: string;
  sentAt: string;
  receivedAt: string;
}
interface Outbox {
  emails: OutboxEmail[];
  sms: OutboxSms[];
}

const run = `${Date.now()}`;
const domain = `outbox-${run}.example.org`;
const member = `member@${domain}`;
const phone = "+447700900456";
const stateDir = mkdtempSync(join(tmpdir(), "outbox-journal-"));

const invite: OutgoingEmail = {
  to: member,
  from: "Carers' Circle via Convene <reminders@convene.localhost>",
  replyTo: `rsvp+token@reply.convene.localhost`,
  subject: `Monthly meeting ${run}`,
  text: "See you on Sunday.",
  html: "<p>See you on Sunday.</p>",
  headers: {
    "List-Unsubscribe": "<https://convene.example/u/x>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
  calendar: { method: "REQUEST", ics: "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n" },
};

let platform: RunningPlatform | undefined;
const start = async () => {
  platform = await startPlatform({ stateDir, port: 0, smtpPort: 0, background: false, faults: {} });
  return platform;
};
const http = async <T>(method: string, path: string, body?: unknown) => {
  const response = await fetch(platform!.url + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: (await response.json()) as T,
  };
};
const mine = async (): Promise<Outbox> => {
  const { body } = await http<Outbox>("GET", "/api/local/outbox");
  return {
    emails: body.emails.filter((e) => e.to.some((t) => t.endsWith(domain))),
    sms: body.sms.filter((s) => s.DestinationPhoneNumber === phone && s.MessageBody.includes(run)),
  };
};

afterAll(async () => {
  await platform?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe("the local outbox", () => {
  test(
    "lists what was sent, at the platform clock's time, and still does after a restart",
    { timeout: 180_000 },
    async () => {
      const { runtime, services } = await start();
      await http("POST", "/api/local/clock/advance", { days: 3 });
      const before = runtime.clock.now().getTime();
      expect(before - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);

      const first = await runtime.ports.mailer.send(invite);
      const again = await runtime.ports.mailer.send(invite); // accepted twice: listed twice
      const { headers: _h, calendar: _c, replyTo: _r, ...bare } = invite;
      const plain = await runtime.ports.mailer.send({ ...bare, subject: `Plain ${run}` });
      const text = await runtime.ports.sms.send({ to: phone, body: `Meeting at 18:00 ${run}` });
      const after = runtime.clock.now().getTime();
      // The journal's items are on the table's stream too: the stream poller reads past them.
      await platform!.engine.settle();

      const sent = await mine();
      expect(sent.emails.map((e) => e.messageId)).toEqual([
        first.messageId,
        again.messageId,
        plain.messageId,
      ]);
      expect(sent.emails[2]).toMatchObject({ headers: {}, replyTo: [], attachments: [] });
      expect(first.messageId).not.toBe(again.messageId);
      expect(sent.sms.map((s) => s.MessageId)).toEqual([text.messageId]);
      for (const { sentAt } of [...sent.emails, ...sent.sms]) {
        expect(Date.parse(sentAt)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(sentAt)).toBeLessThanOrEqual(after);
      }
      expect(sent.sms[0]).toMatchObject({
        DestinationPhoneNumber: phone,
        MessageBody: `Meeting at 18:00 ${run}`,
        MessageType: "TRANSACTIONAL",
        receivedAt: sent.sms[0]!.sentAt,
      });

      // The same fields, with the same values, as the emulator itself kept (what the outbox read before).
      const stored = (await readSesStore(services.ses.endpoint)).find(
        (e) => e.messageId === first.messageId,
      )!;
      expect(sent.emails[0]).toEqual({
        messageId: stored.messageId,
        sentAt: sent.emails[0]!.sentAt,
        from: stored.from,
        to: stored.destination.to,
        replyTo: stored.replyTo,
        subject: stored.subject,
        text: stored.body.text,
        html: stored.body.html,
        headers: Object.fromEntries((stored.headers ?? []).map((h) => [h.name, h.value])),
        attachments: stored.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType.split(";")[0]!.trim(),
          content: attachmentBytes(a).toString("utf8"),
        })),
      });
      expect(sent.emails[0]!.attachments).toEqual([
        { filename: "invite.ics", contentType: "text/calendar", content: invite.calendar!.ics },
      ]);

      await platform!.stop();
      platform = undefined;
      const restarted = await start();

      expect(await mine()).toEqual(sent);
      // The fresh emulator shows the kept mail again (restored in the background), each copy
      // marked with its original.
      const view = await vi.waitFor(async () => {
        const copies = (await readSesStore(restarted.services.ses.endpoint)).filter((e) =>
          e.destination.to.includes(member),
        );
        expect(copies).toHaveLength(3);
        return copies;
      });
      expect(view.map((e) => e.headers?.find((h) => h.name === restoredHeaders.from)?.value)).toEqual([
        first.messageId,
        again.messageId,
        plain.messageId,
      ]);
      expect(view.map((e) => e.headers?.find((h) => h.name === restoredHeaders.sentAt)?.value)).toEqual(
        sent.emails.map((e) => e.sentAt),
      );
      expect(view[0]).toMatchObject({
        subject: invite.subject,
        body: { text: invite.text, html: invite.html },
      });
      expect(attachmentBytes(view[0]!.attachments[0]!).toString("utf8")).toBe(invite.calendar!.ics);
    },
  );

  test("the fault settings are read and changed at run time; a refused message is not listed", async () => {
    platform ??= await start();
    const blocked = `blocked@${domain}`;

    const off = await http<{ injected: { permanent: { ses: number } } }>("GET", "/api/local/faults");
    expect(off.body).toMatchObject({
      settings: { transient: { ses: 0, sms: 0, dynamodb: 0 }, permanent: { emails: [], phones: [] } },
      injected: { transient: { ses: 0, sms: 0, dynamodb: 0 }, permanent: { ses: 0, sms: 0 } },
    });

    const bad = await http<{ errors: { field: string }[] }>("PUT", "/api/local/faults", {
      transient: { ses: 2 },
      permanent: { phones: ["07700 900123"] },
      extra: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toBe("application/problem+json");
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual([
      "extra",
      "permanent.phones.0",
      "transient.ses",
    ]);

    const on = await http("PUT", "/api/local/faults", { permanent: { emails: [blocked] }, seed: 42 });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ settings: { permanent: { emails: [blocked] }, seed: 42 } });

    await expect(platform.runtime.ports.mailer.send({ ...invite, to: blocked })).rejects.toBeInstanceOf(
      MessageRejected,
    );
    const counted = await http<{ injected: { permanent: { ses: number } } }>("GET", "/api/local/faults");
    expect(counted.body.injected.permanent.ses).toBe(off.body.injected.permanent.ses + 1);
    expect((await mine()).emails.filter((e) => e.to.includes(blocked))).toEqual([]);

    // Until the setting changes: then the same message goes out, and is listed.
    expect((await http("PUT", "/api/local/faults", {})).status).toBe(200);
    await platform.runtime.ports.mailer.send({ ...invite, to: blocked });
    expect((await mine()).emails.filter((e) => e.to.includes(blocked))).toHaveLength(1);
  });
});
