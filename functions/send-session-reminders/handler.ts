import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { sendSessionReminders } from "#use-cases/sessions/send-session-reminders.ts";

/** A reminder instant has come → what falls due then is sent, once per member and channel. */
export const createSendSessionReminders =
  (ports: Pick<Ports, "store" | "rsvps" | "mailer" | "sms" | "clock" | "log" | "settings">): EventHandler =>
  async (event) => {
    if (event.type !== "SessionReminderDue") return;
    const { sessionId, sessionVersion } = event.data;
    const sent = await sendSessionReminders(ports, {
      organisationId: event.organisationId,
      groupId: event.groupId,
      ...event.data,
    });
    if ("stale" in sent)
      ports.log.info("stale reminder schedule ignored", { sessionId, sessionVersion, ...sent });
    else ports.log.info("reminders sent", { sessionId, sessionVersion, ...sent });
  };
