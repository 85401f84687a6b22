import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, EventBridgeEvent } from "aws-lambda";
import { lambdaRuntime } from "../composition-root.ts";
import { logger } from "../logger.ts";
import { createRecordDeliveryProblem, type ReportOutcome } from "./handler.ts";
import { MalformedReportError } from "./ses-event.ts";

const runtime = lambdaRuntime("record-delivery-problem");

let record: ((detail: unknown) => Promise<ReportOutcome>) | undefined;

/**
 * Lambda entry: SES publishes the configuration set's bounces and complaints to EventBridge,
 * and a rule on Convene's bus delivers them here. A report it cannot read throws, so the
 * rule's retries and then its dead-letter queue keep it; only the paths that failed are logged.
 */
export const handler = middy(
  async (event: EventBridgeEvent<string, unknown>, _context: Context): Promise<ReportOutcome> => {
    record ??= createRecordDeliveryProblem((await runtime()).ports);
    try {
      return await record(event.detail);
    } catch (error) {
      if (error instanceof MalformedReportError)
        logger.error("unreadable SES report rejected", { eventId: event.id, fields: error.paths });
      throw error;
    }
  },
).use(injectLambdaContext(logger, { resetKeys: true }));
