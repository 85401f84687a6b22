import { z } from "zod";
import { channels } from "../shared/domain/member.ts";
import { eventEnvelope } from "./envelope.ts";

/** A member stopped a channel (one-click unsubscribe); groupId is the group whose mail they acted on. */
export const MemberUnsubscribed = eventEnvelope(
  "MemberUnsubscribed",
  z.object({ memberId: z.string().min(1), channel: z.enum(channels) }).strict(),
);
export type MemberUnsubscribed = z.infer<typeof MemberUnsubscribed>;
