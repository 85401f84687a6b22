import { sendRoleEmail } from "#delivery/send-role-email.ts";
import { newId } from "#domain/ids.ts";
import { vacancyDecision, type VacancyDecision } from "#domain/vacancy.ts";
import { firstNameOf as firstName } from "#messages/email-kit/render-email.ts";
import { renderAppointRequest } from "#messages/roles/appoint-request-email.ts";
import type { VacancyRef } from "#ports/role-store.ts";
import { escalateVacancy } from "./escalate-vacancy.ts";
import { fillRole } from "./fill-role.ts";
import { inviteObjections } from "./invite-objections.ts";
import {
  eligibility,
  loadVacancy,
  type VacancyFacts,
  type VacancyPorts,
  type VacancyStep,
} from "./vacancy-facts.ts";
import { openVacancyVote } from "./vacancy-vote.ts";

/**
 * Volunteering (or, collective, the objection window) closed: the group's leadership model
 * decides. A collective group with one eligible volunteer first gives members a few days to
 * object; the decision is taken when that window closes.
 */
export const decideVacancy = async (
  deps: VacancyPorts,
  vacancy: VacancyRef,
  stage: "volunteering" | "objections",
  correlationId?: string,
): Promise<VacancyStep> => {
  const facts = await loadVacancy(deps, vacancy);
  if (!facts) return "stale";
  const now = deps.clock.now();
  const [volunteers, responses] = await Promise.all([
    deps.roles.listVolunteers(vacancy),
    deps.roles.listVacancyResponses(vacancy),
  ]);
  const eligible = eligibility(facts, now);
  const candidates = volunteers.map((v) => v.memberId).filter(eligible);
  const { group, definition } = facts;

  if (stage === "volunteering" && group.leadershipModel !== "designated" && candidates.length === 1) {
    await inviteObjections(deps, facts, candidates[0]!, now);
    return "objections-invited";
  }

  const decision = vacancyDecision({
    // A rotation with nobody left fell back to a call: its volunteers decide as in a collective group.
    model: group.leadershipModel === "rotating" ? "collective" : group.leadershipModel,
    critical: definition.critical,
    volunteers: volunteers.map((v) => v.memberId),
    windowClosed: true,
    objections: responses.filter((r) => r.kind === "objected").map((r) => r.memberId),
    rotationOrder: [],
    eligible,
  });
  await actOnDecision(deps, facts, decision, correlationId);
  return decision.kind;
};

/** Carries out what vacancyDecision decided: fill, open a vote, ask the leader, or escalate. */
const actOnDecision = async (
  deps: VacancyPorts,
  facts: VacancyFacts,
  decision: VacancyDecision,
  correlationId?: string,
): Promise<void> => {
  const { vacancy, group, definition } = facts;
  const byId = new Map(facts.members.map((m) => [m.id, m]));
  const name = (memberId: string) => byId.get(memberId)?.name ?? "a member";
  switch (decision.kind) {
    case "confirm":
      await fillRole(deps, vacancy, decision.memberId, "confirmed", correlationId);
      return;
    case "put-to-vote":
      await openVacancyVote(deps, facts, "confirmation", {
        question: `Should ${name(decision.memberId)} become ${definition.name}?`,
      });
      return;
    case "open-election":
      await openVacancyVote(deps, facts, "election", {
        question: `Who should become ${definition.name}?`,
        candidateMemberIds: decision.candidates,
      });
      return;
    case "ask-leader-to-appoint": {
      const leaders = [
        group.leaderMemberId,
        ...(group.leaderMemberId ? [] : (group.coordinatorMemberIds ?? [])),
      ].flatMap((id) => (id ? (byId.get(id) ?? []) : []));
      if (leaders.length === 0) {
        // Nobody to appoint: the volunteers decide as a collective group would.
        const [only, ...others] = decision.volunteers;
        const collective: VacancyDecision =
          others.length === 0
            ? { kind: "confirm", memberId: only! }
            : { kind: "open-election", candidates: decision.volunteers };
        await actOnDecision(deps, facts, collective, correlationId);
        return;
      }
      for (const leader of leaders)
        await sendRoleEmail(deps, vacancy, leader, "appoint", () =>
          renderAppointRequest({
            groupName: group.name,
            firstName: firstName(leader),
            definition,
            volunteerNames: decision.volunteers.map(name),
          }),
        );
      return;
    }
    case "escalate":
      // At the window's close a critical role nobody volunteered for escalates at once.
      await escalateVacancy(deps, vacancy, correlationId ?? newId());
      return;
    case "offer":
    case "wait":
    case "remain-vacant":
      return;
  }
};
