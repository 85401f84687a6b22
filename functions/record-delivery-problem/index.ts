import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, EventBridgeEvent, SNSEvent } from "aws-lambda";
import { lambdaRuntime } from "../composition-root.ts";
import { logger } from "../logger.ts";
import {
  createRecordDeliveryProblem,
  createRecordSmsDeliveryProblem,
  type ReportOutcome,
  type SmsReportOutcome,
} from "./handler.ts";
import { MalformedReportError } from "./ses-event.ts";

const runtime = lambdaRuntime("record-delivery-problem");

let record: ((detail: unknown) => Promise<ReportOutcome>) | undefined;
let recordSms: ((message: unknown) => Promise<SmsReportOutcome>) | undefined;

const isSnsEvent = (event: EventBridgeEvent<string, unknown> | SNSEvent): event is SNSEvent =>
  "Records" in event;

/**
 * Lambda entry, for two sources. SES publishes the configuration set's bounces and complaints
 * to EventBridge, and a rule on Convene's bus delivers them here; End User Messaging SMS
 * publishes texts that failed for good to an SNS topic this function is subscribed to. A
 * report it cannot read throws, so the rule's (or Lambda's) retries and then the dead-letter
 * queue keep it; only the paths that failed are logged.
 */
export const handler = middy(
  async (
    event: EventBridgeEvent<string, unknown> | SNSEvent,
    _context: Context,
  ): Promise<ReportOutcome | SmsReportOutcome[]> => {
    const ports = (await runtime()).ports;
    try {
      if (!isSnsEvent(event)) return await (record ??= createRecordDeliveryProblem(ports))(event.detail);
      recordSms ??= createRecordSmsDeliveryProblem(ports);
      const outcomes: SmsReportOutcome[] = [];
      for (const { Sns } of event.Records) outcomes.push(await recordSms(JSON.parse(Sns.Message) as unknown));
      return outcomes;
    } catch (error) {
      if (error instanceof MalformedReportError)
        logger.error("unreadable delivery report rejected", {
          eventId: isSnsEvent(event) ? event.Records[0]?.Sns.MessageId : event.id,
          fields: error.paths,
        });
      throw error;
    }
  },
).use(injectLambdaContext(logger, { resetKeys: true }));
