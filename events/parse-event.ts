import * as z from "#validation/zod-mini.ts";
import { eventCatalogue, isEventType, type ConveneEvent } from "./catalogue.ts";

/** Raised for an event that does not match the catalogue; it goes to the dead-letter store. */
export class MalformedEventError extends Error {
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "MalformedEventError";
  }
}

/** Validates an event against the catalogue before any handler acts on it. */
export const parseEvent = (input: unknown): ConveneEvent => {
  const type = (input as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !isEventType(type)) {
    throw new MalformedEventError(`unknown event type: ${JSON.stringify(type)}`);
  }
  const result = eventCatalogue[type].safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new MalformedEventError(`malformed ${type}: ${z.prettifyError(result.error)}`, issues);
  }
  return result.data;
};
