import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, SNSEvent } from "aws-lambda";
import type { LambdaRuntime } from "../composition-root.ts";
import { logger } from "../logger.ts";
import type { createReceiveSms, InboundSmsOutcome } from "./handler.ts";

/**
 * The primary adapter of inbound texts on AWS: End User Messaging SMS publishes each text to
 * the two-way SNS topic, which invokes the function asynchronously with one record (the
 * message is AWS's inbound JSON). Each record goes to the very handler the local SMS route
 * calls. A record that does not read as a text is an outcome ("malformed", its fields named),
 * since delivering it again would change nothing; a failure (DynamoDB, the reply's send)
 * throws, so Lambda retries the invocation and then dead-letters it, and the handler, keyed
 * on inboundMessageId, does nothing twice. Only SNS's message id and the outcome are logged.
 */
export const snsTextsEntry = (
  create: typeof createReceiveSms,
  runtime: () => Promise<Pick<LambdaRuntime, "ports">>,
) => {
  let receive: ((raw: unknown) => Promise<InboundSmsOutcome>) | undefined;
  const texts = async (event: SNSEvent, _context: Context): Promise<InboundSmsOutcome[]> => {
    receive ??= create((await runtime()).ports);
    const outcomes: InboundSmsOutcome[] = [];
    for (const record of event.Records ?? []) {
      logger.appendKeys({ snsMessageId: record.Sns?.MessageId });
      outcomes.push(await receive(record.Sns?.Message));
    }
    return outcomes;
  };
  return middy(texts).use(injectLambdaContext(logger, { resetKeys: true }));
};
