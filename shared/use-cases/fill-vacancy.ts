import { createHash } from "node:crypto";
import { deliverEach } from "#delivery/deliver-once.ts";
import { DomainError } from "#domain/errors.ts";
import type { Group } from "#domain/group.ts";
import { formatLocal } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import { newId } from "#domain/ids.ts";
import { newEvent } from "#domain/new-event.ts";
import { findDefinition, type RoleDefinition } from "#domain/role.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import { missingTraining, type TrainingRecord } from "#domain/training.ts";
import { vacancyDecision, type VacancyDecision } from "#domain/vacancy.ts";
import {
  renderAppointRequest,
  renderCallForVolunteers,
  renderObjectionNotice,
  renderRoleOffer,
} from "#messages/role-emails.ts";
import type { Ports } from "#ports/ports.ts";
import type { StoredGroupRole, VacancyRef } from "#ports/role-store.ts";
import { escalateVacancy } from "./escalate-vacancy.ts";
import { firstName, sendRoleEmail } from "./role-messages.ts";
import { assignRole } from "./roles.ts";
import { openGroupVote } from "./votes.ts";

/**
 * Filling a vacant role (issue 5, DESIGN flow 2): the call for volunteers, and the decision
 * when volunteering closes, by the group's leadership model (the rules are the domain's
 * vacancyDecision). Every step is safe to run twice: emails go once per purpose and member,
 * schedules and votes have deterministic names and ids, and a step for a vacancy that has
 * ended (the role was filled, or vacated again later) does nothing.
 */

export type Deps = Pick<
  Ports,
  "store" | "roles" | "votes" | "scheduler" | "mailer" | "clock" | "settings" | "log"
>;

const dayMs = 86_400_000;
/** How long members may volunteer after a call. */
export const volunteeringWindowDays = 7;
/** Collective groups: how long members may object to the only volunteer. */
export const objectionWindowDays = 3;
/** Rotating groups: how long a member has to answer an offer before it passes on. */
export const offerDays = 3;
/** How long an election (or a yes/no vote on a volunteer) stays open. */
export const vacancyVoteDays = 7;

export type VacancyStep = VacancyDecision["kind"] | "stale" | "called" | "objections-invited";

interface VacancyFacts {
  vacancy: VacancyRef;
  role: StoredGroupRole;
  group: Group;
  definition: RoleDefinition;
  members: Member[];
  /** Training records of the group's members, for eligibility. */
  training: TrainingRecord[];
}

/** The vacancy's facts, or undefined when it is over (filled, re-vacated later, or gone). */
const loadVacancy = async (deps: Deps, vacancy: VacancyRef): Promise<VacancyFacts | undefined> => {
  const { organisationId: o, groupId: g, roleId } = vacancy;
  const [role, group, catalogue] = await Promise.all([
    deps.roles.getRole(o, g, roleId),
    deps.store.getGroup(o, g),
    deps.roles.getCatalogue(o),
  ]);
  const definition = findDefinition(catalogue, roleId);
  if (!role || !group || !definition || role.vacantSince !== vacancy.vacantSince) return undefined;
  const [members, training] = await Promise.all([
    deps.store.listGroupMembers(o, g),
    definition.requiredTrainingIds.length > 0 ? deps.roles.listGroupTraining(o, g) : Promise.resolve([]),
  ]);
  return { vacancy, role, group, definition, members, training };
};

/** In the group, not holding the role already, and with the role's training current. */
const eligibility = (facts: VacancyFacts, now: Date) => {
  const memberIds = new Set(facts.members.map((m) => m.id));
  return (memberId: string) =>
    memberIds.has(memberId) &&
    !facts.role.holders.some((h) => h.memberId === memberId) &&
    missingTraining(
      facts.definition,
      facts.training.filter((t) => t.memberId === memberId),
      now,
    ).length === 0;
};

const local = (facts: VacancyFacts, at: Date) => formatLocal(at, facts.group.timeZone);

const scheduleClose = (deps: Deps, facts: VacancyFacts, stage: "volunteering" | "objections", at: Date) => {
  const { organisationId: o, groupId: g, roleId, vacantSince } = facts.vacancy;
  return deps.scheduler.scheduleOnce({
    name: scheduleName(
      `vacancy-${stage === "volunteering" ? "call" : "objections"}`,
      o,
      g,
      roleId,
      vacantSince,
    ),
    at,
    timeZone: facts.group.timeZone,
    event: newEvent(
      "VolunteeringClosed",
      { organisationId: o, groupId: g },
      { roleId, vacantSince, stage },
      at,
    ),
  });
};

/**
 * A role fell vacant (RoleVacated). Rotating groups offer it to the next member in the
 * rotation; the others (and a rotation with nobody left) call every member to volunteer
 * and close the call after the window.
 */
export const callForVolunteers = async (
  deps: Deps,
  vacancy: VacancyRef,
  previousHolderId: string,
): Promise<VacancyStep> => {
  const facts = await loadVacancy(deps, vacancy);
  if (!facts) return "stale";
  if (facts.group.leadershipModel === "rotating") {
    // The member who left the role is not offered it again.
    await deps.roles.recordVacancyResponse(vacancy, {
      memberId: previousHolderId,
      kind: "declined",
      at: vacancy.vacantSince,
    });
    const offered = await offerNext(deps, facts);
    if (offered) return "offer";
  }
  const closesAt = new Date(Date.parse(vacancy.vacantSince) + volunteeringWindowDays * dayMs);
  await scheduleClose(deps, facts, "volunteering", closesAt);
  await deliverEach(
    facts.members.filter((m) => m.id !== previousHolderId),
    (member) =>
      sendRoleEmail(
        deps,
        vacancy,
        member,
        "call",
        (links) =>
          renderCallForVolunteers({
            groupName: facts.group.name,
            firstName: firstName(member),
            definition: facts.definition,
            closesAtLocal: local(facts, closesAt),
            volunteerUrl: links.volunteer!,
          }),
        ["volunteer"],
      ),
  );
  return "called";
};

