import * as z from "#validation/zod-mini.ts";
import { consentMethods } from "#domain/consent.ts";
import { phoneUndeliverableReasons } from "#domain/sms-failure.ts";
import { eventEnvelope, nonEmpty } from "./envelope.ts";

// SMS events carry ids only: a phone number or a text's words never travel on the bus, its
// archive or a dead letter. The text itself waits in the table, under its inboundMessageId.

/** A member's SMS consent was withdrawn (a STOP text, an admin); one event per group they belong to. */
export const MemberSmsOptedOut = eventEnvelope(
  "MemberSmsOptedOut",
  z.strictObject({ memberId: nonEmpty(), how: z.enum(consentMethods), at: z.iso.datetime() }),
);
export type MemberSmsOptedOut = z.infer<typeof MemberSmsOptedOut>;

/** A member's SMS consent was given again (a START text, a form); one event per group they belong to. */
export const MemberSmsOptedIn = eventEnvelope(
  "MemberSmsOptedIn",
  z.strictObject({
    memberId: nonEmpty(),
    how: z.enum(consentMethods),
    wordingVersion: nonEmpty(),
    at: z.iso.datetime(),
  }),
);
export type MemberSmsOptedIn = z.infer<typeof MemberSmsOptedIn>;

/**
 * A member texted something that is no keyword: an answer for the steps that read them. One
 * event per member with that number; groupId is one of the member's groups (the first by id),
 * as which question the text answers is for its reader to find. The text is read from the
 * table by `inboundMessageId`.
 */
export const SmsReceived = eventEnvelope(
  "SmsReceived",
  z.strictObject({
    memberId: nonEmpty(),
    inboundMessageId: nonEmpty(),
    /** The message of ours the member answered, when their phone said so. */
    previousPublishedMessageId: z.optional(nonEmpty()),
    receivedAt: z.iso.datetime(),
  }),
);
export type SmsReceived = z.infer<typeof SmsReceived>;

/**
 * A text to a member's number failed for good (End User Messaging's TEXT_INVALID or
 * TEXT_BLOCKED; locally, the sink's failure numbers); groupId is the group the text was about.
 * Nothing more is texted to the number; the member counts unreachable if no channel is left.
 */
export const MemberPhoneUndeliverable = eventEnvelope(
  "MemberPhoneUndeliverable",
  z.strictObject({
    memberId: nonEmpty(),
    reason: z.enum(phoneUndeliverableReasons),
    since: z.iso.datetime(),
  }),
);
export type MemberPhoneUndeliverable = z.infer<typeof MemberPhoneUndeliverable>;
