import { createHash } from "node:crypto";
import { DomainError } from "#domain/errors.ts";
import type { VacancyRef } from "#ports/role-store.ts";
import { fillRole } from "./fill-role.ts";
import { dayMs, type VacancyFacts, type VacancyPorts } from "./vacancy-facts.ts";
import { openGroupVote } from "../votes/vote-lifecycle.ts";

/** How long an election (or a yes/no vote on a volunteer) stays open. */
export const vacancyVoteDays = 7;

export type VacancyVotePurpose = "election" | "confirmation";

/** A deterministic vote id per vacancy and purpose, so a redelivered decision opens one vote. */
const vacancyVoteId = (vacancy: VacancyRef, purpose: VacancyVotePurpose) =>
  `vacancy-${createHash("sha256")
    .update(JSON.stringify([purpose, vacancy.groupId, vacancy.roleId, vacancy.vacantSince]))
    .digest("hex")
    .slice(0, 32)}`;

/** Opens the vacancy's election among the candidates, or its yes/no vote on the only volunteer, once. */
export const openVacancyVote = async (
  deps: VacancyPorts,
  facts: VacancyFacts,
  purpose: VacancyVotePurpose,
  input: { question: string; candidateMemberIds?: string[] },
): Promise<void> => {
  const { organisationId: o, groupId: g, roleId } = facts.vacancy;
  const id = vacancyVoteId(facts.vacancy, purpose);
  if (await deps.votes.getVote(o, g, id)) return;
  const closesAt = new Date(deps.clock.now().getTime() + vacancyVoteDays * dayMs).toISOString();
  try {
    await openGroupVote(deps, o, g, "convene", {
      id,
      question: input.question,
      kind: purpose === "election" ? "election" : "proposal",
      candidateMemberIds: input.candidateMemberIds,
      roleId,
      closesAt,
      quorum: 0.25,
      threshold: 0.5,
      secrecy: "secret",
      reminderMinutesBeforeClose: 1440,
    });
  } catch (error) {
    // Opened meanwhile by a concurrent delivery of the same decision.
    if (!(error instanceof DomainError && error.kind === "conflict" && (await deps.votes.getVote(o, g, id))))
      throw error;
  }
};

/**
 * A vote about a role closed: an election's winner takes it; a yes/no vote on the only
 * volunteer confirms them if it passed. Anything else leaves the role vacant (the call can
 * be repeated; a critical role escalates on its own schedule).
 */
export const fillFromVote = async (
  deps: VacancyPorts,
  vote: {
    organisationId: string;
    groupId: string;
    roleId: string;
    voteId: string;
    kind: string;
    outcome: { kind: string; optionId?: string };
  },
  correlationId?: string,
): Promise<boolean> => {
  const role = await deps.roles.getRole(vote.organisationId, vote.groupId, vote.roleId);
  if (role?.vacantSince === undefined) return false;
  const vacancy: VacancyRef = {
    organisationId: vote.organisationId,
    groupId: vote.groupId,
    roleId: vote.roleId,
    vacantSince: role.vacantSince,
  };
  if (vote.kind === "election" && vote.outcome.kind === "elected" && vote.outcome.optionId)
    return fillRole(deps, vacancy, vote.outcome.optionId, "elected", correlationId);
  if (
    vote.kind === "proposal" &&
    vote.outcome.kind === "passed" &&
    vote.voteId === vacancyVoteId(vacancy, "confirmation")
  ) {
    const proposed = (await deps.roles.listVacancyResponses(vacancy))
      .filter((r) => r.kind === "proposed")
      .at(-1);
    return proposed ? fillRole(deps, vacancy, proposed.memberId, "confirmed", correlationId) : false;
  }
  return false;
};
