import { DomainError } from "#domain/errors.ts";

/** Convene's roles, highest first: a user in several Cognito groups acts in the highest of them. */
export const rolesByPrecedence = ["platform-admin", "umbrella-admin", "group-coordinator"] as const;
export type Role = (typeof rolesByPrecedence)[number];

/** Who is calling, from a verified token's claims. */
export interface Principal {
  subject: string;
  role: Role;
  /** Absent only for a platform admin, who may create organisations. */
  organisationId?: string;
  /** The groups a coordinator runs. */
  groupIds: readonly string[];
}

// Another tenant's resources answer "not found": a refusal must not reveal that they exist.
const hidden = () => new DomainError("not-found", "not found");

/** Umbrella admins and coordinators of the organisation may read organisation-level data they need. */
export const requireOrganisation = (p: Principal, organisationId: string): void => {
  if (p.organisationId !== organisationId) throw hidden();
};

export const requireUmbrellaAdmin = (p: Principal, organisationId: string): void => {
  requireOrganisation(p, organisationId);
  if (p.role !== "umbrella-admin") throw new DomainError("forbidden", "only an umbrella admin may do this");
};

/** An umbrella admin of the organisation, or a coordinator of this group. */
export const requireGroup = (p: Principal, organisationId: string, groupId: string): void => {
  requireOrganisation(p, organisationId);
  if (p.role === "umbrella-admin") return;
  if (p.role === "group-coordinator" && p.groupIds.includes(groupId)) return;
  throw hidden();
};

/**
 * Who may see members' names beside their answers (who said yes): the group's coordinators.
 * Umbrella admins, whose view is the organisation's, see counts only.
 */
export const mayNameAttendees = (p: Principal, organisationId: string, groupId: string): boolean =>
  p.organisationId === organisationId && p.role === "group-coordinator" && p.groupIds.includes(groupId);

export const requirePlatformAdmin = (p: Principal): void => {
  if (p.role !== "platform-admin")
    throw new DomainError("forbidden", "only a platform admin may create organisations");
};
