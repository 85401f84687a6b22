import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { deliverOnce, deliverEach } from "#delivery/deliver-once.ts";
import { takesEmail, type Channel, type Member } from "#domain/member.ts";
import { sessionMessageSender, type SessionNotice } from "#messages/session-messages.ts";
import type { Ports } from "#ports/ports.ts";

/** Members hear of a change by email, and by SMS too if they take SMS reminders. */
const channelsFor = (member: Member): Channel[] => [
  ...(takesEmail(member) ? (["email"] as const) : []),
  ...(member.phone &&
  !member.unsubscribed.includes("sms") &&
  member.reminders.some((r) => r.channel === "sms")
    ? (["sms"] as const)
    : []),
];

/**
 * Session rescheduled or cancelled → every member is told at once, with an updated calendar
 * invite (same UID, higher SEQUENCE) or its cancellation (METHOD:CANCEL).
 * 1. Read the session; an event for a version that is no longer current tells nothing.
 * 2. For each member and channel, render the message, claim (session, version, member,
 *    channel, notice), then send. What all members' messages share is worked out once.
 */
export const createNotifySessionChange =
  (ports: Pick<Ports, "store" | "mailer" | "sms" | "clock" | "log" | "settings">): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type !== "SessionRescheduled" && event.type !== "SessionCancelled") return;
    const { store, log } = ports;
    const notice: SessionNotice = event.type === "SessionCancelled" ? "cancelled" : "moved";
    const { id: sessionId, version } = event.data.session;
    const session = await store.getSession(event.organisationId, event.groupId, sessionId);
    if (!session || session.version !== version) {
      log.info("stale session change ignored", { sessionId, version, current: session?.version });
      return;
    }
    const [group, members] = await Promise.all([
      store.getGroup(event.organisationId, event.groupId),
      store.listGroupMembers(event.organisationId, event.groupId),
    ]);
    const deliveries = members.flatMap((member) =>
      channelsFor(member).map((channel) => ({ member, channel })),
    );
    const senderFor = sessionMessageSender(ports, notice, session, group?.name ?? "your group");
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
    log.info("session change notified", { sessionId, version, notice, deliveries: deliveries.length });
  };
