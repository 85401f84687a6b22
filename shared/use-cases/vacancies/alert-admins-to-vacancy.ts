import { deliverEach, deliverOnce } from "#delivery/deliver-once.ts";
import { distinctAddresses, escalationDeliveryKey } from "#domain/alert-keys.ts";
import { formatLocal } from "#domain/local-time.ts";
import { findDefinition } from "#domain/role.ts";
import { groupPageUrl } from "#links/dashboard-link.ts";
import { renderVacancyEscalatedEmail } from "#messages/roles/vacancy-escalated-email.ts";
import type { Ports } from "#ports/ports.ts";
import type { VacancyRef } from "#ports/role-store.ts";

const dayMs = 86_400_000;

export type AdminsAlerted =
  | { outcome: "alerted"; addresses: number; sent: number }
  /** Filled in the meantime (a redelivery a day late, say): an alert now would only mislead. */
  | { outcome: "vacancy-over" }
  | { outcome: "no-alert-addresses" | "group-gone" };

/**
 * A vacancy was escalated (RoleVacancyEscalated) → each of the organisation's alert addresses
 * is emailed once, while the role is still vacant since that instant.
 */
export const alertAdminsToVacancy = async (
  ports: Pick<Ports, "store" | "roles" | "mailer" | "clock" | "settings">,
  vacancy: VacancyRef,
): Promise<AdminsAlerted> => {
  const { organisationId: o, groupId: g, roleId, vacantSince } = vacancy;
  const [organisation, group, role, catalogue] = await Promise.all([
    ports.store.getOrganisation(o),
    ports.store.getGroup(o, g),
    ports.roles.getRole(o, g, roleId),
    ports.roles.getCatalogue(o),
  ]);
  if (!organisation || !group) return { outcome: "group-gone" };
  if (role?.vacantSince === undefined || Date.parse(role.vacantSince) !== Date.parse(vacantSince))
    return { outcome: "vacancy-over" };
  const addresses = distinctAddresses(organisation.alertEmails ?? []);
  if (addresses.length === 0) return { outcome: "no-alert-addresses" };
  const now = ports.clock.now();
  const rendered = renderVacancyEscalatedEmail({
    organisationName: organisation.name,
    groupName: group.name,
    roleName: findDefinition(catalogue, roleId)?.name ?? roleId,
    vacantSinceLocal: formatLocal(new Date(vacantSince), group.timeZone),
    daysVacant: Math.floor((now.getTime() - Date.parse(vacantSince)) / dayMs),
    groupUrl: groupPageUrl(ports.settings.publicBaseUrl, o, g, "roles"),
  });
  // Every address is tried even when one fails; the failure is raised after, for the retry.
  const outcomes = await deliverEach(addresses, (to) =>
    deliverOnce(ports.store, o, escalationDeliveryKey({ groupId: g, roleId, vacantSince }, to), now, () =>
      ports.mailer.send({ to, from: ports.settings.fromAddress, ...rendered }),
    ),
  );
  const sent = outcomes.filter((outcome) => outcome === "sent").length;
  return { outcome: "alerted", addresses: addresses.length, sent };
};
