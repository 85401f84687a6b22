import type { EventHandler } from "#bus/bus-event.ts";
import { callForVolunteers } from "#use-cases/vacancies/call-for-volunteers.ts";
import { thankVolunteer } from "#use-cases/vacancies/thank-volunteer.ts";
import type { VacancyPorts } from "#use-cases/vacancies/vacancy-facts.ts";

/**
 * A role fell vacant → the group is asked for volunteers (rotating groups: the next member is
 * offered it first); a member volunteered → they are thanked, once. A RoleVacated for a role
 * that still has a holder (a shared role) or was vacated again since calls nobody.
 */
export const createCallForVolunteers =
  (ports: VacancyPorts): EventHandler =>
  async (event) => {
    const scope = { organisationId: event.organisationId, groupId: event.groupId };
    if (event.type === "RoleVacated") {
      const { roleId, memberId, vacatedAt } = event.data;
      const step = await callForVolunteers(ports, { ...scope, roleId, vacantSince: vacatedAt }, memberId);
      ports.log.info("role vacated", { roleId, step });
      return;
    }
    if (event.type === "VolunteerOffered") {
      const thanked = await thankVolunteer(ports, { ...scope, ...event.data });
      if (thanked) ports.log.info("volunteer thanked", { roleId: event.data.roleId });
    }
  };
