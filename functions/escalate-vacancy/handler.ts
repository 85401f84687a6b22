import type { EventHandler } from "#bus/bus-event.ts";
import { escalationAfterDays } from "#domain/vacancy.ts";
import type { Ports } from "#ports/ports.ts";
import { alertAdminsToVacancy } from "#use-cases/vacancies/alert-admins-to-vacancy.ts";
import { escalateVacancy, planVacancyEscalation } from "#use-cases/vacancies/escalate-vacancy.ts";

/**
 * A critical role fell vacant → the umbrella admins are alerted if it is still vacant after
 * escalationAfterDays (vacancy.ts), once per vacancy.
 * - RoleVacated: the escalation is planned (or made at once, delivered late).
 * - VacancyEscalationDue: escalateVacancy raises RoleVacancyEscalated once per vacancy.
 * - RoleVacancyEscalated: each of the organisation's alert addresses is emailed once.
 */
export const createEscalateVacancy =
  (
    ports: Pick<Ports, "store" | "roles" | "scheduler" | "mailer" | "clock" | "log" | "settings">,
  ): EventHandler =>
  async (event) => {
    const { organisationId, groupId, correlationId } = event;
    if (event.type === "RoleVacated") {
      const { roleId, vacatedAt } = event.data;
      const planned = await planVacancyEscalation(
        ports,
        { organisationId, groupId, roleId, vacatedAt },
        correlationId,
      );
      ports.log.info("vacancy escalation planned", { groupId, roleId, ...planned });
      return;
    }
    if (event.type === "VacancyEscalationDue") {
      const vacancy = { organisationId, groupId, ...event.data };
      const outcome = await escalateVacancy(ports, vacancy, correlationId, {
        afterDays: escalationAfterDays,
      });
      ports.log.info("vacancy escalation due", { groupId, roleId: vacancy.roleId, outcome });
      return;
    }
    if (event.type === "RoleVacancyEscalated") {
      const alerted = await alertAdminsToVacancy(ports, { organisationId, groupId, ...event.data });
      if (alerted.outcome === "no-alert-addresses")
        ports.log.warn("vacancy escalated but the organisation has no alert addresses", {
          groupId,
          roleId: event.data.roleId,
        });
      else ports.log.info("admins alerted to a vacancy", { groupId, roleId: event.data.roleId, ...alerted });
    }
  };
