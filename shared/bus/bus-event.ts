import type { ConveneEvent } from "#events/catalogue.ts";
import { eventSource } from "#events/envelope.ts";

/** An event as EventBridge delivers it to a target; the Convene envelope is the `detail`. */
export interface BusEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** Wraps an envelope the way EventBridge does, so local patterns see what AWS rules see. */
export const toBusEvent = (event: ConveneEvent, account = "000000000000", region = "local"): BusEvent => ({
  version: "0",
  id: event.id,
  "detail-type": event.type,
  source: eventSource,
  account,
  time: event.occurredAt,
  region,
  resources: [],
  detail: event,
});

/** A handler's use case: it receives a validated Convene event. */
export type EventHandler = (event: ConveneEvent) => Promise<void>;
