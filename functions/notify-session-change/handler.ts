import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { notifySessionChange, toldAtOnce } from "#use-cases/sessions/notify-session-change.ts";

/**
 * Session rescheduled or cancelled → every member is told at once, by email and (if they take
 * SMS reminders) by SMS, with an updated calendar invite or its cancellation; a session
 * changed because of its series (ended, or edited), only when it was within 48 hours (toldAtOnce).
 */
export const createNotifySessionChange =
  (ports: Pick<Ports, "store" | "rsvps" | "mailer" | "sms" | "clock" | "log" | "settings">): EventHandler =>
  async (event) => {
    if (event.type !== "SessionRescheduled" && event.type !== "SessionCancelled") return;
    const notice = event.type === "SessionCancelled" ? "cancelled" : "moved";
    const { id: sessionId, version } = event.data.session;
    if (!toldAtOnce(event.data, ports.clock.now())) {
      ports.log.info("session change not told at once", { sessionId, version, cause: event.data.cause });
      return;
    }
    const change = { organisationId: event.organisationId, groupId: event.groupId, sessionId, version };
    const notified = await notifySessionChange(ports, change, notice);
    if ("stale" in notified)
      ports.log.info("stale session change ignored", { sessionId, version, ...notified });
    else ports.log.info("session change notified", { sessionId, version, notice, ...notified });
  };
