import { SendEmailCommand, type SendEmailCommandInput, type SESv2Client } from "@aws-sdk/client-sesv2";
import { recipientTags } from "#domain/recipient.ts";
import type { Mailer, OutgoingEmail } from "#ports/mailer.ts";

export interface SesMailerOptions {
  /** The SES configuration set whose bounce and complaint events reach the bus. */
  configurationSetName?: string;
}

/**
 * Sends through SESv2 SendEmail with simple content: SES composes the MIME, so no MIME library
 * rides in the Lambda bundles. Locally the client points at the SES emulator. Nothing about
 * the message is logged: addresses and bodies are personal data.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesMailerOptions = {},
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const output = await this.client.send(new SendEmailCommand(sendEmailInput(email, this.options)));
    if (!output.MessageId) throw new Error("SES accepted the email but returned no MessageId");
    return { messageId: output.MessageId };
  }
}

/**
 * The SendEmail request of one email: subject, text and HTML bodies, the extra headers
 * (List-Unsubscribe…) and, for an invite, the ICS attached as invite.ics with a text/calendar
 * type whose method matches the ICS, which calendar clients read to offer accept/decline.
 */
export const sendEmailInput = (
  email: OutgoingEmail,
  options: SesMailerOptions = {},
): SendEmailCommandInput => {
  const headers = Object.entries(email.headers ?? {});
  for (const [name, value] of headers) {
    // A line break in a header would let a value add headers of its own.
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value))
      throw new RangeError("an email header contains a line break");
  }
  const utf8 = (data: string) => ({ Data: data, Charset: "UTF-8" });
  return {
    FromEmailAddress: email.from,
    Destination: { ToAddresses: [email.to] },
    ReplyToAddresses: email.replyTo ? [email.replyTo] : undefined,
    Content: {
      Simple: {
        Subject: utf8(email.subject),
        Body: { Text: utf8(email.text), Html: utf8(email.html) },
        Headers: headers.length > 0 ? headers.map(([Name, Value]) => ({ Name, Value })) : undefined,
        Attachments: email.calendar
          ? [
              {
                FileName: "invite.ics",
                ContentType: `text/calendar; method=${email.calendar.method}; charset=UTF-8`,
                ContentDisposition: "ATTACHMENT",
                RawContent: new TextEncoder().encode(email.calendar.ics),
              },
            ]
          : undefined,
      },
    },
    ConfigurationSetName: options.configurationSetName,
    EmailTags: email.recipient ? messageTags(email.recipient) : undefined,
  };
};

// SES refuses a tag value outside these characters, and the whole send with it.
const tagValue = /^[A-Za-z0-9_-]{1,256}$/;

/** The recipient as SES message tags, which SES returns with a bounce or complaint. */
const messageTags = (recipient: NonNullable<OutgoingEmail["recipient"]>) =>
  (Object.keys(recipientTags) as (keyof typeof recipientTags)[]).map((key) => {
    if (!tagValue.test(recipient[key])) throw new RangeError(`a recipient's ${key} cannot be a message tag`);
    return { Name: recipientTags[key], Value: recipient[key] };
  });
