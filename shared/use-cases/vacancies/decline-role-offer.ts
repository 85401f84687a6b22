import type { VacancyRef } from "#ports/role-store.ts";
import { callForVolunteers } from "./call-for-volunteers.ts";
import { offerToNextInRotation } from "./offer-role-by-rotation.ts";
import { loadVacancy, type VacancyPorts, type VacancyStep } from "./vacancy-facts.ts";

/** An offer went unanswered (RoleOfferLapsed): unless it was answered meanwhile, it is a decline. */
export const offerLapsed = async (
  deps: VacancyPorts,
  vacancy: VacancyRef,
  memberId: string,
): Promise<VacancyStep> => {
  const role = await deps.roles.getRole(vacancy.organisationId, vacancy.groupId, vacancy.roleId);
  if (role?.vacantSince !== vacancy.vacantSince) return "stale";
  const responses = await deps.roles.listVacancyResponses(vacancy);
  if (responses.some((r) => r.kind === "declined" && r.memberId === memberId)) return "stale";
  return declineOffer(deps, vacancy, memberId);
};

/** Rotating: a member declined the offer (or it lapsed); the next one is asked, or everyone is called. */
export const declineOffer = async (
  deps: VacancyPorts,
  vacancy: VacancyRef,
  memberId: string,
): Promise<VacancyStep> => {
  await deps.roles.recordVacancyResponse(vacancy, {
    memberId,
    kind: "declined",
    at: deps.clock.now().toISOString(),
  });
  const facts = await loadVacancy(deps, vacancy);
  if (!facts) return "stale";
  if (await offerToNextInRotation(deps, facts)) return "offer";
  return callForVolunteers(deps, vacancy, memberId);
};
