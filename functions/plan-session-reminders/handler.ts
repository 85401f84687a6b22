import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { planMemberReminders, planSessionReminders } from "#use-cases/sessions/plan-session-reminders.ts";

/**
 * Plans reminders: for every member when a session is scheduled or rescheduled; for one
 * member across the group's upcoming sessions when they join or change their preferences.
 */
export const createPlanSessionReminders =
  (ports: Pick<Ports, "store" | "scheduler" | "clock" | "log">): EventHandler =>
  async (event) => {
    const { organisationId, groupId, correlationId } = event;
    if (event.type === "SessionScheduled" || event.type === "SessionRescheduled") {
      const { id: sessionId, version } = event.data.session;
      const outcome = await planSessionReminders(
        ports,
        { organisationId, groupId, sessionId, version },
        correlationId,
      );
      if (outcome.planned)
        ports.log.info("reminders planned", { sessionId, version, schedules: outcome.schedules });
      else ports.log.info("stale session event ignored", { sessionId, version, current: outcome.current });
      return;
    }
    if (event.type === "MemberJoinedGroup" || event.type === "MemberRemindersChanged") {
      const { memberId } = event.data;
      const planned = await planMemberReminders(ports, { organisationId, groupId, memberId }, correlationId);
      if (planned) ports.log.info("member's reminders planned", planned);
    }
  };
