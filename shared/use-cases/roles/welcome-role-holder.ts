import { sendRoleEmail } from "#delivery/send-role-email.ts";
import { formatLocal } from "#domain/local-time.ts";
import { firstNameOf as firstName } from "#messages/email-kit/render-email.ts";
import { renderRoleWelcome } from "#messages/roles/role-welcome-email.ts";
import type { Ports } from "#ports/ports.ts";
import { getRoleView } from "./role-holders.ts";

/**
 * A member took a role → they get a welcome with what the role involves, once per time they
 * take it. False when they left the role (or the group) before the welcome went.
 */
export const welcomeRoleHolder = async (
  ports: Pick<Ports, "store" | "roles" | "mailer" | "clock" | "settings">,
  filled: { organisationId: string; groupId: string; roleId: string; memberId: string },
): Promise<boolean> => {
  const { organisationId: o, groupId: g } = filled;
  const [role, group, member] = await Promise.all([
    getRoleView(ports, o, g, filled.roleId),
    ports.store.getGroup(o, g),
    ports.store.getMember(o, filled.memberId),
  ]);
  const holder = role.holders.find((h) => h.memberId === filled.memberId);
  if (!group || !member || !holder) return false;
  const place = { organisationId: o, groupId: g, roleId: role.roleId, vacantSince: holder.since };
  await sendRoleEmail(
    ports,
    place,
    member,
    "welcome",
    () =>
      renderRoleWelcome({
        groupName: group.name,
        firstName: firstName(member),
        definition: role.definition,
        ...(holder.termEndsAt
          ? { termEndsLocal: formatLocal(new Date(holder.termEndsAt), group.timeZone) }
          : {}),
      }),
    [],
    `role-welcome#${g}#${role.roleId}#${member.id}#${holder.since}`,
  );
  return true;
};
