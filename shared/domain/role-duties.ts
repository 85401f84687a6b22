import { findDefinition, type GroupRole, type RoleDefinition } from "./role.ts";
import { dutyKinds, type Duty, type DutyKind } from "./session.ts";

/**
 * What a group's roles mean for its sessions: who does each duty by default, and
 * whether a session has someone to facilitate it. Pure: the caller reads roles, catalogue and
 * members.
 */

/** The duties of a session as given, before the roles fill the gaps. */
export interface GivenDuties {
  facilitatorMemberId?: string;
  duties: readonly Duty[];
}

/**
 * The first holder, still a member of the group, of the group's role whose catalogue
 * definition carries `duty`. Roles are taken in the catalogue's order, so the umbrella's own
 * roles come after the defaults.
 */
export function dutyHolder(
  duty: DutyKind,
  roles: readonly GroupRole[],
  catalogue: readonly RoleDefinition[],
  memberIds: ReadonlySet<string>,
): string | undefined {
  for (const definition of catalogue) {
    if (definition.duty !== duty) continue;
    const holder = roles
      .find((role) => role.roleId === definition.id)
      ?.holders.find((candidate) => memberIds.has(candidate.memberId));
    if (holder !== undefined) return holder.memberId;
  }
  return undefined;
}

/**
 * The session's duties with every duty kind not given explicitly defaulted to its role holder:
 * - a listed duty without a holder gets the holder of its role;
 * - a duty kind not listed at all is added when its role has a holder;
 * - facilitation counts as given when the session names a facilitator or lists a facilitation
 *   duty with a holder; otherwise the facilitation role's holder becomes both the
 *   facilitation duty holder and the session's facilitator.
 * Explicit holders are kept as given; added duties follow the given ones, in dutyKinds order.
 */
export function withDutiesFromRoles(
  given: GivenDuties,
  roles: readonly GroupRole[],
  catalogue: readonly RoleDefinition[],
  memberIds: ReadonlySet<string>,
): { facilitatorMemberId?: string; duties: Duty[] } {
  const holderOf = (kind: DutyKind) => dutyHolder(kind, roles, catalogue, memberIds);
  const facilitationGiven =
    given.facilitatorMemberId !== undefined ||
    given.duties.some((duty) => duty.kind === "facilitation" && duty.holderMemberId !== undefined);

  const duties: Duty[] = given.duties.map((duty) => {
    if (duty.holderMemberId !== undefined) return duty;
    if (duty.kind === "facilitation" && facilitationGiven) return duty;
    const holderMemberId = holderOf(duty.kind);
    return holderMemberId === undefined ? duty : { ...duty, holderMemberId };
  });
  const listed = new Set(given.duties.map((duty) => duty.kind));
  for (const kind of dutyKinds) {
    if (listed.has(kind) || (kind === "facilitation" && facilitationGiven)) continue;
    const holderMemberId = holderOf(kind);
    if (holderMemberId !== undefined) duties.push({ kind, holderMemberId });
  }

  const facilitatorMemberId = facilitationGiven
    ? given.facilitatorMemberId
    : duties.find((duty) => duty.kind === "facilitation")?.holderMemberId;
  return { ...(facilitatorMemberId === undefined ? {} : { facilitatorMemberId }), duties };
}

/** Whom the session itself names to facilitate: its facilitator and its facilitation duty holders. */
export function namedFacilitators(session: GivenDuties): string[] {
  const named = [
    session.facilitatorMemberId,
    ...session.duties.filter((duty) => duty.kind === "facilitation").map((duty) => duty.holderMemberId),
  ];
  return [...new Set(named.filter((memberId): memberId is string => memberId !== undefined))];
}

/** The role is the group's facilitator role: "facilitator", or any role whose duty is facilitation. */
export const isFacilitationRole = (roleId: string, catalogue: readonly RoleDefinition[]): boolean =>
  roleId === "facilitator" || findDefinition(catalogue, roleId)?.duty === "facilitation";

/**
 * Someone will facilitate the session: a member of the group holds the group's facilitator
 * role (the role "facilitator", or any role whose duty is facilitation), or the session names
 * a facilitator or a facilitation duty holder who is still a member.
 */
export function hasFacilitator(
  session: GivenDuties,
  roles: readonly GroupRole[],
  catalogue: readonly RoleDefinition[],
  memberIds: ReadonlySet<string>,
): boolean {
  const facilitates = (role: GroupRole) => isFacilitationRole(role.roleId, catalogue);
  if (roles.some((role) => facilitates(role) && role.holders.some((h) => memberIds.has(h.memberId))))
    return true;
  return namedFacilitators(session).some((memberId) => memberIds.has(memberId));
}
