import { z } from "zod";

/** Where Convene's events come from on the bus (EventBridge `source`). */
export const eventSource = "convene" as const;

/**
 * The envelope every Convene event travels in. On EventBridge it is the `detail`, with
 * `detail-type` equal to `type`; locally the bus delivers the same shape.
 */
export const envelopeFields = {
  id: z.uuid(),
  organisationId: z.string().min(1),
  groupId: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
  schemaVersion: z.literal(1),
};

export const eventEnvelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ ...envelopeFields, type: z.literal(type), data }).strict();
