import { uidOfSession } from "#calendar/uids.ts";
import { deliverOnce } from "#delivery/deliver-once.ts";
import { sendRsvpEmail, type RsvpMailPorts } from "#delivery/send-rsvp-email.ts";
import type { Member } from "#domain/member.ts";
import type { RsvpAnswer, RsvpRef, RsvpSource } from "#domain/rsvp.ts";
import { readItipReply } from "#inbound/read-itip-reply.ts";
import { readRsvp } from "#inbound/read-rsvp.ts";
import { renderRsvpNotRecorded, type RsvpProblem } from "#messages/rsvp/rsvp-not-recorded-email.ts";
import type { Ports } from "#ports/ports.ts";
import type { ReceivedReply } from "../votes/receive-ballot-reply.ts";
import { recordRsvp, type RsvpOutcome } from "./record-rsvp.ts";

export type RsvpReplyOutcome =
  | RsvpOutcome["kind"]
  | "duplicate-message"
  | "not-from-member"
  | "unverified"
  | "unknown-token"
  | "ambiguous"
  | "unreadable"
  | "empty"
  /** A calendar reply for another event than the session the address stands for. */
  | "unknown-event"
  /** A calendar reply whose attendee is not the member the address belongs to (a forwarded invite). */
  | "other-attendee";

/** metrics: the answers recorded are counted (RsvpAnswers); the reply function has the port. */
type Deps = RsvpMailPorts & Partial<Pick<Ports, "metrics">>;

/**
 * A member answered an RSVP email by replying to it, in words ("yes", "can't make it") or with
 * their calendar's Accept/Decline/Tentative (an iTIP REPLY, read first when the mail has one).
 * The same trust rules as a ballot: the token names the member and the session, the From
 * address must be theirs, a DMARC failure acts on nothing, and one message acts once (its key is
 * claimed first, and given back if acting fails). A reply that recorded nothing the member can
 * put right is explained to their own address.
 */
export const receiveRsvpReply = async (
  deps: Deps,
  rsvpToken: string,
  { reply, messageKey, dmarcFailed }: ReceivedReply,
): Promise<RsvpReplyOutcome> => {
  const ref = await deps.rsvps.resolveRsvpToken(rsvpToken);
  if (!ref) return "unknown-token";
  const member = await deps.store.getMember(ref.organisationId, ref.memberId);
  if (!member) return "not-a-member";
  let outcome: RsvpReplyOutcome = "duplicate-message";
  await deliverOnce(
    deps.store,
    ref.organisationId,
    `rsvp-reply#${messageKey}`,
    deps.clock.now(),
    async () => {
      if (reply.from !== member.email.toLowerCase()) outcome = "not-from-member";
      else if (dmarcFailed) outcome = "unverified";
      else outcome = await answerFrom(deps, ref, member, reply, messageKey);
    },
  );
  const problem = problemOf(outcome);
  if (problem) await explain(deps, ref, member, problem, messageKey);
  return outcome;
};

/** The calendar's answer if the mail carries one, else what the member typed. */
const answerFrom = async (
  deps: Deps,
  ref: RsvpRef,
  member: Member,
  reply: ReceivedReply["reply"],
  messageKey: string,
): Promise<RsvpReplyOutcome> => {
  const now = deps.clock.now();
  const record = async (answer: RsvpAnswer, source: RsvpSource, answeredAt: Date) =>
    (await recordRsvp(deps, { ...ref, answer, source, answeredAt, messageKey }, deps.metrics)).kind;
  const calendar = readItipReply(reply.calendar);
  if (calendar.kind === "reply") {
    const session = await deps.store.getSession(ref.organisationId, ref.groupId, ref.sessionId);
    if (!session) return "no-session";
    if (calendar.uid !== uidOfSession(session)) return "unknown-event";
    if (calendar.attendee !== member.email.toLowerCase()) return "other-attendee";
    if (!calendar.answer) return "unreadable";
    // When the calendar made it (DTSTAMP counts whole seconds: taken at its second's end, so
    // an answer made in the same second is not older), never later than it arrived.
    const stamped = calendar.madeAt && new Date(calendar.madeAt.getTime() + 999);
    const madeAt = stamped && stamped < now ? stamped : now;
    return record(calendar.answer, "calendar", madeAt);
  }
  const typed = readRsvp(reply.typedText);
  if (typed.kind !== "choice") return typed.kind;
  return record(typed.value as RsvpAnswer, "reply", now);
};

const problemOf = (outcome: RsvpReplyOutcome): RsvpProblem | undefined => {
  switch (outcome) {
    case "unreadable":
    case "empty":
    case "unknown-event":
    case "other-attendee":
      return "unreadable";
    case "ambiguous":
    case "session-cancelled":
    case "session-past":
    case "not-asked":
      return outcome;
    default:
      return undefined;
  }
};

/** Once per message: the explanation's delivery is keyed by it. */
const explain = async (
  deps: Deps,
  ref: RsvpRef,
  member: Member,
  problem: RsvpProblem,
  messageKey: string,
) => {
  const [session, group] = await Promise.all([
    deps.store.getSession(ref.organisationId, ref.groupId, ref.sessionId),
    deps.store.getGroup(ref.organisationId, ref.groupId),
  ]);
  if (!session) return;
  await sendRsvpEmail(
    deps,
    session,
    member,
    group?.name ?? "your group",
    `rsvp-reply-answer#${messageKey}`,
    (input, links) => renderRsvpNotRecorded({ ...input, problem, links }),
  );
};
