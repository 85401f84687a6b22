import { conflict, invalid } from "./errors.ts";
import type { LeadershipModel } from "./group.ts";
import { holdsRole, openPlaces, type GroupRole } from "./role.ts";

/**
 * Filling a vacant role, by the group's leadership model, and when to alert. Pure decisions:
 * the handler gathers the facts, asks, and acts on the answer.
 *
 * The decision, as vacancyDecision takes it:
 * - Candidates are the distinct volunteers, in the order they volunteered, for whom
 *   eligible(memberId) holds (the handler's eligible: in the group, training current, not a
 *   holder already). A volunteer who is not eligible is not a candidate.
 * - rotating: the role is offered first, at once (no window to wait for), to the next member
 *   in the rotation order after the previous holder who is eligible and has not declined. A
 *   declined or lapsed offer is a decline: the handler adds them and asks again. When the
 *   rotation has nobody left, the volunteers decide as in a collective group.
 * - designated, collective: while the volunteering window is open: wait. At its close:
 *   - designated: one or more candidates: the designated leader is asked to appoint one.
 *   - collective: one candidate and no objection: confirmed; one candidate and an objection
 *     from another member: put to a yes/no vote; two or more: an election among them.
 *   - no candidate: a critical role escalates to the umbrella admins at once; any other
 *     role stays vacant (the dashboard shows it; the call may be repeated).
 * - Escalation is once per vacancy: the window's close and escalationDue are two triggers for
 *   one RoleVacancyEscalated, claimed by the business key (group, role, vacantSince).
 */

export type VacancyDecision =
  | { kind: "wait" }
  | { kind: "ask-leader-to-appoint"; volunteers: string[] }
  | { kind: "confirm"; memberId: string }
  /** Collective: the only candidate met an objection; a yes/no vote confirms them or not. */
  | { kind: "put-to-vote"; memberId: string }
  | { kind: "open-election"; candidates: string[] }
  | { kind: "offer"; memberId: string }
  | { kind: "escalate" }
  /** Nobody came forward for a role that is not critical: it stays vacant. */
  | { kind: "remain-vacant" };

export interface VacancyFacts {
  model: LeadershipModel;
  critical: boolean;
  /** Members who volunteered, in the order they did. */
  volunteers: readonly string[];
  windowClosed: boolean;
  /** Members who objected to confirming the only candidate (collective). */
  objections: readonly string[];
  /** The group's rotation, a cycle (rotating). */
  rotationOrder: readonly string[];
  /** Where the rotation resumes: after this member, who is never offered the role again. */
  previousHolderId?: string;
  /** Members who declined an offer for this vacancy (rotating). */
  declined?: readonly string[];
  eligible: (memberId: string) => boolean;
}

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** What to do about a vacant role now; see the rules at the top of this file. */
export function vacancyDecision(facts: VacancyFacts): VacancyDecision {
  if (facts.model === "rotating") {
    const next = nextInRotation(facts);
    if (next !== undefined) return { kind: "offer", memberId: next };
  }
  if (!facts.windowClosed) return { kind: "wait" };

  const candidates = [...new Set(facts.volunteers)].filter((memberId) => facts.eligible(memberId));
  const [only] = candidates;
  if (only === undefined) return facts.critical ? { kind: "escalate" } : { kind: "remain-vacant" };
  if (facts.model === "designated") return { kind: "ask-leader-to-appoint", volunteers: candidates };
  if (candidates.length > 1) return { kind: "open-election", candidates };
  const objected = facts.objections.some((memberId) => memberId !== only);
  return objected ? { kind: "put-to-vote", memberId: only } : { kind: "confirm", memberId: only };
}

/**
 * Records a member volunteering for a role; returns the volunteers, in order. Volunteering
 * twice is one volunteer (a repeated reply changes nothing). Throws:
 * - invalid("memberId") for someone who is not in the group;
 * - conflict when the role has no open place, or they already hold it.
 */
export function addVolunteer(
  role: Pick<GroupRole, "holders" | "maxHolders">,
  memberId: string,
  memberIds: readonly string[],
  volunteers: readonly string[],
): string[] {
  if (!memberIds.includes(memberId)) throw invalid("memberId", "only a member of the group can volunteer");
  if (holdsRole(role, memberId)) throw conflict("the member already holds this role");
  if (openPlaces(role) === 0) throw conflict("the role is already filled");
  return volunteers.includes(memberId) ? [...volunteers] : [...volunteers, memberId];
}

/** How long a critical role may stay vacant before the umbrella admins are alerted. */
export const escalationAfterDays = 14;

/** When a vacancy that began at `vacantSince` falls due for escalation. */
export const escalationDueAt = (vacantSince: string, afterDays = escalationAfterDays): Date =>
  new Date(Date.parse(vacantSince) + afterDays * dayMs);

/**
 * A critical role has been vacant for afterDays (default escalationAfterDays) or more, and
 * nobody has been alerted yet. Roles that are not critical, and roles with a holder, never escalate.
 */
export function escalationDue(facts: {
  critical: boolean;
  vacantSince?: string;
  now: Date;
  afterDays?: number;
  alreadyEscalated?: boolean;
}): boolean {
  const afterDays = facts.afterDays ?? escalationAfterDays;
  if (!Number.isFinite(afterDays) || afterDays < 0) throw invalid("afterDays", "must be 0 days or more");
  if (!facts.critical || facts.vacantSince === undefined || facts.alreadyEscalated === true) return false;
  return facts.now.getTime() - Date.parse(facts.vacantSince) >= afterDays * dayMs;
}

export type FacilitatorAlert = "early" | "final";

/**
 * Which alert about a session with no facilitator is due now, if any. The early alert is
 * due from 7 days before the start; the final one from 48 hours before. Each is sent once;
 * once the final one is due, a missing early one is not sent as well (the final says more).
 * Nothing is due once the session has started or when it has a facilitator.
 */
export function facilitatorAlerts(facts: {
  sessionStart: Date;
  now: Date;
  hasFacilitator: boolean;
  alreadyAlerted: { early?: boolean; final?: boolean };
  earlyDays?: number;
  finalHours?: number;
}): FacilitatorAlert | null {
  const untilStart = facts.sessionStart.getTime() - facts.now.getTime();
  if (facts.hasFacilitator || untilStart <= 0) return null;
  if (untilStart <= (facts.finalHours ?? 48) * hourMs)
    return facts.alreadyAlerted.final === true ? null : "final";
  if (untilStart <= (facts.earlyDays ?? 7) * dayMs)
    return facts.alreadyAlerted.early === true ? null : "early";
  return null;
}

/** When to check a session for a facilitator: the instants facilitatorAlerts starts answering. */
export function facilitatorAlertTimes(
  sessionStart: Date,
  earlyDays = 7,
  finalHours = 48,
): Record<FacilitatorAlert, Date> {
  return {
    early: new Date(sessionStart.getTime() - earlyDays * dayMs),
    final: new Date(sessionStart.getTime() - finalHours * hourMs),
  };
}

function nextInRotation(facts: VacancyFacts): string | undefined {
  const order = [...new Set(facts.rotationOrder)];
  const declined = new Set(facts.declined ?? []);
  const start = facts.previousHolderId === undefined ? 0 : order.indexOf(facts.previousHolderId) + 1;
  const cycle = [...order.slice(start), ...order.slice(0, start)];
  return cycle.find(
    (memberId) => memberId !== facts.previousHolderId && !declined.has(memberId) && facts.eligible(memberId),
  );
}
