import type { BallotReplyOutcome } from "#use-cases/votes/receive-ballot-reply.ts";
import type { RoleReplyOutcome } from "#use-cases/roles/receive-role-reply.ts";
import type { SeriesReplyOutcome } from "#use-cases/series/receive-series-reply.ts";
import type { RsvpReplyOutcome } from "#use-cases/rsvp/receive-rsvp-reply.ts";

/** What became of a reply; logged by kind only, never with an address or a body. */
export type ReplyOutcome =
  | "auto-reply"
  | "oversized"
  | "malformed"
  | BallotReplyOutcome
  | RoleReplyOutcome
  | SeriesReplyOutcome
  | RsvpReplyOutcome;

/**
 * Which outcomes acted on the reply; every other one is counted in RepliesRefused by its name.
 * A record, so that a new outcome does not compile until it is placed. A redelivered message
 * ("duplicate-message") is neither: the reply was already counted once.
 */
const outcomeKinds: Record<ReplyOutcome, "acted" | "refused" | "repeat"> = {
  counted: "acted",
  replaced: "acted",
  volunteered: "acted",
  accepted: "acted",
  declined: "acted",
  objected: "acted",
  appointed: "acted",
  confirmed: "acted",
  ending: "acted",
  recorded: "acted",
  "not-asked": "refused",
  "no-session": "refused",
  "session-cancelled": "refused",
  "session-past": "refused",
  "unknown-event": "refused",
  "other-attendee": "refused",
  "already-ended": "refused",
  "series-gone": "refused",
  "not-a-coordinator": "refused",
  "duplicate-message": "repeat",
  // The same answer again in a new message: nothing to act on, nothing refused.
  unchanged: "repeat",
  "already-volunteered": "refused",
  superseded: "refused",
  "vote-closed": "refused",
  "unknown-token": "refused",
  "auto-reply": "refused",
  oversized: "refused",
  malformed: "refused",
  unreadable: "refused",
  ambiguous: "refused",
  empty: "refused",
  "not-from-member": "refused",
  "held-for-confirmation": "refused",
  unverified: "refused",
  "vacancy-over": "refused",
  "not-a-member": "refused",
  "not-a-candidate": "refused",
};

/** The outcome as a refusal's reason, when the reply changed nothing; else undefined. */
export const refusalOf = (outcome: ReplyOutcome): ReplyOutcome | undefined =>
  outcomeKinds[outcome] === "refused" ? outcome : undefined;
