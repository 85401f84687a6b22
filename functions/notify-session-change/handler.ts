import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { notifySessionChange, toldAtOnce } from "#use-cases/sessions/notify-session-change.ts";

/**
 * Session rescheduled or cancelled → every member is told by email at once and (if they take
 * SMS reminders) by SMS, at once or when the group's quiet hours end (SessionChangeTextDue),
 * with an updated calendar invite or its cancellation; a session changed because of its
 * series (ended, or edited), only when it was within 48 hours (toldAtOnce).
 */
export const createNotifySessionChange =
  (
    ports: Pick<Ports, "store" | "rsvps" | "scheduler" | "mailer" | "sms" | "clock" | "log" | "settings">,
  ): EventHandler =>
  async (event) => {
    if (event.type === "SessionChangeTextDue") {
      const { sessionId, sessionVersion: version, notice } = event.data;
      const change = { organisationId: event.organisationId, groupId: event.groupId, sessionId, version };
      const notified = await notifySessionChange(ports, change, notice, { part: "texts" });
      ports.log.info("held session change texts", { sessionId, version, notice, ...notified });
      return;
    }
    if (event.type !== "SessionRescheduled" && event.type !== "SessionCancelled") return;
    const notice = event.type === "SessionCancelled" ? "cancelled" : "moved";
    const { id: sessionId, version } = event.data.session;
    if (!toldAtOnce(event.data, ports.clock.now())) {
      ports.log.info("session change not told at once", { sessionId, version, cause: event.data.cause });
      return;
    }
    const change = { organisationId: event.organisationId, groupId: event.groupId, sessionId, version };
    const previousStartLocal = "previousStartLocal" in event.data ? event.data.previousStartLocal : undefined;
    const notified = await notifySessionChange(ports, change, notice, {
      part: "as-changed",
      correlationId: event.correlationId,
      ...(previousStartLocal ? { previousStartLocal } : {}),
    });
    if ("stale" in notified)
      ports.log.info("stale session change ignored", { sessionId, version, ...notified });
    else ports.log.info("session change notified", { sessionId, version, notice, ...notified });
  };
