import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import MailComposer from "nodemailer/lib/mail-composer";
import type { Mailer, OutgoingEmail } from "../../ports/mailer.ts";

export interface SesMailerOptions {
  /** The SES configuration set whose bounce and complaint events reach the bus. */
  configurationSetName?: string;
}

/**
 * Sends through SESv2 SendEmail with raw content, because the simple form cannot carry a
 * text/calendar alternative. Locally the client points at the SES emulator. Nothing about
 * the message is logged: addresses and bodies are personal data.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesMailerOptions = {},
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const output = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: [email.to] },
        Content: { Raw: { Data: await composeRawEmail(email) } },
        ConfigurationSetName: this.options.configurationSetName,
      }),
    );
    if (!output.MessageId) throw new Error("SES accepted the email but returned no MessageId");
    return { messageId: output.MessageId };
  }
}

/**
 * The RFC 5322 message: multipart/alternative with the text, the HTML and, for an invite,
 * a text/calendar part whose method matches the ICS (nodemailer's icalEvent, which also
 * attaches the same ICS as invite.ics for clients that ignore the alternative).
 */
export async function composeRawEmail(email: OutgoingEmail): Promise<Buffer> {
  const headers = email.headers ?? {};
  for (const [name, value] of Object.entries(headers)) {
    // A line break in a header would let a value add headers of its own.
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value))
      throw new RangeError("an email header contains a line break");
  }
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    replyTo: email.replyTo,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers,
    icalEvent: email.calendar ? { method: email.calendar.method, content: email.calendar.ics } : undefined,
  });
  return composer.compile().build();
}
