// A group's role as /api/v1 answers it (the OpenAPI document's GroupRole and RoleDefinition).

/** One role of the organisation's catalogue (GET …/role-catalogue). */
export interface RoleDefinition {
  id: string;
  name: string;
  description: string;
  pay: "paid" | "voluntary";
  /** A session needs it: a vacancy alerts the umbrella admins. */
  critical: boolean;
  /** Training a holder needs current, unless an umbrella admin overrides it. */
  requiredTrainingIds: string[];
  termMonths?: number;
}

export interface RoleHolder {
  memberId: string;
  since: string;
  termEndsAt?: string;
  trainingOverride?: { by: string; reason: string; at: string; trainingIds: string[] };
}

/** A role the group has taken up (GET …/groups/{g}/roles), with its holders and, while vacant, its volunteers. */
export interface GroupRole {
  groupId: string;
  roleId: string;
  holders: RoleHolder[];
  maxHolders: number;
  /** Present while nobody holds the role. */
  vacantSince?: string;
  definition: RoleDefinition;
  /** Who volunteered for the current vacancy; empty while the role is held. */
  volunteers: { memberId: string; volunteeredAt: string }[];
}

/** Places a holder can still be assigned to: 0 when the role is full. */
export const openPlaces = (role: Pick<GroupRole, "holders" | "maxHolders">): number =>
  Math.max(0, role.maxHolders - role.holders.length);
