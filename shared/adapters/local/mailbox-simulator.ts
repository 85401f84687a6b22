import { sendEmailInput } from "../aws/ses-mailer.ts";
import type { Mailer, OutgoingEmail } from "#ports/mailer.ts";
import type { Log } from "#ports/logger.ts";

/** What SES's mailbox simulator does with mail to its addresses (a `+label` may follow the name). */
const simulated = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;

/**
 * SES's mailbox simulator, locally. On AWS, mail to bounce@simulator.amazonses.com comes back
 * as a permanent bounce and mail to complaint@… as a complaint, which the configuration set
 * publishes to EventBridge. The SES emulator does neither, so this wraps the mailer: after such
 * a send it reports the event record SES would publish (the message's tags included) to
 * `report`, the same function the Lambda entry hands EventBridge's detail to. A failed report
 * is logged, never thrown: the email was sent, and a throw would have it sent again.
 */
export class MailboxSimulator implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly report: (detailType: string, detail: unknown) => Promise<unknown>,
    private readonly log: Log,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const sent = await this.inner.send(email);
    const kind = simulated.exec(email.to.trim())?.[1]?.toLowerCase();
    if (kind === "bounce" || kind === "complaint") {
      try {
        await this.report(...sesRecord(kind, email, sent.messageId, new Date()));
      } catch (error) {
        this.log.error("simulated SES report failed", { kind, error: String(error) });
      }
    }
    return sent;
  }
}

/** The EventBridge detail-type and detail SES publishes for a bounce or complaint of one message. */
const sesRecord = (
  kind: "bounce" | "complaint",
  email: OutgoingEmail,
  messageId: string,
  at: Date,
): [string, unknown] => {
  const tags: Record<string, string[]> = {};
  for (const { Name, Value } of sendEmailInput(email).EmailTags ?? [])
    if (Name && Value) tags[Name] = [...(tags[Name] ?? []), Value];
  const mail = {
    timestamp: at.toISOString(),
    source: email.from,
    messageId,
    destination: [email.to],
    tags,
  };
  const timestamp = new Date(at.getTime() + 1000).toISOString();
  return kind === "bounce"
    ? [
        "Email Bounced",
        {
          eventType: "Bounce",
          bounce: {
            bounceType: "Permanent",
            bounceSubType: "General",
            bouncedRecipients: [{ emailAddress: email.to, action: "failed", status: "5.1.1" }],
            timestamp,
          },
          mail,
        },
      ]
    : [
        "Email Complaint Received",
        {
          eventType: "Complaint",
          complaint: { complainedRecipients: [{ emailAddress: email.to }], timestamp },
          mail,
        },
      ];
};