/** Rotating: offers the role to the next eligible member who has not declined; false when nobody is left. */
export const offerNext = async (deps: Deps, facts: VacancyFacts): Promise<boolean> => {
  const responses = await deps.roles.listVacancyResponses(facts.vacancy);
  const decision = vacancyDecision({
    model: "rotating",
    critical: facts.definition.critical,
    volunteers: [],
    windowClosed: false,
    objections: [],
    rotationOrder: facts.group.rotationOrder ?? facts.members.map((m) => m.id),
    declined: responses.filter((r) => r.kind === "declined").map((r) => r.memberId),
    eligible: eligibility(facts, deps.clock.now()),
  });
  if (decision.kind !== "offer") return false;
  const member = facts.members.find((m) => m.id === decision.memberId)!;
  await sendRoleEmail(
    deps,
    facts.vacancy,
    member,
    "offer",
    (links) =>
      renderRoleOffer({
        groupName: facts.group.name,
        firstName: firstName(member),
        definition: facts.definition,
        acceptUrl: links.accept!,
        declineUrl: links.decline!,
      }),
    ["accept", "decline"],
  );
  const { organisationId: o, groupId: g, roleId, vacantSince } = facts.vacancy;
  const lapsesAt = new Date(deps.clock.now().getTime() + offerDays * dayMs);
  await deps.scheduler.scheduleOnce({
    name: scheduleName("vacancy-offer", o, g, roleId, vacantSince, member.id),
    at: lapsesAt,
    timeZone: facts.group.timeZone,
    event: newEvent(
      "RoleOfferLapsed",
      { organisationId: o, groupId: g },
      { roleId, vacantSince, memberId: member.id },
      lapsesAt,
    ),
  });
  return true;
};

/** An offer went unanswered: unless it was answered meanwhile, it is a decline. */
export const offerLapsed = async (
  deps: Deps,
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
  deps: Deps,
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
  if (await offerNext(deps, facts)) return "offer";
  return callForVolunteers(deps, vacancy, memberId);
};

/** A deterministic vote id per vacancy and purpose, so a redelivered decision opens one vote. */
const vacancyVoteId = (vacancy: VacancyRef, purpose: "election" | "confirmation") =>
  `vacancy-${createHash("sha256")
    .update(JSON.stringify([purpose, vacancy.groupId, vacancy.roleId, vacancy.vacantSince]))
    .digest("hex")
    .slice(0, 32)}`;

const openVacancyVote = async (
  deps: Deps,
  facts: VacancyFacts,
  purpose: "election" | "confirmation",
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
 * Volunteering (or, collective, the objection window) closed: the group's leadership model
 * decides. A collective group with one eligible volunteer first gives members a few days to
 * object; the decision is taken when that window closes.
 */
export const decideVacancy = async (
  deps: Deps,
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
  const byId = new Map(facts.members.map((m) => [m.id, m]));

  if (stage === "volunteering" && group.leadershipModel !== "designated" && candidates.length === 1) {
    const [only] = candidates as [string];
    await deps.roles.recordVacancyResponse(vacancy, {
      memberId: only,
      kind: "proposed",
      at: now.toISOString(),
    });
    const confirmAt = new Date(now.getTime() + objectionWindowDays * dayMs);
    await scheduleClose(deps, facts, "objections", confirmAt);
    const volunteerName = byId.get(only)!.name;
    await deliverEach(
      facts.members.filter((m) => m.id !== only),
      (member) =>
        sendRoleEmail(
          deps,
          vacancy,
          member,
          "objection",
          (links) =>
            renderObjectionNotice({
              groupName: group.name,
              firstName: firstName(member),
              definition,
              volunteerName,
              confirmAtLocal: local(facts, confirmAt),
              objectUrl: links.object!,
            }),
          ["object"],
        ),
    );
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
  await act(deps, facts, decision, correlationId);
  return decision.kind;
};

const act = async (
  deps: Deps,
  facts: VacancyFacts,
  decision: VacancyDecision,
  correlationId?: string,
): Promise<void> => {
  const { vacancy, group, definition } = facts;
  const byId = new Map(facts.members.map((m) => [m.id, m]));
  const name = (memberId: string) => byId.get(memberId)?.name ?? "a member";
  switch (decision.kind) {
    case "confirm":
      await fill(deps, vacancy, decision.memberId, "confirmed", correlationId);
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
        await act(deps, facts, collective, correlationId);
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

/** Makes the member the holder; a vacancy filled or changed meanwhile is left as it is. */
export const fill = async (
  deps: Deps,
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

/**
 * A vote about a role closed: an election's winner takes it; a yes/no vote on the only
 * volunteer confirms them if it passed. Anything else leaves the role vacant (the call can
 * be repeated; a critical role escalates on its own schedule).
 */
export const fillFromVote = async (
  deps: Deps,
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
    return fill(deps, vacancy, vote.outcome.optionId, "elected", correlationId);
  if (
    vote.kind === "proposal" &&
    vote.outcome.kind === "passed" &&
    vote.voteId === vacancyVoteId(vacancy, "confirmation")
  ) {
    const proposed = (await deps.roles.listVacancyResponses(vacancy))
      .filter((r) => r.kind === "proposed")
      .at(-1);
    return proposed ? fill(deps, vacancy, proposed.memberId, "confirmed", correlationId) : false;
  }
  return false;
};
