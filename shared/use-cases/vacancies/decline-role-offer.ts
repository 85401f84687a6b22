import { newEvent } from "#domain/new-event.ts";
import type { VacancyRef } from "#ports/role-store.ts";
import { callForVolunteers } from "./call-for-volunteers.ts";
import { offerToNextInRotation } from "./offer-role-by-rotation.ts";
import { loadVacancy, type VacancyPorts, type VacancyStep } from "./vacancy-facts.ts";

/**
 * Rotating: a member declined the offer, by reply or link. The decline is recorded with
 * RoleOfferDeclined in one transaction; passing the offer on sends email, which is the
 * function of the vacancy's events' (fill-vacancy), not of the API or the reply reader. A
 * decline recorded before (a second click, or the offer lapsed first) records nothing more.
 */
export const declineOffer = async (
  deps: Pick<VacancyPorts, "roles" | "clock">,
  vacancy: VacancyRef,
  memberId: string,
  correlationId?: string,
): Promise<void> => {
  const { organisationId, groupId, roleId, vacantSince } = vacancy;
  const now = deps.clock.now();
  await deps.roles.recordVacancyResponse(vacancy, { memberId, kind: "declined", at: now.toISOString() }, [
    newEvent(
      "RoleOfferDeclined",
      { organisationId, groupId, ...(correlationId ? { correlationId } : {}) },
      { roleId, vacantSince, memberId },
      now,
    ),
  ]);
};

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
  await deps.roles.recordVacancyResponse(vacancy, {
    memberId,
    kind: "declined",
    at: deps.clock.now().toISOString(),
  });
  return passOfferOn(deps, vacancy, memberId);
};

/**
 * After a decline (RoleOfferDeclined, or a lapse): the next member in the rotation is offered
 * the role, or, with nobody left, everyone is called to volunteer. Safe to repeat: the offer
 * and the call are each sent once (deliverOnce) and scheduled under fixed names.
 */
export const passOfferOn = async (
  deps: VacancyPorts,
  vacancy: VacancyRef,
  memberId: string,
): Promise<VacancyStep> => {
  const facts = await loadVacancy(deps, vacancy);
  if (!facts) return "stale";
  if (await offerToNextInRotation(deps, facts)) return "offer";
  return callForVolunteers(deps, vacancy, memberId);
};
