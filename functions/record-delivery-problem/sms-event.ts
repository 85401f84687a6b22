import { recipientFrom } from "#domain/recipient.ts";
import { isPermanentSmsFailure, phoneUndeliverableReasonOf } from "#domain/sms-failure.ts";
import type { SmsDeliveryProblem } from "#use-cases/directory/record-phone-undeliverable.ts";
import * as z from "#validation/zod-mini.ts";
import { parseReport, type ReadReportOf } from "./ses-event.ts";

// Only what is read of End User Messaging's SMS event record (the SNS message); the rest
// (origination number, carrier, price) is never looked at.
const record = z.object({
  eventType: z.string().check(z.regex(/^TEXT_/)),
  eventTimestamp: z.number().check(z.int(), z.positive()),
  isFinal: z._default(z.boolean(), true),
  destinationPhoneNumber: z.string().check(z.regex(/^\+[1-9][0-9]{1,14}$/)),
  messageId: z.string(),
  context: z._default(z.record(z.string(), z.string()), {}),
});

export type ReadSmsReport = ReadReportOf<SmsDeliveryProblem, "not-permanent" | "not-to-a-member">;

/**
 * Reads one SMS event record. A final TEXT_INVALID or TEXT_BLOCKED makes the number
 * undeliverable (shared/domain/sms-failure.ts says why only these); any other event, or one
 * that is not final, is ignored. Throws MalformedReportError for a record it cannot read.
 */
export const readSmsDeliveryReport = (message: unknown): ReadSmsReport => {
  const report = parseReport(record, message);
  if (!report.isFinal || !isPermanentSmsFailure(report.eventType))
    return { kind: "ignored", why: "not-permanent" };
  // The member a text was for, from its context (sent with SendTextMessage, handed back here).
  const recipient = recipientFrom((name) => report.context[name]);
  if (!recipient) return { kind: "ignored", why: "not-to-a-member" };
  return {
    kind: "problem",
    problem: {
      recipient,
      phone: report.destinationPhoneNumber,
      reason: phoneUndeliverableReasonOf[report.eventType],
      at: new Date(report.eventTimestamp).toISOString(),
    },
  };
};
