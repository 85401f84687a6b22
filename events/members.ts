import { z } from "zod";
import { channels } from "../shared/domain/member.ts";
import { eventEnvelope } from "./envelope.ts";

/** A member stopped a channel (one-click unsubscribe); groupId is the group whose mail they acted on. */
export const MemberUnsubscribed = eventEnvelope(
  "MemberUnsubscribed",
  z.object({ memberId: z.string().min(1), channel: z.enum(channels) }).strict(),
);
export type MemberUnsubscribed = z.infer<typeof MemberUnsubscribed>;

/** A member joined a group: their reminders for its upcoming sessions are planned. */
export const MemberJoinedGroup = eventEnvelope(
  "MemberJoinedGroup",
  z.object({ memberId: z.string().min(1) }).strict(),
);
export type MemberJoinedGroup = z.infer<typeof MemberJoinedGroup>;

/** A member's reminder preferences changed; one event per group they belong to. */
export const MemberRemindersChanged = eventEnvelope(
  "MemberRemindersChanged",
  z.object({ memberId: z.string().min(1) }).strict(),
);
export type MemberRemindersChanged = z.infer<typeof MemberRemindersChanged>;
