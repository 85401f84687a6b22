import * as z from "#validation/zod-mini.ts";

const e164 = z.string().check(z.regex(/^\+[1-9]\d{1,14}$/, "must be a phone number in E.164 form"));
const id = z.string().check(z.minLength(1), z.maxLength(256));

/**
 * What AWS End User Messaging SMS publishes to the two-way SNS topic for each inbound text (the
 * SNS message, JSON); locally the SMS sink's inbound route and CLI hand the same object over.
 * Fields AWS may add later are let through and ignored.
 */
export const InboundSmsPayload = z.object({
  originationNumber: e164,
  destinationNumber: z.string().check(z.minLength(1)),
  /** The keyword AWS matched on the number, if any (its managed STOP list is one). */
  messageKeyword: z.optional(z.string()),
  /** Any string: an empty or overlong text is for readInboundSms to classify, not an error. */
  messageBody: z.string(),
  inboundMessageId: id,
  /** Our message the member answered, when their phone threads replies. */
  previousPublishedMessageId: z.optional(z.string()),
});
export type InboundSmsPayload = z.infer<typeof InboundSmsPayload>;

/** An inbound text that does not read as the payload; names the fields at fault, never values. */
export class MalformedInboundSmsError extends Error {
  override readonly name = "MalformedInboundSmsError";
  constructor(readonly fields: string[]) {
    super(`malformed inbound SMS at ${fields.join(", ")}`);
  }
}

/** Reads the payload from the SNS message (a JSON string) or from the object itself. */
export function parseInboundSms(raw: unknown): InboundSmsPayload {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new MalformedInboundSmsError(["(message is not JSON)"]);
    }
  }
  const result = InboundSmsPayload.safeParse(value);
  if (!result.success)
    throw new MalformedInboundSmsError(result.error.issues.map((i) => i.path.join(".") || "(payload)"));
  // An empty previousPublishedMessageId is how AWS says there was none.
  const { previousPublishedMessageId, ...rest } = result.data;
  return previousPublishedMessageId ? { ...rest, previousPublishedMessageId } : rest;
}
