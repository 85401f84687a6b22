import { deliverEach, deliverOnce } from "#delivery/deliver-once.ts";
import { rsvpAskerFor } from "#delivery/send-rsvp-email.ts";
import { sessionMessageSender } from "#delivery/session-message-sender.ts";
import { deliveryKey, planReminders, remindersDueAt } from "#domain/reminder-plan.ts";
import type { Ports } from "#ports/ports.ts";

/** The reminder instant a wake-up schedule fired for, and the session version it was planned for. */
export interface ReminderDue {
  organisationId: string;
  groupId: string;
  sessionId: string;
  sessionVersion: number;
  dueAt: string;
}

export type RemindersSent = { stale: true; current?: number } | { sent: number; alreadySent: number };

/**
 * A reminder instant has come → what falls due then is sent.
 * 1. Read the session; a schedule for an older version, or a cancelled session, sends nothing.
 * 2. Plan again with the members as they are now and keep the reminders due at this instant,
 *    so an unsubscribe or a new preference since planning is honoured.
 * 3. Render each message, then send it after claiming its delivery key, so a redelivered
 *    event sends nothing twice. What all members' messages share is worked out once.
 */
export const sendSessionReminders = async (
  ports: Pick<Ports, "store" | "rsvps" | "mailer" | "sms" | "clock" | "settings">,
  due: ReminderDue,
): Promise<RemindersSent> => {
  const { store } = ports;
  const session = await store.getSession(due.organisationId, due.groupId, due.sessionId);
  if (!session || session.version !== due.sessionVersion || session.status !== "scheduled")
    return { stale: true, current: session?.version };
  const [group, members, ask] = await Promise.all([
    store.getGroup(due.organisationId, due.groupId),
    store.listGroupMembers(due.organisationId, due.groupId),
    rsvpAskerFor(ports, session),
  ]);
  const reminders = remindersDueAt(
    planReminders({ session, members, now: new Date(Date.parse(due.dueAt) - 1) }),
    due.dueAt,
  );
  const byId = new Map(members.map((m) => [m.id, m]));
  const senderFor = sessionMessageSender(ports, "reminder", session, group?.name ?? "your group", ask);
  const outcomes = await deliverEach(reminders, async (reminder) => {
    const member = byId.get(reminder.memberId)!;
    const send = await senderFor(member, reminder.channel);
    return deliverOnce(
      store,
      session.organisationId,
      deliveryKey(session, reminder),
      ports.clock.now(),
      send,
    );
  });
  return {
    sent: outcomes.filter((o) => o === "sent").length,
    alreadySent: outcomes.filter((o) => o === "already-sent").length,
  };
};
