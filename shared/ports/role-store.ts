import type { ConveneEvent } from "#events/catalogue.ts";
import type { RoleChange } from "#domain/role-assignment.ts";
import type { GroupRole, RoleDefinition } from "#domain/role.ts";
import type { TrainingRecord } from "#domain/training.ts";

/** A group role as stored, with the version every change to it is conditioned on. */
export type StoredGroupRole = GroupRole & { version: number };

/** A change to a role read at `expectedVersion`: it is written only if nobody changed the role since. */
export type VersionedRoleChange = RoleChange & { expectedVersion: number };

export interface MembershipRef {
  organisationId: string;
  groupId: string;
  memberId: string;
}

/** One vacancy of one role: the role became vacant at `vacantSince` (GroupRole.vacantSince). */
export interface VacancyRef {
  organisationId: string;
  groupId: string;
  roleId: string;
  vacantSince: string;
}

/** What a role reply token stands for: one member asked one thing about one vacancy. */
export interface RoleReplyRef extends VacancyRef {
  memberId: string;
  /**
   * call: the call for volunteers; offer: the role offered to them (rotating); objection: the
   * notice that the only volunteer will be confirmed; appoint: the designated leader's request.
   */
  purpose: RoleReplyPurpose;
}
export type RoleReplyPurpose = "call" | "offer" | "objection" | "appoint";

/** A member's answer about a vacancy other than volunteering, kept once per member and kind. */
export interface VacancyResponse {
  memberId: string;
  kind: "declined" | "objected" | "proposed";
  /** ISO UTC instant. */
  at: string;
}

export interface Volunteer {
  memberId: string;
  /** ISO UTC instant. */
  volunteeredAt: string;
}

/** What recordEscalation did: escalated now, had been already, or the vacancy is over (filled or vacant again since). */
export type EscalationOutcome = "escalated" | "already-escalated" | "vacancy-over";

export type VolunteerOutcome =
  /** Recorded, with its VolunteerOffered event. */
  | { kind: "recorded" }
  /** The member had volunteered for this vacancy already: nothing changes, no event. */
  | { kind: "already-volunteered" }
  /** The role is no longer vacant since `vacantSince` (filled, or vacant again later), or does not exist. */
  | { kind: "vacancy-over" }
  /** The member is not (or no longer) in the group. */
  | { kind: "not-a-member" };

/**
 * Persistence of group roles, training records and volunteers, in the same single table.
 * Every write that has an event writes it in the same transaction (the outbox).
 */
export interface RoleStore {
  /** The organisation's role catalogue: the default catalogue until the umbrella extends it. */
  getCatalogue(organisationId: string): Promise<RoleDefinition[]>;
  /**
   * Adds a role to the catalogue (validated by the domain's extendCatalogue). Throws conflict
   * when the id is taken or the catalogue changed meanwhile; then nothing is written.
   */
  addRoleDefinition(organisationId: string, definition: RoleDefinition): Promise<RoleDefinition[]>;

  /** A group takes up a role (version 1). Throws conflict if the group is missing or has the role. */
  putRole(role: GroupRole): Promise<void>;
  getRole(organisationId: string, groupId: string, roleId: string): Promise<StoredGroupRole | undefined>;
  listGroupRoles(organisationId: string, groupId: string): Promise<StoredGroupRole[]>;

  /**
   * Writes the changed role and its events in one transaction, if the role is still at
   * `expectedVersion` and every holder is a member of the group. Throws conflict when the
   * role changed meanwhile (of two concurrent assignments, exactly one wins), invalid
   * ("memberId") when a holder is not in the group; then nothing is written.
   */
  applyRoleChange(change: VersionedRoleChange, events: readonly ConveneEvent[]): Promise<void>;

  /**
   * A member leaves the group: the membership goes and every role change (leaveGroup's) is
   * written, with the events, in one transaction. Throws not-found when the membership is
   * gone, conflict when a role changed meanwhile; then nothing is written.
   */
  leaveGroupWithRoles(
    membership: MembershipRef,
    changes: readonly VersionedRoleChange[],
    events: readonly ConveneEvent[],
  ): Promise<void>;

  /**
   * Records a completed training with its TrainingRecorded event. The same training completed
   * at the same instant is one record: recording it again returns false and publishes nothing.
   */
  recordTraining(organisationId: string, record: TrainingRecord, event: ConveneEvent): Promise<boolean>;
  /** The member's records, by training and then completion. */
  listMemberTraining(organisationId: string, memberId: string): Promise<TrainingRecord[]>;
  /** The records of every current member of the group (for the dashboard and reminders). */
  listGroupTraining(organisationId: string, groupId: string): Promise<TrainingRecord[]>;

  /**
   * A member volunteers for a vacancy: recorded once per member, with VolunteerOffered in the
   * same transaction, while the role is still vacant since `vacancy.vacantSince` and the
   * member is in the group.
   */
  addVolunteer(vacancy: VacancyRef, volunteer: Volunteer, event: ConveneEvent): Promise<VolunteerOutcome>;
  /** The vacancy's volunteers, in the order they volunteered. */
  listVolunteers(vacancy: VacancyRef): Promise<Volunteer[]>;

  /**
   * Escalates a vacancy to the umbrella admins, once: one transaction checks the role is still
   * vacant since `vacancy.vacantSince`, claims the vacancy's escalation (its business key:
   * group, role, vacantSince) and writes RoleVacancyEscalated. Whichever trigger comes first
   * (the volunteering window's close, the escalation delay, a redelivery of either) escalates;
   * every later one is "already-escalated" and publishes nothing.
   */
  recordEscalation(vacancy: VacancyRef, event: ConveneEvent): Promise<EscalationOutcome>;

  /** Records a decline, objection or proposal once per member and kind; false if it was there. */
  recordVacancyResponse(
    vacancy: VacancyRef,
    response: VacancyResponse,
    events?: readonly ConveneEvent[],
  ): Promise<boolean>;
  listVacancyResponses(vacancy: VacancyRef): Promise<VacancyResponse[]>;

  /**
   * The member's reply token for one purpose on one vacancy: created once (the candidate,
   * at least 128 random bits), then the same one returned, so a redelivered call sends the
   * same address.
   */
  roleReplyToken(ref: RoleReplyRef, candidate: string): Promise<string>;
  resolveRoleReplyToken(token: string): Promise<RoleReplyRef | undefined>;
}
