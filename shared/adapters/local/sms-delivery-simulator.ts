import { smsContext } from "../aws/sms-sender.ts";
import type { Log } from "#ports/logger.ts";
import type { OutgoingSms, SmsSender } from "#ports/sms-sender.ts";

/**
 * The SMS sink's failure numbers, in Ofcom's range reserved for drama (+44 7700 900000–900999,
 * never a real phone), like SES's mailbox simulator addresses: a text to one is accepted, then
 * its final delivery event reports the failure.
 * - +44 7700 900900–900949: TEXT_INVALID (not a valid number; permanent)
 * - +44 7700 900950–900999: TEXT_BLOCKED (the device or carrier blocks texts; permanent)
 * - +44 7700 900800–900899: TEXT_UNREACHABLE (the phone was off; passing, changes nothing)
 */
export const failureOfNumber = (phone: string): string | undefined => {
  const match = /^\+447700900([89])(\d)\d$/.exec(phone);
  if (!match) return undefined;
  if (match[1] === "8") return "TEXT_UNREACHABLE";
  return Number(match[2]) < 5 ? "TEXT_INVALID" : "TEXT_BLOCKED";
};

/**
 * End User Messaging's delivery events for the failure numbers, locally (the SMS sink publishes
 * none). Wraps the sender: after a text to a failure number is accepted, it reports the event
 * record the configuration set would publish to SNS (the message's context included) to
 * `report`, the same function the Lambda entry hands the SNS message to. A failed report is
 * logged, never thrown: the text was sent, and a throw would have it sent again.
 */
export class SmsDeliverySimulator implements SmsSender {
  constructor(
    private readonly inner: SmsSender,
    private readonly report: (record: unknown) => Promise<unknown>,
    private readonly log: Log,
  ) {}

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    const sent = await this.inner.send(sms);
    const eventType = failureOfNumber(sms.to);
    if (eventType) {
      try {
        await this.report(smsEventRecord(eventType, sms, sent.messageId, new Date()));
      } catch (error) {
        this.log.error("simulated SMS delivery event failed", { eventType, error: String(error) });
      }
    }
    return sent;
  }
}

/** The record End User Messaging publishes for the final event of one text (its documented shape). */
const smsEventRecord = (eventType: string, sms: OutgoingSms, messageId: string, at: Date) => ({
  eventType,
  eventVersion: "1.0",
  eventTimestamp: at.getTime() + 1000,
  isFinal: true,
  destinationPhoneNumber: sms.to,
  isoCountryCode: "GB",
  messageId,
  messageRequestTimestamp: at.getTime(),
  messageType: "TRANSACTIONAL",
  messageStatus: eventType.replace(/^TEXT_/, ""),
  messageStatusDescription: "Simulated by Convene's local SMS sink",
  context: sms.recipient ? smsContext(sms.recipient) : {},
  totalMessageParts: 1,
});
