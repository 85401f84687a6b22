import type { ConveneEvent, EventOf } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { deliverOnce } from "#delivery/deliver-once.ts";
import { distinctAddresses, escalationDeliveryKey } from "#domain/alert-keys.ts";
import { formatLocal } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { findDefinition } from "#domain/role.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import { escalationAfterDays, escalationDueAt } from "#domain/vacancy.ts";
import { groupPageUrl } from "#links/dashboard-link.ts";
import { renderVacancyEscalatedEmail } from "#messages/role-alert-emails.ts";
import type { Ports } from "#ports/ports.ts";
import { escalateVacancy } from "#use-cases/escalate-vacancy.ts";

type Deps = Pick<Ports, "store" | "roles" | "scheduler" | "mailer" | "clock" | "log" | "settings">;

const dayMs = 86_400_000;

/**
 * A critical role fell vacant → the umbrella admins are alerted if it is still vacant after
 * escalationAfterDays (vacancy.ts), once per vacancy.
 * - RoleVacated: the role is critical and vacant since that instant → VacancyEscalationDue is
 *   scheduled at vacantSince + the delay (a deterministic name: a redelivery schedules nothing
 *   more); already past (a late delivery) → escalated at once.
 * - VacancyEscalationDue: escalateVacancy, which checks the role as it is now and raises
 *   RoleVacancyEscalated once per vacancy, however many triggers come.
 * - RoleVacancyEscalated: each of the organisation's alert addresses is emailed once.
 */
export const createEscalateVacancy =
  (ports: Deps): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type === "RoleVacated") return scheduleEscalation(ports, event);
    if (event.type === "VacancyEscalationDue") {
      const { roleId, vacantSince } = event.data;
      const outcome = await escalateVacancy(
        ports,
        { organisationId: event.organisationId, groupId: event.groupId, roleId, vacantSince },
        event.correlationId,
        { afterDays: escalationAfterDays },
      );
      ports.log.info("vacancy escalation due", { groupId: event.groupId, roleId, outcome });
      return;
    }
    if (event.type === "RoleVacancyEscalated") return alertAdmins(ports, event);
  };

const scheduleEscalation = async (ports: Deps, event: EventOf<"RoleVacated">) => {
  const { organisationId: o, groupId: g } = event;
  const { roleId, vacatedAt } = event.data;
  const [role, catalogue, group] = await Promise.all([
    ports.roles.getRole(o, g, roleId),
    ports.roles.getCatalogue(o),
    ports.store.getGroup(o, g),
  ]);
  const vacantSince = role?.vacantSince;
  // A shared role that kept a holder, or a role filled (or vacated again) since, is not this vacancy.
  if (vacantSince === undefined || Date.parse(vacantSince) !== Date.parse(vacatedAt)) {
    ports.log.info("vacancy over or role still held; no escalation planned", { groupId: g, roleId });
    return;
  }
  if (findDefinition(catalogue, roleId)?.critical !== true || !group) return;

  const dueAt = escalationDueAt(vacantSince);
  if (dueAt.getTime() <= ports.clock.now().getTime()) {
    const outcome = await escalateVacancy(
      ports,
      { organisationId: o, groupId: g, roleId, vacantSince },
      event.correlationId,
      { afterDays: escalationAfterDays },
    );
    ports.log.info("vacancy escalated on a late RoleVacated", { groupId: g, roleId, outcome });
    return;
  }
  await ports.scheduler.scheduleOnce({
    name: scheduleName("vacancy-escalation", o, g, roleId, vacantSince),
    at: dueAt,
    timeZone: group.timeZone,
    event: newEvent(
      "VacancyEscalationDue",
      { organisationId: o, groupId: g, correlationId: event.correlationId },
      { roleId, vacantSince },
      dueAt,
    ),
  });
  ports.log.info("vacancy escalation planned", { groupId: g, roleId, dueAt: dueAt.toISOString() });
};

const alertAdmins = async (ports: Deps, event: EventOf<"RoleVacancyEscalated">) => {
  const { organisationId: o, groupId: g } = event;
  const { roleId, vacantSince } = event.data;
  const [organisation, group, role, catalogue] = await Promise.all([
    ports.store.getOrganisation(o),
    ports.store.getGroup(o, g),
    ports.roles.getRole(o, g, roleId),
    ports.roles.getCatalogue(o),
  ]);
  if (!organisation || !group) return;
  // Filled in the meantime (a redelivery a day late, say): an alert now would only mislead.
  if (role?.vacantSince === undefined || Date.parse(role.vacantSince) !== Date.parse(vacantSince)) {
    ports.log.info("escalated vacancy is over; admins not emailed", { groupId: g, roleId });
    return;
  }
  const addresses = distinctAddresses(organisation.alertEmails ?? []);
  if (addresses.length === 0) {
    ports.log.warn("vacancy escalated but the organisation has no alert addresses", { groupId: g, roleId });
    return;
  }
  const now = ports.clock.now();
  const rendered = renderVacancyEscalatedEmail({
    organisationName: organisation.name,
    groupName: group.name,
    roleName: findDefinition(catalogue, roleId)?.name ?? roleId,
    vacantSinceLocal: formatLocal(new Date(vacantSince), group.timeZone),
    daysVacant: Math.floor((now.getTime() - Date.parse(vacantSince)) / dayMs),
    groupUrl: groupPageUrl(ports.settings.publicBaseUrl, o, g, "roles"),
  });
  let sent = 0;
  for (const to of addresses) {
    const outcome = await deliverOnce(
      ports.store,
      o,
      escalationDeliveryKey({ groupId: g, roleId, vacantSince }, to),
      now,
      () => ports.mailer.send({ to, from: ports.settings.fromAddress, ...rendered }),
    );
    if (outcome === "sent") sent += 1;
  }
  ports.log.info("admins alerted to a vacancy", { groupId: g, roleId, addresses: addresses.length, sent });
};
