import { SESv2Client } from "@aws-sdk/client-sesv2";
import ICAL from "ical.js";
import { simpleParser, type ParsedMail } from "mailparser";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { attachmentBytes, readSesStore, type SesStoredEmail } from "../../infra/local/emulators/ses-local.ts";
import { SesMailer } from "../../shared/adapters/aws/ses-mailer.ts";
import type { Session } from "../../shared/domain/session.ts";
import { renderSessionIcs } from "../../shared/messages/session-invite-ics.ts";
import {
  renderSessionCancelledEmail,
  renderSessionReminderEmail,
} from "../../shared/messages/session-reminder-email.ts";
import type { OutgoingEmail } from "../../shared/ports/mailer.ts";

// Sends through the real SESv2 client to aws-ses-v2-local and reads the message back from the
// emulator's GET /store. For Content.Raw the emulator keeps only what mailparser gives it
// (subject, text, html, attachments: see infra/local/emulators/ses-local.ts) and drops the
// top-level headers and the Content-Type parameters. So the List-Unsubscribe headers and the
// `method=` of the text/calendar part are checked on the request as it left the client, captured
// by a middleware at the end of the SDK's stack: the very bytes the emulator received.

const from = "Carers' Circle via Convene <carers-circle@groups.convene.example>";
const to = "member-1@example.org";
const unsubscribeUrl = "https://convene.example/u/unsub-token-1";

const session: Session = {
  organisationId: "org-1",
  groupId: "group-1",
  id: "5f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
  version: 2,
  title: "Monthly meeting – tea & “talk”",
  startLocal: "2026-10-25T19:00",
  timeZone: "Europe/London",
  durationMinutes: 90,
  venue: { name: "St Mary's Hall", address: "1 Church Street, Leeds" },
  duties: [{ kind: "refreshments", holderMemberId: "member-1" }],
  status: "scheduled",
  createdAt: "2026-09-01T09:00:00.000Z",
  updatedAt: "2026-09-02T09:00:00.000Z",
};

const unsubscribeHeaders = {
  "List-Unsubscribe": `<${unsubscribeUrl}>`,
  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
};

function invite(): OutgoingEmail {
  const body = renderSessionReminderEmail({
    session,
    groupName: "Carers' Circle",
    memberFirstName: "Sam",
    duties: ["refreshments"],
    startsAtLocal: "Sunday 25 October 2026, 19:00 (GMT)",
    unsubscribeUrl,
  });
  const ics = renderSessionIcs({
    session,
    groupName: "Carers' Circle",
    organiserEmail: "carers-circle@groups.convene.example",
    attendeeEmail: to,
    method: "REQUEST",
  });
  return { from, to, ...body, headers: unsubscribeHeaders, calendar: { method: "REQUEST", ics } };
}

function cancellation(): OutgoingEmail {
  const cancelled: Session = {
    ...session,
    version: 3,
    status: "cancelled",
    updatedAt: "2026-09-03T09:00:00.000Z",
  };
  const body = renderSessionCancelledEmail({
    session: cancelled,
    groupName: "Carers' Circle",
    memberFirstName: "Sam",
    startsAtLocal: "Sunday 25 October 2026, 19:00 (GMT)",
    unsubscribeUrl,
  });
  const ics = renderSessionIcs({
    session: cancelled,
    groupName: "Carers' Circle",
    organiserEmail: "carers-circle@groups.convene.example",
    attendeeEmail: to,
    method: "CANCEL",
  });
  return { from, to, ...body, headers: unsubscribeHeaders, calendar: { method: "CANCEL", ics } };
}

interface SentRequest {
  ConfigurationSetName?: string;
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  Content: { Raw: { Data: string } };
}

let endpoint: string;
let mailer: SesMailer;
const sentRequests: SentRequest[] = [];

beforeAll(() => {
  endpoint = inject("sesEndpoint");
  const client = new SESv2Client({
    endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      // The JSON body is a string or, in newer SDK versions, a Uint8Array of its UTF-8 bytes.
      const body = (args.request as { body?: unknown }).body;
      const json = body instanceof Uint8Array ? new TextDecoder().decode(body) : body;
      if (typeof json === "string") sentRequests.push(JSON.parse(json) as SentRequest);
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "captureSentRequest" },
  );
  mailer = new SesMailer(client, { configurationSetName: "convene-local" });
});

/** Sends, then returns what the emulator stored and the MIME that went over the wire. */
async function sendAndReadBack(
  email: OutgoingEmail,
): Promise<{ stored: SesStoredEmail; sent: ParsedMail; request: SentRequest }> {
  const before = sentRequests.length;
  const { messageId } = await mailer.send(email);
  expect(sentRequests).toHaveLength(before + 1);
  const request = sentRequests[before]!;
  const stored = (await readSesStore(endpoint)).find((e) => e.messageId === messageId);
  if (!stored) throw new Error("the emulator did not store the message under the MessageId it returned");
  const sent = await simpleParser(Buffer.from(request.Content.Raw.Data, "base64"));
  return { stored, sent, request };
}

