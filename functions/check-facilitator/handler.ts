import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import {
  checkFacilitatorWhenDue,
  checkSessionsAfterVacancy,
  checkSessionsFacilitatedBy,
  planFacilitatorChecks,
} from "#use-cases/sessions/plan-facilitator-checks.ts";
import { sendRsvpSummary } from "#use-cases/rsvp/send-rsvp-summary.ts";

/**
 * A session coming up with nobody to facilitate it → the group's coordinators and the
 * umbrella's alert addresses are emailed as soon as it is within 7 days (early) and again 48
 * hours before (final), if still unfilled (alertIfNoFacilitator).
 * - SessionScheduled, SessionRescheduled: the checks of that version are planned.
 * - MemberLeftGroup: the group's sessions within 7 days that named the member are checked now.
 * - RoleVacated of a facilitation role: the group's sessions within 7 days are checked now.
 * - FacilitatorCheckDue: the session is checked if still at that version and scheduled.
 * - RsvpSummaryDue: a day before, the facilitators hear who is expected (sendRsvpSummary).
 */
export const createCheckFacilitator =
  (
    ports: Pick<Ports, "store" | "roles" | "rsvps" | "scheduler" | "mailer" | "clock" | "log" | "settings">,
  ): EventHandler =>
  async (event) => {
    const scope = { organisationId: event.organisationId, groupId: event.groupId };
    switch (event.type) {
      case "SessionScheduled":
      case "SessionRescheduled": {
        const { id: sessionId, version } = event.data.session;
        const ref = { ...scope, sessionId, version };
        const planned = await planFacilitatorChecks(ports, ref, event.correlationId);
        ports.log.info("facilitator checks planned", { sessionId, version, ...planned });
        return;
      }
      case "MemberLeftGroup": {
        const checked = await checkSessionsFacilitatedBy(ports, scope, event.data.memberId);
        ports.log.info("facilitator left: sessions checked", checked);
        return;
      }
      case "RoleVacated": {
        const checked = await checkSessionsAfterVacancy(ports, scope, event.data.roleId);
        if (checked) ports.log.info("facilitation role vacated: sessions checked", checked);
        return;
      }
      case "FacilitatorCheckDue": {
        const { sessionId, sessionVersion: version } = event.data;
        const checked = await checkFacilitatorWhenDue(ports, { ...scope, sessionId, version });
        ports.log.info("facilitator check due", { sessionId, version, ...checked });
        return;
      }
      case "RsvpSummaryDue": {
        const { sessionId, sessionVersion: version } = event.data;
        const sent = await sendRsvpSummary(ports, { ...scope, sessionId, version });
        ports.log.info("rsvp summary due", { sessionId, version, ...sent });
        return;
      }
    }
  };
