import type { ConveneEvent } from "#events/catalogue.ts";
import { itemKind, keys } from "./keys.ts";

/** Outbox records live a week: long enough for the stream (24 h) and for replay by hand. */
const outboxLifetimeSeconds = 7 * 24 * 3600;

/**
 * The item that carries an event from a transaction to the stream, and so to the bus. Nothing
 * reads it back through a schema (the stream filter and the relay read `kind` and `detail`), so
 * its schema version is written here, without pulling the item schemas into the relay's bundle.
 */
export const outboxRecord = (event: ConveneEvent) => ({
  ...keys.outbox(event.organisationId, event.id),
  kind: itemKind.outbox,
  schemaVersion: 1,
  eventType: event.type,
  detail: JSON.stringify(event),
  expiresAt: Math.floor(Date.parse(event.occurredAt) / 1000) + outboxLifetimeSeconds,
});

export type OutboxRecord = ReturnType<typeof outboxRecord>;

/** Reads an event back out of a stream record's new image (already unmarshalled). */
export const eventFromOutboxImage = (image: Record<string, unknown>): unknown =>
  image.kind === itemKind.outbox && typeof image.detail === "string" ? JSON.parse(image.detail) : undefined;
