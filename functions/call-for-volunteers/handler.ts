import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { renderVolunteerThanks } from "#messages/role-emails.ts";
import { callForVolunteers, type Deps } from "#use-cases/fill-vacancy.ts";
import { firstName, sendRoleEmail } from "#use-cases/role-messages.ts";
import { getRoleView } from "#use-cases/roles.ts";

/**
 * A role fell vacant → the group is asked for volunteers (rotating groups: the next member is
 * offered it first); a member volunteered → they are thanked, once. A RoleVacated for a role
 * that still has a holder (a shared role) or was vacated again since calls nobody.
 */
export const createCallForVolunteers =
  (ports: Deps): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type === "RoleVacated") {
      const { roleId, memberId, vacatedAt } = event.data;
      const vacancy = {
        organisationId: event.organisationId,
        groupId: event.groupId,
        roleId,
        vacantSince: vacatedAt,
      };
      const step = await callForVolunteers(ports, vacancy, memberId);
      ports.log.info("role vacated", { roleId, step });
      return;
    }
    if (event.type !== "VolunteerOffered") return;
    const { organisationId: o, groupId: g } = event;
    const [role, group, member] = await Promise.all([
      getRoleView(ports, o, g, event.data.roleId),
      ports.store.getGroup(o, g),
      ports.store.getMember(o, event.data.memberId),
    ]);
    if (!group || !member || role.vacantSince === undefined) return;
    const vacancy = { organisationId: o, groupId: g, roleId: role.roleId, vacantSince: role.vacantSince };
    await sendRoleEmail(ports, vacancy, member, "thanks", () =>
      renderVolunteerThanks({
        groupName: group.name,
        firstName: firstName(member),
        definition: role.definition,
      }),
    );
    ports.log.info("volunteer thanked", { roleId: role.roleId });
  };
