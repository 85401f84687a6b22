import type { Recipient } from "#domain/recipient.ts";
import type { Ports } from "#ports/ports.ts";
import { recordEmailUndeliverable } from "#use-cases/directory/record-email-undeliverable.ts";
import { recordPhoneUndeliverable } from "#use-cases/directory/record-phone-undeliverable.ts";
import { readDeliveryReport, type ReadReportOf } from "./ses-event.ts";
import { readSmsDeliveryReport } from "./sms-event.ts";

type Deps = Pick<Ports, "store" | "clock" | "log">;

/** What became of one report. */
export type ReportOutcome = "marked" | "already" | "no-member" | "transient-bounce" | "not-to-a-member";

/** What became of one SMS delivery event. */
export type SmsReportOutcome =
  "marked" | "already" | "no-member" | "number-changed" | "not-permanent" | "not-to-a-member";

/**
 * Reads one provider's report and applies the problem it names, once (the store's condition
 * makes a redelivered report change nothing). Only the report's kind and ids are logged; never
 * the address or number.
 */
const recordReports =
  <P extends { recipient: Recipient; reason: string }, Why extends string, Outcome extends string>(
    ports: Deps,
    logPrefix: string,
    read: (report: unknown) => ReadReportOf<P, Why>,
    apply: (ports: Deps, problem: P) => Promise<Outcome>,
  ) =>
  async (report: unknown): Promise<Outcome | Why> => {
    const read_ = read(report);
    if (read_.kind === "ignored") {
      ports.log.info(`${logPrefix}delivery report ignored`, { why: read_.why });
      return read_.why;
    }
    const outcome = await apply(ports, read_.problem);
    ports.log.info(`${logPrefix}delivery problem recorded`, {
      memberId: read_.problem.recipient.memberId,
      reason: read_.problem.reason,
      outcome,
    });
    return outcome;
  };

/**
 * SES reports a bounce or a complaint (an EventBridge event from the configuration set; locally,
 * the mailbox simulator's) → the member's email is marked undeliverable, once.
 */
export const createRecordDeliveryProblem = (ports: Deps): ((detail: unknown) => Promise<ReportOutcome>) =>
  recordReports(ports, "", readDeliveryReport, recordEmailUndeliverable);

/**
 * End User Messaging reports a text that failed for good (the SMS configuration set's event,
 * through SNS; locally, the SMS sink's failure numbers) → the member's number is marked
 * undeliverable, once.
 */
export const createRecordSmsDeliveryProblem = (
  ports: Deps,
): ((message: unknown) => Promise<SmsReportOutcome>) =>
  recordReports(ports, "SMS ", readSmsDeliveryReport, recordPhoneUndeliverable);
