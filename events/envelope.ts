import * as z from "#validation/zod-mini.ts";

/** Where Convene's events come from on the bus (EventBridge `source`). */
export const eventSource = "convene" as const;

/** A string that is not empty. */
export const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * The envelope every Convene event travels in. On EventBridge it is the `detail`, with
 * `detail-type` equal to `type`; locally the bus delivers the same shape.
 */
export const envelopeFields = {
  id: z.uuid(),
  organisationId: nonEmpty(),
  groupId: nonEmpty(),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: nonEmpty(),
  schemaVersion: z.literal(1),
};

export const eventEnvelope = <T extends string, D extends z.ZodMiniType>(type: T, data: D) =>
  z.strictObject({ ...envelopeFields, type: z.literal(type), data });
