import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, EventBridgeEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { MalformedEventError, parseEvent } from "#events/parse-event.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import type { LambdaRuntime } from "./composition-root.ts";
import { logger } from "./logger.ts";

export type BusDelivery = EventBridgeEvent<string, unknown>;

/** A batch from the SQS queue a route's rule feeds (infra/cdk/constructs/route-queue.ts): each body is a BusDelivery. */
const isQueueBatch = (input: BusDelivery | SQSEvent): input is SQSEvent =>
  Array.isArray((input as SQSEvent).Records);

/**
 * The primary adapter of an event-handling function: EventBridge delivers the envelope as the
 * event's detail, either to the function (asynchronously) or to a queue the function polls,
 * one delivery per message; it is validated against the catalogue before the handler (the
 * very factory the local bus uses) sees it. A malformed event throws, so the invocation (or
 * the message) fails and the retries and then the route's dead-letter queue keep it, with the
 * reason; nothing of it is applied. From a queue, a batch whose messages all failed fails the
 * invocation; otherwise each failed message is reported alone, so only it is received again.
 * Only ids and paths are logged, never the detail's values.
 */
export const eventEntry = (
  create: (ports: Ports) => EventHandler,
  runtime: () => Promise<Pick<LambdaRuntime, "ports">>,
) => {
  let handle: EventHandler | undefined;
  const receive = async (
    input: BusDelivery | SQSEvent,
    _context: Context,
  ): Promise<void | SQSBatchResponse> => {
    if (!isQueueBatch(input)) return deliver(input);
    const failed: SQSBatchResponse["batchItemFailures"] = [];
    let lastError: unknown;
    for (const record of input.Records) {
      try {
        let delivery: BusDelivery;
        try {
          delivery = JSON.parse(record.body) as BusDelivery;
        } catch {
          throw new MalformedEventError("the queue message's body is not JSON");
        }
        await deliver(delivery);
      } catch (error) {
        logger.error("queued event failed", {
          messageId: record.messageId,
          error: error instanceof Error ? error.name : "unknown",
        });
        failed.push({ itemIdentifier: record.messageId });
        lastError = error;
      }
    }
    // Every message failed (the usual batch is one): the invocation fails, as it would if
    // invoked directly, so the function's errors are counted; the messages are received again.
    if (failed.length > 0 && failed.length === input.Records.length) throw lastError;
    return { batchItemFailures: failed };
  };
  const deliver = async (delivery: BusDelivery): Promise<void> => {
    let event;
    try {
      event = parseEvent(delivery.detail);
      if (event.type !== delivery["detail-type"])
        throw new MalformedEventError(
          `detail-type ${delivery["detail-type"]} does not match type ${event.type}`,
        );
    } catch (error) {
      if (error instanceof MalformedEventError)
        logger.error("malformed event rejected", {
          eventId: delivery.id,
          detailType: delivery["detail-type"],
          fields: error.issues.map((i) => i.path),
        });
      throw error;
    }
    logger.appendKeys({ eventId: event.id, eventType: event.type, correlationId: event.correlationId });
    handle ??= create((await runtime()).ports);
    await handle(event);
  };
  return middy(receive).use(injectLambdaContext(logger, { resetKeys: true }));
};
