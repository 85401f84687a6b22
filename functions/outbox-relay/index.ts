import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, DynamoDBRecord } from "aws-lambda";
import { logger } from "../logger.ts";
import { relayOutboxRecords } from "./handler.ts";

/** Lambda entry: EventBridge Pipes invokes the enrichment with the batch as a bare array. */
export const handler = middy((records: DynamoDBRecord[], _context: Context): Promise<unknown[]> => {
  const events = relayOutboxRecords(records);
  logger.info("outbox records relayed", { records: records.length, events: events.length });
  return Promise.resolve(events);
}).use(injectLambdaContext(logger, { resetKeys: true }));
