import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { welcomeRoleHolder } from "#use-cases/roles/welcome-role-holder.ts";

/** A member took a role → they get a welcome with what the role involves, once per time they take it. */
export const createWelcomeRoleHolder =
  (ports: Pick<Ports, "store" | "roles" | "mailer" | "clock" | "settings" | "log">): EventHandler =>
  async (event) => {
    if (event.type !== "RoleFilled") return;
    const { roleId, memberId, how } = event.data;
    const filled = { organisationId: event.organisationId, groupId: event.groupId, roleId, memberId };
    if (await welcomeRoleHolder(ports, filled)) ports.log.info("role holder welcomed", { roleId, how });
  };
