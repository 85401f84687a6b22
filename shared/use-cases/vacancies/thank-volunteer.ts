import { sendRoleEmail } from "#delivery/send-role-email.ts";
import { firstNameOf as firstName } from "#messages/email-kit/render-email.ts";
import { renderVolunteerThanks } from "#messages/roles/call-for-volunteers-email.ts";
import type { Ports } from "#ports/ports.ts";
import { getRoleView } from "../roles/role-holders.ts";

/**
 * A member volunteered for a vacant role → they are thanked, once per vacancy. Nothing is
 * sent once the role is filled, or when the member or the group is gone: false.
 */
export const thankVolunteer = async (
  ports: Pick<Ports, "store" | "roles" | "mailer" | "clock" | "settings">,
  offer: { organisationId: string; groupId: string; roleId: string; memberId: string },
): Promise<boolean> => {
  const { organisationId: o, groupId: g } = offer;
  const [role, group, member] = await Promise.all([
    getRoleView(ports, o, g, offer.roleId),
    ports.store.getGroup(o, g),
    ports.store.getMember(o, offer.memberId),
  ]);
  if (!group || !member || role.vacantSince === undefined) return false;
  const vacancy = { organisationId: o, groupId: g, roleId: role.roleId, vacantSince: role.vacantSince };
  await sendRoleEmail(ports, vacancy, member, "thanks", () =>
    renderVolunteerThanks({
      groupName: group.name,
      firstName: firstName(member),
      definition: role.definition,
    }),
  );
  return true;
};
