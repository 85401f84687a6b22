import type { Ports } from "#ports/ports.ts";
import { recordEmailUndeliverable } from "#use-cases/directory/record-email-undeliverable.ts";
import { readDeliveryReport } from "./ses-event.ts";

type Deps = Pick<Ports, "store" | "clock" | "log">;

/** What became of one report. */
export type ReportOutcome = "marked" | "already" | "no-member" | "transient-bounce" | "not-to-a-member";

/**
 * SES reports a bounce or a complaint (an EventBridge event from the configuration set; locally,
 * the mailbox simulator's) → the member's email is marked undeliverable, once. Only the report's
 * kind and ids are logged; never the address.
 */
export const createRecordDeliveryProblem =
  (ports: Deps) =>
  async (detail: unknown): Promise<ReportOutcome> => {
    const report = readDeliveryReport(detail);
    if (report.kind === "ignored") {
      ports.log.info("delivery report ignored", { why: report.why });
      return report.why;
    }
    const outcome = await recordEmailUndeliverable(ports, report.problem);
    ports.log.info("delivery problem recorded", {
      memberId: report.problem.recipient.memberId,
      reason: report.problem.reason,
      outcome,
    });
    return outcome;
  };
