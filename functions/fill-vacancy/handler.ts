import type { EventHandler } from "#bus/bus-event.ts";
import { decideVacancy } from "#use-cases/vacancies/decide-vacancy.ts";
import { offerLapsed, passOfferOn } from "#use-cases/vacancies/decline-role-offer.ts";
import type { VacancyPorts } from "#use-cases/vacancies/vacancy-facts.ts";
import { fillFromVote } from "#use-cases/vacancies/vacancy-vote.ts";

/**
 * Volunteering (or the objection window) closed → the group's leadership model decides who
 * takes the role; an offer went unanswered → the next member is asked; a vote about a role
 * closed → its winner (or the confirmed volunteer) takes it; an offer declined → it passes on.
 * Each is safe to run twice: a vacancy that has ended is left alone.
 */
export const createFillVacancy =
  (ports: VacancyPorts): EventHandler =>
  async (event) => {
    const scope = { organisationId: event.organisationId, groupId: event.groupId };
    if (event.type === "VolunteeringClosed") {
      const { roleId, vacantSince, stage } = event.data;
      const step = await decideVacancy(ports, { ...scope, roleId, vacantSince }, stage, event.correlationId);
      ports.log.info("volunteering closed", { roleId, stage, step });
      return;
    }
    if (event.type === "RoleOfferDeclined") {
      const { roleId, vacantSince, memberId } = event.data;
      const step = await passOfferOn(ports, { ...scope, roleId, vacantSince }, memberId);
      ports.log.info("role offer declined", { roleId, step });
      return;
    }
    if (event.type === "RoleOfferLapsed") {
      const { roleId, vacantSince, memberId } = event.data;
      const step = await offerLapsed(ports, { ...scope, roleId, vacantSince }, memberId);
      ports.log.info("role offer lapsed", { roleId, step });
      return;
    }
    if (event.type !== "VoteClosed" || event.data.roleId === undefined) return;
    const filled = await fillFromVote(
      ports,
      {
        ...scope,
        roleId: event.data.roleId,
        voteId: event.data.voteId,
        kind: event.data.kind,
        outcome: event.data.result.outcome,
      },
      event.correlationId,
    );
    ports.log.info("role vote closed", { roleId: event.data.roleId, filled });
  };
