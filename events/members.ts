import * as z from "#validation/zod-mini.ts";
import { channels, undeliverableReasons } from "#domain/member.ts";
import { eventEnvelope, nonEmpty } from "./envelope.ts";

/** A member stopped a channel (one-click unsubscribe); groupId is the group whose mail they acted on. */
export const MemberUnsubscribed = eventEnvelope(
  "MemberUnsubscribed",
  z.strictObject({ memberId: nonEmpty(), channel: z.enum(channels) }),
);
export type MemberUnsubscribed = z.infer<typeof MemberUnsubscribed>;

/** A member joined a group: their reminders for its upcoming sessions are planned. */
export const MemberJoinedGroup = eventEnvelope("MemberJoinedGroup", z.strictObject({ memberId: nonEmpty() }));
export type MemberJoinedGroup = z.infer<typeof MemberJoinedGroup>;

/** A member's reminder preferences changed; one event per group they belong to. */
export const MemberRemindersChanged = eventEnvelope(
  "MemberRemindersChanged",
  z.strictObject({ memberId: nonEmpty() }),
);
export type MemberRemindersChanged = z.infer<typeof MemberRemindersChanged>;

/** A member left a group (removed by a coordinator); every role they held is vacated with it. */
export const MemberLeftGroup = eventEnvelope(
  "MemberLeftGroup",
  z.strictObject({ memberId: nonEmpty(), leftAt: z.iso.datetime() }),
);
export type MemberLeftGroup = z.infer<typeof MemberLeftGroup>;

/**
 * SES reported that mail to a member's address cannot arrive (a permanent bounce, or a
 * complaint); groupId is the group the mail was about. Nothing more is emailed to them.
 */
export const MemberEmailUndeliverable = eventEnvelope(
  "MemberEmailUndeliverable",
  z.strictObject({ memberId: nonEmpty(), reason: z.enum(undeliverableReasons), since: z.iso.datetime() }),
);
export type MemberEmailUndeliverable = z.infer<typeof MemberEmailUndeliverable>;
