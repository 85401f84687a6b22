import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { deliverOnce, deliverEach } from "#delivery/deliver-once.ts";
import { deliveryKey, planReminders, remindersDueAt } from "#domain/reminder-plan.ts";
import { sessionMessageSender } from "#messages/session-messages.ts";
import type { Ports } from "#ports/ports.ts";

/**
 * A reminder instant has come → send what falls due then.
 * 1. Read the session; a schedule for an older version, or a cancelled session, sends nothing.
 * 2. Plan again with the members as they are now and keep the reminders due at this instant,
 *    so an unsubscribe or a new preference since planning is honoured.
 * 3. Render each message, then send it after claiming its delivery key, so a redelivered
 *    event sends nothing twice. What all members' messages share is worked out once.
 */
export const createSendSessionReminders =
  (ports: Pick<Ports, "store" | "mailer" | "sms" | "clock" | "log" | "settings">): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type !== "SessionReminderDue") return;
    const { store, log } = ports;
    const { sessionId, sessionVersion, dueAt } = event.data;
    const session = await store.getSession(event.organisationId, event.groupId, sessionId);
    if (!session || session.version !== sessionVersion || session.status !== "scheduled") {
      log.info("stale reminder schedule ignored", { sessionId, sessionVersion, current: session?.version });
      return;
    }
    const [group, members] = await Promise.all([
      store.getGroup(event.organisationId, event.groupId),
      store.listGroupMembers(event.organisationId, event.groupId),
    ]);
    const due = remindersDueAt(
      planReminders({ session, members, now: new Date(Date.parse(dueAt) - 1) }),
      dueAt,
    );
    const byId = new Map(members.map((m) => [m.id, m]));
    const senderFor = sessionMessageSender(ports, "reminder", session, group?.name ?? "your group");
    const outcomes = await deliverEach(due, async (reminder) => {
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
    log.info("reminders sent", {
      sessionId,
      sessionVersion,
      sent: outcomes.filter((o) => o === "sent").length,
      alreadySent: outcomes.filter((o) => o === "already-sent").length,
    });
  };
