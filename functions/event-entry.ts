import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context, EventBridgeEvent } from "aws-lambda";
import { MalformedEventError, parseEvent } from "#events/parse-event.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import type { LambdaRuntime } from "./composition-root.ts";
import { logger } from "./logger.ts";

export type BusDelivery = EventBridgeEvent<string, unknown>;

/**
 * The primary adapter of an event-handling function: EventBridge delivers the envelope as the
 * event's detail; it is validated against the catalogue before the handler (the very factory
 * the local bus uses) sees it. A malformed event throws, so the invocation fails and Lambda's
 * retries and then the function's dead-letter queue keep it, with the reason; nothing of it
 * is applied. Only ids and paths are logged, never the detail's values.
 */
export const eventEntry = (
  create: (ports: Ports) => EventHandler,
  runtime: () => Promise<Pick<LambdaRuntime, "ports">>,
) => {
  let handle: EventHandler | undefined;
  const receive = async (delivery: BusDelivery, _context: Context): Promise<void> => {
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
