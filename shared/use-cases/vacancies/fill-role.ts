import { DomainError } from "#domain/errors.ts";
import type { VacancyRef } from "#ports/role-store.ts";
import { assignRole } from "../roles/role-holders.ts";
import type { VacancyPorts } from "./vacancy-facts.ts";

/**
 * The vacancy's last stage: the member becomes the holder (RoleFilled, with how). A vacancy
 * filled or changed meanwhile is left as it is: false.
 */
export const fillRole = async (
  deps: VacancyPorts,
  vacancy: VacancyRef,
  memberId: string,
  how: "confirmed" | "elected" | "offered-and-accepted" | "appointed",
  correlationId?: string,
): Promise<boolean> => {
  const role = await deps.roles.getRole(vacancy.organisationId, vacancy.groupId, vacancy.roleId);
  if (role?.vacantSince !== vacancy.vacantSince) return false;
  try {
    await assignRole(
      deps,
      vacancy.organisationId,
      vacancy.groupId,
      vacancy.roleId,
      { memberId },
      how,
      correlationId,
    );
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.kind === "conflict") return false;
    throw error;
  }
};
