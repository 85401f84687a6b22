import type { Ports } from "#ports/ports.ts";
import { MalformedInboundSmsError, parseInboundSms } from "#use-cases/sms/inbound-sms-payload.ts";
import { receiveSms, type SmsReceivedOutcome } from "#use-cases/sms/receive-sms.ts";

export type InboundSmsOutcome = SmsReceivedOutcome | { kind: "malformed"; fields: string[] };

/**
 * An inbound text, as End User Messaging SMS publishes it to SNS (the message, JSON) and as the
 * local SMS route hands it over: read, acted on, and its outcome logged. A malformed payload is
 * a defined outcome (AWS would only deliver it again); the number and the words never reach a log.
 */
export const createReceiveSms =
  (deps: Pick<Ports, "store" | "sms" | "clock" | "log">) =>
  async (raw: unknown): Promise<InboundSmsOutcome> => {
    let outcome: InboundSmsOutcome;
    try {
      outcome = await receiveSms(deps, parseInboundSms(raw));
    } catch (error) {
      if (!(error instanceof MalformedInboundSmsError)) throw error;
      outcome = { kind: "malformed", fields: error.fields };
    }
    deps.log.info("inbound sms handled", { outcome });
    return outcome;
  };