function calendarOf(stored: SesStoredEmail): ICAL.Component {
  const parts = stored.attachments.filter((a) => a.contentType === "text/calendar");
  expect(parts).toHaveLength(1);
  return new ICAL.Component(ICAL.parse(attachmentBytes(parts[0]!).toString("utf8")) as unknown[]);
}

describe("SesMailer against the SES emulator", () => {
  it("delivers a reminder with its invite: subject, both bodies, the calendar part", async () => {
    const email = invite();
    const { stored } = await sendAndReadBack(email);

    expect(stored.messageId).toMatch(/^ses-\d+$/);
    expect(stored.subject).toBe(email.subject);
    expect(stored.subject).toContain("Monthly meeting – tea & “talk”");
    expect(stored.destination.to).toEqual([to]);
    expect(stored.from).toContain("carers-circle@groups.convene.example");
    expect(stored.body.text?.trim()).toBe(email.text.trim());
    expect(stored.body.html?.trim()).toBe(email.html.trim());
    expect(stored.body.html).toContain('<html lang="en">');
    expect(stored.body.html).toContain("Monthly meeting – tea &amp; “talk”");

    const calendar = calendarOf(stored);
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    const event = calendar.getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("uid")).toBe(`${session.id}@convene`);
    expect(event.getFirstPropertyValue("sequence")).toBe(1);
    expect(event.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/London");

    // nodemailer's icalEvent also attaches the same ICS as invite.ics for clients that ignore
    // the alternative.
    const attached = stored.attachments.find((a) => a.filename === "invite.ics");
    expect(attached?.contentType).toBe("application/ics");
    expect(attachmentBytes(attached!).toString("utf8")).toBe(email.calendar!.ics);
  });

  it("sends the one-click unsubscribe headers and a text/calendar; method=REQUEST alternative", async () => {
    const email = invite();
    const { sent, request } = await sendAndReadBack(email);

    const header = (name: string) =>
      sent.headerLines.filter((h) => h.key === name).map((h) => h.line.replace(/\r?\n\s+/g, " "));
    expect(header("list-unsubscribe")).toEqual([`List-Unsubscribe: <${unsubscribeUrl}>`]);
    expect(header("list-unsubscribe-post")).toEqual(["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]);
    expect(sent.subject).toBe(email.subject);
    expect(sent.text?.trim()).toBe(email.text.trim());
    expect(sent.html).toBe(email.html);

    const raw = Buffer.from(request.Content.Raw.Data, "base64").toString("utf8");
    const alternative = /Content-Type: multipart\/alternative;\s+boundary="([^"]+)"/.exec(raw);
    expect(alternative).not.toBeNull();
    const parts = raw.split(`--${alternative![1]!}`).slice(1, -1);
    expect(parts.map((p) => /Content-Type: ([^;\r\n]+)/.exec(p)?.[1])).toEqual([
      "text/plain",
      "text/html",
      "text/calendar",
    ]);
    expect(parts[2]).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);

    expect(request.ConfigurationSetName).toBe("convene-local");
    expect(request.FromEmailAddress).toBe(from);
    expect(request.Destination?.ToAddresses).toEqual([to]);
  });

  it("delivers a cancellation with METHOD:CANCEL in both the part and the ICS", async () => {
    const email = cancellation();
    const { stored, request } = await sendAndReadBack(email);

    expect(stored.subject).toBe(email.subject);
    expect(stored.subject.startsWith("Cancelled: ")).toBe(true);
    expect(stored.body.text?.trim()).toBe(email.text.trim());
    expect(stored.body.html?.trim()).toBe(email.html.trim());
    const calendar = calendarOf(stored);
    expect(calendar.getFirstPropertyValue("method")).toBe("CANCEL");
    const event = calendar.getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(event.getFirstPropertyValue("uid")).toBe(`${session.id}@convene`);
    expect(event.getFirstPropertyValue("sequence")).toBe(2);

    const raw = Buffer.from(request.Content.Raw.Data, "base64").toString("utf8");
    expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=CANCEL/);
  });

  it("sends an email without a calendar as text and HTML only", async () => {
    const { calendar: _calendar, headers: _headers, ...plain } = invite();
    const { stored, sent } = await sendAndReadBack(plain);
    expect(stored.subject).toBe(plain.subject);
    expect(stored.body.text?.trim()).toBe(plain.text.trim());
    expect(stored.body.html?.trim()).toBe(plain.html.trim());
    expect(stored.attachments).toEqual([]);
    expect(sent.headerLines.some((h) => h.key.startsWith("list-"))).toBe(false);
  });

  it("refuses a header value with a line break before anything is sent", async () => {
    const before = sentRequests.length;
    await expect(
      mailer.send({
        ...invite(),
        headers: { "List-Unsubscribe": `<${unsubscribeUrl}>\r\nBcc: someone@example.org` },
      }),
    ).rejects.toThrow(RangeError);
    expect(sentRequests).toHaveLength(before);
  });
});
