import { newEvent } from "#domain/new-event.ts";
import { findDefinition } from "#domain/role.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import { escalationAfterDays, escalationDue, escalationDueAt } from "#domain/vacancy.ts";
import type { Ports } from "#ports/ports.ts";
import type { EscalationOutcome, VacancyRef } from "#ports/role-store.ts";

export type EscalateVacancyOutcome =
  | EscalationOutcome
  /** The role is not critical in the catalogue (or no longer in it): vacancies of it never escalate. */
  | "not-critical"
  /** The role has not been vacant for `afterDays` yet. */
  | "not-due";

/**
 * Alerts the umbrella admins that a critical role is still vacant, once per vacancy. Two
 * triggers call it: the volunteering window closing with nobody to fill a critical role
 * (at once: afterDays 0, the default) and the escalation delay after the role fell vacant
 * (escalate-vacancy: afterDays = escalationAfterDays). Every redelivery of either calls it again.
 * 1. Read the role and the catalogue; a role that is gone, held, or vacant since another
 *    instant is "vacancy-over".
 * 2. escalationDue must hold for the role as it is now: critical, and vacant for afterDays.
 * 3. recordEscalation claims (group, role, vacantSince) and writes RoleVacancyEscalated in one
 *    transaction conditioned on the role still being vacant since then: of every caller,
 *    exactly one escalates and publishes; the admins' email follows from the event.
 */
export async function escalateVacancy(
  ports: Pick<Ports, "roles" | "clock">,
  vacancy: VacancyRef,
  correlationId: string,
  { afterDays = 0 }: { afterDays?: number } = {},
): Promise<EscalateVacancyOutcome> {
  const { organisationId, groupId, roleId, vacantSince } = vacancy;
  const [role, catalogue] = await Promise.all([
    ports.roles.getRole(organisationId, groupId, roleId),
    ports.roles.getCatalogue(organisationId),
  ]);
  if (role?.vacantSince === undefined || Date.parse(role.vacantSince) !== Date.parse(vacantSince))
    return "vacancy-over";
  const critical = findDefinition(catalogue, roleId)?.critical === true;
  if (!critical) return "not-critical";
  const now = ports.clock.now();
  if (!escalationDue({ critical, vacantSince: role.vacantSince, now, afterDays })) return "not-due";
  return ports.roles.recordEscalation(
    { organisationId, groupId, roleId, vacantSince: role.vacantSince },
    newEvent(
      "RoleVacancyEscalated",
      { organisationId, groupId, correlationId },
      { roleId, vacantSince: role.vacantSince },
      now,
    ),
  );
}

export type VacancyEscalationPlanned =
  /** A shared role that kept a holder, or a role filled (or vacated again) since: not this vacancy. */
  | { outcome: "vacancy-over" | "not-critical" }
  | { outcome: "planned"; dueAt: string }
  /** Delivered after the escalation fell due: escalated at once. */
  | { outcome: "escalated-late"; escalation: EscalateVacancyOutcome };

/**
 * A role fell vacant → if it is critical and still vacant since that instant,
 * VacancyEscalationDue is scheduled at vacantSince + escalationAfterDays (a deterministic name:
 * a redelivery schedules nothing more); a late delivery, past that instant, escalates at once.
 */
export async function planVacancyEscalation(
  ports: Pick<Ports, "store" | "roles" | "scheduler" | "clock">,
  vacated: { organisationId: string; groupId: string; roleId: string; vacatedAt: string },
  correlationId: string,
): Promise<VacancyEscalationPlanned> {
  const { organisationId: o, groupId: g, roleId, vacatedAt } = vacated;
  const [role, catalogue, group] = await Promise.all([
    ports.roles.getRole(o, g, roleId),
    ports.roles.getCatalogue(o),
    ports.store.getGroup(o, g),
  ]);
  const vacantSince = role?.vacantSince;
  if (vacantSince === undefined || Date.parse(vacantSince) !== Date.parse(vacatedAt))
    return { outcome: "vacancy-over" };
  if (findDefinition(catalogue, roleId)?.critical !== true || !group) return { outcome: "not-critical" };

  const vacancy = { organisationId: o, groupId: g, roleId, vacantSince };
  const dueAt = escalationDueAt(vacantSince);
  if (dueAt.getTime() <= ports.clock.now().getTime()) {
    const escalation = await escalateVacancy(ports, vacancy, correlationId, {
      afterDays: escalationAfterDays,
    });
    return { outcome: "escalated-late", escalation };
  }
  await ports.scheduler.scheduleOnce({
    name: scheduleName("vacancy-escalation", o, g, roleId, vacantSince),
    at: dueAt,
    timeZone: group.timeZone,
    event: newEvent(
      "VacancyEscalationDue",
      { organisationId: o, groupId: g, correlationId },
      { roleId, vacantSince },
      dueAt,
    ),
  });
  return { outcome: "planned", dueAt: dueAt.toISOString() };
}
