import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { endTerm, planTermEnd } from "#use-cases/roles/end-role-term.ts";

/**
 * A holder's term ends → they leave the role (RoleVacated, reason term-ended), once.
 * - RoleFilled: the new holder's term end, if any, is planned.
 * - RoleTermEnded: the term is ended if the member still holds the role on that term.
 */
export const createEndRoleTerms =
  (ports: Pick<Ports, "store" | "roles" | "scheduler" | "clock" | "log">): EventHandler =>
  async (event) => {
    const scope = { organisationId: event.organisationId, groupId: event.groupId };
    if (event.type === "RoleFilled") {
      const planned = await planTermEnd(ports, scope, event.data, event.correlationId);
      ports.log.info("role term end planned", {
        groupId: event.groupId,
        roleId: event.data.roleId,
        ...planned,
      });
      return;
    }
    if (event.type === "RoleTermEnded") {
      const ended = await endTerm(ports, scope, event.data, event.correlationId);
      ports.log.info("role term ended", { groupId: event.groupId, roleId: event.data.roleId, ...ended });
    }
  };
