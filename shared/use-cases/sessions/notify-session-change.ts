import { deliverEach, deliverOnce } from "#delivery/deliver-once.ts";
import { rsvpAskerFor } from "#delivery/send-rsvp-email.ts";
import { sessionMessageSender } from "#delivery/session-message-sender.ts";
import { takesSms } from "#domain/consent.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import { takesEmail, type Channel, type Member } from "#domain/member.ts";
import { toldAtOnceWithinMs } from "#domain/series-edit.ts";
import type { Ports } from "#ports/ports.ts";
import { changeTextAt, holdChangeTexts } from "./hold-change-texts.ts";

/** Members hear of a change by email, and by SMS too if they take SMS reminders. */
const channelsFor = (member: Member): Channel[] => [
  ...(takesEmail(member) ? (["email"] as const) : []),
  ...(takesSms(member) && member.reminders.some((r) => r.channel === "sms") ? (["sms"] as const) : []),
];

export type SessionChangeNotified =
  { stale: true; current?: number } | { deliveries: number; textsHeldUntil?: Date };

/**
 * Whether members are told of a change at once. A coordinator's own always; one that follows
 * from its series (it ended, or an edit of it moved or dropped the session) only within 48
 * hours of the session: the series' other sessions would otherwise each send their own notice
 * at the same moment. A moved session not told at once carries a note for its next reminder.
 */
export const toldAtOnce = (
  cancelled: { session: { startLocal: string; timeZone: string }; cause?: "series-ended" | "series-edited" },
  now: Date,
): boolean =>
  cancelled.cause === undefined ||
  sessionStartInstant(cancelled.session.startLocal, cancelled.session.timeZone).getTime() - now.getTime() <=
    toldAtOnceWithinMs;

/**
 * Which part of a change notice is sent: all of it as the change happens (texts maybe held
 * until quiet hours end), or the texts alone, at once (the held ones, when due).
 */
export type ChangeNoticePart =
  { part: "as-changed"; previousStartLocal?: string; correlationId: string } | { part: "texts" };

/**
 * A session was rescheduled or cancelled → every member is told, with an updated calendar
 * invite (same UID, higher SEQUENCE) or its cancellation (METHOD:CANCEL).
 * 1. Read the session; an event for a version that is no longer current tells nothing (a
 *    held text of a superseded version included).
 * 2. Emails go at once. Texts too, unless the group's quiet hours hold them (changeTextAt):
 *    then one schedule per version sends them when they end ("texts").
 * 3. For each member and channel, render the message, claim (session, version, member,
 *    channel, notice), then send: the held texts use the same keys, so each goes once.
 */
export const notifySessionChange = async (
  ports: Pick<Ports, "store" | "rsvps" | "mailer" | "sms" | "clock" | "settings" | "scheduler">,
  change: { organisationId: string; groupId: string; sessionId: string; version: number },
  notice: "moved" | "cancelled",
  sending: ChangeNoticePart,
): Promise<SessionChangeNotified> => {
  const { store } = ports;
  const { organisationId: o, groupId: g, version } = change;
  const session = await store.getSession(o, g, change.sessionId);
  if (!session || session.version !== version) return { stale: true, current: session?.version };
  let sends: (channel: Channel) => boolean = (channel) => channel === "sms";
  let textsHeldUntil: Date | undefined;
  if (sending.part === "as-changed") {
    const textAt = changeTextAt(session, ports.clock.now(), sending.previousStartLocal);
    const held = textAt.getTime() > ports.clock.now().getTime();
    // Before any send: a retry after a crash creates the same named schedule, not a second.
    if (held) await holdChangeTexts(ports, session, notice, textAt, sending.correlationId);
    textsHeldUntil = held ? textAt : undefined;
    sends = (channel) => !held || channel !== "sms";
  }
  const [group, members, ask] = await Promise.all([
    store.getGroup(o, g),
    store.listGroupMembers(o, g),
    rsvpAskerFor(ports, session),
  ]);
  const deliveries = members.flatMap((member) =>
    channelsFor(member)
      .filter(sends)
      .map((channel) => ({ member, channel })),
  );
  const senderFor = sessionMessageSender(ports, notice, session, group?.name ?? "your group", ask);
  await deliverEach(deliveries, async ({ member, channel }) => {
    const send = await senderFor(member, channel);
    return deliverOnce(
      store,
      session.organisationId,
      ["notice", notice, session.id, `v${version}`, member.id, channel].join("#"),
      ports.clock.now(),
      send,
    );
  });
  return { deliveries: deliveries.length, ...(textsHeldUntil ? { textsHeldUntil } : {}) };
};
