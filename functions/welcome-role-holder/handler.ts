import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { formatLocal } from "#domain/local-time.ts";
import { renderRoleWelcome } from "#messages/role-emails.ts";
import type { Ports } from "#ports/ports.ts";
import { firstName, sendRoleEmail } from "#use-cases/role-messages.ts";
import { getRoleView } from "#use-cases/roles.ts";

/** A member took a role → they get a welcome with what the role involves, once per time they take it. */
export const createWelcomeRoleHolder =
  (ports: Pick<Ports, "store" | "roles" | "mailer" | "clock" | "settings" | "log">): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type !== "RoleFilled") return;
    const { organisationId: o, groupId: g } = event;
    const [role, group, member] = await Promise.all([
      getRoleView(ports, o, g, event.data.roleId),
      ports.store.getGroup(o, g),
      ports.store.getMember(o, event.data.memberId),
    ]);
    const holder = role.holders.find((h) => h.memberId === event.data.memberId);
    // They left the role (or the group) before the welcome went: nothing to welcome them to.
    if (!group || !member || !holder) return;
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
    ports.log.info("role holder welcomed", { roleId: role.roleId, how: event.data.how });
  };
