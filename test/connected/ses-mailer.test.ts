import { SESv2Client } from "@aws-sdk/client-sesv2";
import ICAL from "ical.js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { attachmentBytes, readSesStore, type SesStoredEmail } from "#infra/local/emulators/ses-local.ts";
import { SesMailer } from "#adapters/aws/ses-mailer.ts";
import type { Session } from "#domain/session.ts";
import { renderSessionIcs } from "#messages/sessions/session-invite-ics.ts";
import { renderSessionCancelledEmail } from "#messages/sessions/session-cancelled-email.ts";
import { renderSessionReminderEmail } from "#messages/sessions/session-reminder-email.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";

// Sends through the real SESv2 client to aws-ses-v2-local and reads the message back from the
// emulator's GET /store, which keeps a Content.Simple message as sent: subject, both bodies,
// reply-to, the extra headers and each attachment with its content type (parameters included).
// The request itself is also captured by a middleware at the end of the SDK's stack: the very
// JSON the emulator received.

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
  ReplyToAddresses?: string[];
  Destination?: { ToAddresses?: string[] };
  Content: {
    Raw?: unknown;
    Simple?: {
      Subject: { Data: string; Charset?: string };
      Body: { Text?: { Data: string; Charset?: string }; Html?: { Data: string; Charset?: string } };
      Headers?: { Name: string; Value: string }[];
      Attachments?: {
        FileName: string;
        ContentType?: string;
        ContentDisposition?: string;
        RawContent: string;
      }[];
    };
  };
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

/** Sends, then returns what the emulator stored and the request that went over the wire. */
async function sendAndReadBack(
  email: OutgoingEmail,
): Promise<{ stored: SesStoredEmail; request: SentRequest }> {
  const before = sentRequests.length;
  const { messageId } = await mailer.send(email);
  expect(sentRequests).toHaveLength(before + 1);
  const request = sentRequests[before]!;
  const stored = (await readSesStore(endpoint)).find((e) => e.messageId === messageId);
  if (!stored) throw new Error("the emulator did not store the message under the MessageId it returned");
  return { stored, request };
}

/** The stored email's headers by name. */
const headersOf = (stored: SesStoredEmail) =>
  Object.fromEntries((stored.headers ?? []).map((h) => [h.name, h.value]));

function calendarOf(stored: SesStoredEmail, method: "REQUEST" | "CANCEL"): ICAL.Component {
  expect(stored.attachments).toHaveLength(1);
  const attachment = stored.attachments[0]!;
  expect(attachment.filename).toBe("invite.ics");
  expect(attachment.contentType).toBe(`text/calendar; method=${method}; charset=UTF-8`);
  expect(attachment.contentDisposition).toBe("ATTACHMENT");
  return new ICAL.Component(ICAL.parse(attachmentBytes(attachment).toString("utf8")) as unknown[]);
}

describe("SesMailer against the SES emulator", () => {
  it("delivers a reminder with its invite: subject, both bodies, reply-to, the calendar attachment", async () => {
    const email = { ...invite(), replyTo: "ballot+abc@reply.convene.example" };
    const { stored } = await sendAndReadBack(email);

    expect(stored.messageId).toMatch(/^ses-\d+$/);
    expect(stored.subject).toBe(email.subject);
    expect(stored.subject).toContain("Monthly meeting – tea & “talk”");
    expect(stored.destination.to).toEqual([to]);
    expect(stored.from).toBe(from);
    expect(stored.replyTo).toEqual(["ballot+abc@reply.convene.example"]);
    expect(stored.body.text).toBe(email.text);
    expect(stored.body.html).toBe(email.html);
    expect(stored.body.html).toContain('<html lang="en">');
    expect(stored.body.html).toContain("Monthly meeting – tea &amp; “talk”");

    const calendar = calendarOf(stored, "REQUEST");
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    const event = calendar.getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("uid")).toBe(`${session.id}@convene`);
    expect(event.getFirstPropertyValue("sequence")).toBe(1);
    expect(event.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/London");
    expect(attachmentBytes(stored.attachments[0]!).toString("utf8")).toBe(email.calendar!.ics);
  });

  it("sends the one-click unsubscribe headers", async () => {
    const { stored } = await sendAndReadBack(invite());
    expect(headersOf(stored)).toEqual({
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("asks SES to compose the message: simple UTF-8 content in the configuration set", async () => {
    const email = invite();
    const { request } = await sendAndReadBack(email);

    expect(request.Content.Raw).toBeUndefined();
    const simple = request.Content.Simple!;
    expect(simple.Subject).toEqual({ Data: email.subject, Charset: "UTF-8" });
    expect(simple.Body.Text).toEqual({ Data: email.text, Charset: "UTF-8" });
    expect(simple.Body.Html).toEqual({ Data: email.html, Charset: "UTF-8" });
    expect(simple.Headers).toEqual([
      { Name: "List-Unsubscribe", Value: `<${unsubscribeUrl}>` },
      { Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" },
    ]);
    expect(simple.Attachments).toHaveLength(1);
    const [attachment] = simple.Attachments!;
    expect(attachment).toMatchObject({
      FileName: "invite.ics",
      ContentType: "text/calendar; method=REQUEST; charset=UTF-8",
      ContentDisposition: "ATTACHMENT",
    });
    expect(Buffer.from(attachment!.RawContent, "base64").toString("utf8")).toBe(email.calendar!.ics);
    expect(request.ConfigurationSetName).toBe("convene-local");
    expect(request.FromEmailAddress).toBe(from);
    expect(request.Destination?.ToAddresses).toEqual([to]);
    expect(request.ReplyToAddresses).toBeUndefined();
  });

  it("delivers a cancellation with METHOD:CANCEL in both the content type and the ICS", async () => {
    const email = cancellation();
    const { stored } = await sendAndReadBack(email);

    expect(stored.subject).toBe(email.subject);
    expect(stored.subject.startsWith("Cancelled: ")).toBe(true);
    expect(stored.body.text).toBe(email.text);
    expect(stored.body.html).toBe(email.html);
    const calendar = calendarOf(stored, "CANCEL");
    expect(calendar.getFirstPropertyValue("method")).toBe("CANCEL");
    const event = calendar.getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(event.getFirstPropertyValue("uid")).toBe(`${session.id}@convene`);
    expect(event.getFirstPropertyValue("sequence")).toBe(2);
  });

  it("sends an email without a calendar as text and HTML only", async () => {
    const { calendar: _calendar, headers: _headers, ...plain } = invite();
    const { stored, request } = await sendAndReadBack(plain);
    expect(stored.subject).toBe(plain.subject);
    expect(stored.body.text).toBe(plain.text);
    expect(stored.body.html).toBe(plain.html);
    expect(stored.attachments).toEqual([]);
    expect(stored.headers ?? []).toEqual([]);
    expect(request.Content.Simple!.Attachments).toBeUndefined();
    expect(request.Content.Simple!.Headers).toBeUndefined();
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
