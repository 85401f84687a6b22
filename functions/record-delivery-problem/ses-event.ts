import { recipientFrom, type Recipient } from "#domain/recipient.ts";
import type { DeliveryProblem } from "#use-cases/directory/record-email-undeliverable.ts";
import * as z from "#validation/zod-mini.ts";

/** The EventBridge detail-types of SES's reports this function takes (its rule matches these). */
export const deliveryProblemTypes = ["Email Bounced", "Email Complaint Received"] as const;

// Only what is read of SES's event record; the rest (addresses, headers) is never looked at.
const tags = z.record(z.string(), z.array(z.string()));
const mail = z.object({ messageId: z.string(), tags: z._default(tags, {}) });
const bounce = z.object({
  eventType: z.literal("Bounce"),
  bounce: z.object({
    bounceType: z.enum(["Permanent", "Transient", "Undetermined"]),
    timestamp: z.iso.datetime({ offset: true }),
  }),
  mail,
});
const complaint = z.object({
  eventType: z.literal("Complaint"),
  complaint: z.object({ timestamp: z.iso.datetime({ offset: true }) }),
  mail,
});
const record = z.discriminatedUnion("eventType", [bounce, complaint]);

export class MalformedReportError extends Error {
  override name = "MalformedReportError";
  constructor(readonly paths: string[]) {
    super(`the delivery report is not one this function reads (${paths.join(", ") || "its shape"})`);
  }
}

/** A report read by `schema`, or MalformedReportError naming the paths it could not read. */
export const parseReport = <S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> => {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new MalformedReportError(parsed.error.issues.map((i) => i.path.join(".")));
  return parsed.data;
};

/** What a report says: a problem to record, or why it is none. */
export type ReadReportOf<P, Why extends string> =
  { kind: "problem"; problem: P } | { kind: "ignored"; why: Why };

/** The member a message was for, from its tags; undefined for mail to anyone else (an alert address). */
const recipientOf = (messageTags: Record<string, string[]>): Recipient | undefined =>
  recipientFrom((name) => (messageTags[name]?.length === 1 ? messageTags[name][0] : undefined));

export type ReadReport = ReadReportOf<DeliveryProblem, "transient-bounce" | "not-to-a-member">;

/**
 * Reads one SES event record (the EventBridge detail). A permanent (or undetermined) bounce and
 * a complaint make the member's email undeliverable; a transient bounce (a full mailbox, say)
 * does not, since SES has already retried it and the next mail may arrive. Throws
 * MalformedReportError for a record it cannot read, so nothing is applied and it is kept.
 */
export const readDeliveryReport = (detail: unknown): ReadReport => {
  const report = parseReport(record, detail);
  if (report.eventType === "Bounce" && report.bounce.bounceType === "Transient")
    return { kind: "ignored", why: "transient-bounce" };
  const recipient = recipientOf(report.mail.tags);
  if (!recipient) return { kind: "ignored", why: "not-to-a-member" };
  return report.eventType === "Bounce"
    ? { kind: "problem", problem: { recipient, reason: "bounced", at: report.bounce.timestamp } }
    : { kind: "problem", problem: { recipient, reason: "complained", at: report.complaint.timestamp } };
};
