import type { ConveneEvent } from "#events/catalogue.ts";
import { conflict, invalid, notFound } from "#domain/errors.ts";
import { newEvent } from "#domain/new-event.ts";
import { assignHolder, leaveGroup, stepDown, type RoleChange } from "#domain/role-assignment.ts";
import type { Group } from "#domain/group.ts";
import { findDefinition, newGroupRole, type GroupRole, type RoleDefinition } from "#domain/role.ts";
import { validateTrainingRecord, type TrainingRecord } from "#domain/training.ts";
import type { Ports } from "#ports/ports.ts";
import type { StoredGroupRole, VacancyRef, VolunteerOutcome } from "#ports/role-store.ts";

/**
 * The roles of a group: taking a role up, assigning and stepping
 * down, leaving the group with the roles one held, training records and volunteering. Each
 * change is written with its events in one transaction; the vacancy handlers take it from
 * there (a RoleVacated calls for volunteers, a RoleFilled welcomes the holder).
 */

type Deps = Pick<Ports, "store" | "roles" | "clock">;

export type FillHow = "appointed" | "confirmed" | "elected" | "offered-and-accepted" | "assigned";

export interface AssignInput {
  memberId: string;
  termEndsAt?: string;
  /** An umbrella admin's override of missing training, with the reason; the caller checks who. */
  override?: { by: string; reason: string };
}

/** A role with its catalogue definition: what the API and the emails show. */
export type RoleView = StoredGroupRole & { definition: RoleDefinition };

const scope = (role: Pick<GroupRole, "organisationId" | "groupId">, correlationId?: string) => ({
  organisationId: role.organisationId,
  groupId: role.groupId,
  ...(correlationId ? { correlationId } : {}),
});

/** The events a role change publishes: one RoleVacated per place left. */
export const vacatedEvents = (change: RoleChange, now: Date, correlationId?: string): ConveneEvent[] =>
  change.vacancies.map((vacancy) => newEvent("RoleVacated", scope(change.role, correlationId), vacancy, now));

export const listRoles = async (deps: Deps, o: string, g: string): Promise<RoleView[]> => {
  if (!(await deps.store.getGroup(o, g))) throw notFound("group");
  const [roles, catalogue] = await Promise.all([deps.roles.listGroupRoles(o, g), deps.roles.getCatalogue(o)]);
  return roles.flatMap((role) => {
    const definition = findDefinition(catalogue, role.roleId);
    return definition ? [{ ...role, definition }] : [];
  });
};

export const getRoleView = async (deps: Deps, o: string, g: string, roleId: string): Promise<RoleView> => {
  const [role, catalogue] = await Promise.all([deps.roles.getRole(o, g, roleId), deps.roles.getCatalogue(o)]);
  const definition = role && findDefinition(catalogue, roleId);
  if (!role || !definition) throw notFound(`the role "${roleId}" in this group`);
  return { ...role, definition };
};

/** The group takes up a catalogue role, vacant until someone is assigned or volunteers. */
export const takeUpRole = async (
  deps: Deps,
  o: string,
  g: string,
  input: { roleId: string; maxHolders?: number },
): Promise<RoleView> => {
  const catalogue = await deps.roles.getCatalogue(o);
  const definition = findDefinition(catalogue, input.roleId);
  if (!definition) throw invalid("roleId", `the organisation's catalogue has no role "${input.roleId}"`);
  const role = newGroupRole({ organisationId: o, groupId: g, ...input }, deps.clock.now());
  await deps.roles.putRole(role);
  return { ...role, version: 1, definition };
};

/**
 * Assigns a holder (a coordinator or admin through the API, the designated leader's
 * appointment, a confirmed or elected volunteer): the domain's checks (member, open place,
 * training, term), then the role and RoleFilled in one version-checked transaction.
 */
export const assignRole = async (
  deps: Deps,
  o: string,
  g: string,
  roleId: string,
  input: AssignInput,
  how: FillHow,
  correlationId?: string,
): Promise<RoleView> => {
  const [roles, catalogue, members, training] = await Promise.all([
    deps.roles.listGroupRoles(o, g),
    deps.roles.getCatalogue(o),
    deps.store.listGroupMembers(o, g),
    deps.roles.listMemberTraining(o, input.memberId),
  ]);
  const stored = roles.find((role) => role.roleId === roleId);
  const now = deps.clock.now();
  const role = assignHolder(
    { roleId, ...input },
    { roles, catalogue, memberIds: members.map((m) => m.id), training },
    now,
  );
  const filled = newEvent(
    "RoleFilled",
    scope(role, correlationId),
    { roleId, memberId: input.memberId, how },
    now,
  );
  await deps.roles.applyRoleChange({ role, vacancies: [], expectedVersion: stored!.version }, [filled]);
  return { ...role, version: stored!.version + 1, definition: findDefinition(catalogue, roleId)! };
};

/** A holder steps down; when they were the last, the role is vacant and RoleVacated calls for volunteers. */
export const stepDownFromRole = async (
  deps: Deps,
  o: string,
  g: string,
  roleId: string,
  memberId: string,
): Promise<void> => {
  const role = await deps.roles.getRole(o, g, roleId);
  if (!role) throw notFound(`the role "${roleId}" in this group`);
  const now = deps.clock.now();
  const change = stepDown(role, memberId, now);
  await deps.roles.applyRoleChange({ ...change, expectedVersion: role.version }, vacatedEvents(change, now));
};

/**
 * A member leaves the group (removed by a coordinator): the membership goes and every role
 * they held is vacated in the same transaction, with MemberLeftGroup and one RoleVacated each.
 */
export const leaveGroupWithRoles = async (
  deps: Deps,
  o: string,
  g: string,
  memberId: string,
): Promise<void> => {
  const roles = await deps.roles.listGroupRoles(o, g);
  const now = deps.clock.now();
  const changes = leaveGroup(memberId, roles, now);
  const left = newEvent(
    "MemberLeftGroup",
    { organisationId: o, groupId: g },
    { memberId, leftAt: now.toISOString() },
    now,
  );
  const events = [left, ...changes.flatMap((change) => vacatedEvents(change, now, left.correlationId))];
  const versions = new Map(roles.map((role) => [role.roleId, role.version]));
  await deps.roles.leaveGroupWithRoles(
    { organisationId: o, groupId: g, memberId },
    changes.map((change) => ({ ...change, expectedVersion: versions.get(change.role.roleId)! })),
    events,
  );
};

/** Records a completed training; the same record twice is one record and one event. */
export const recordTraining = async (
  deps: Deps,
  o: string,
  g: string,
  record: TrainingRecord,
): Promise<{ record: TrainingRecord; created: boolean }> => {
  const now = deps.clock.now();
  const checked = validateTrainingRecord(record, now);
  if (!(await deps.store.getGroup(o, g))) throw notFound("group");
  const memberships = await deps.store.listGroupMembers(o, g);
  if (!memberships.some((m) => m.id === checked.memberId))
    throw invalid("memberId", "record training through a group the member belongs to");
  const event = newEvent(
    "TrainingRecorded",
    { organisationId: o, groupId: g },
    { memberId: checked.memberId, trainingId: checked.trainingId },
    now,
  );
  return { record: checked, created: await deps.roles.recordTraining(o, checked, event) };
};

/** The vacancy a role is in now; throws conflict when it has a holder (nothing to volunteer for). */
export const currentVacancy = (role: StoredGroupRole): VacancyRef => {
  if (role.vacantSince === undefined)
    throw conflict("the role is filled: there is no vacancy to volunteer for");
  return {
    organisationId: role.organisationId,
    groupId: role.groupId,
    roleId: role.roleId,
    vacantSince: role.vacantSince,
  };
};

/**
 * A member volunteers for a vacancy (by reply, by link, or a coordinator on their behalf):
 * recorded once, with VolunteerOffered, while the vacancy lasts and they are in the group.
 */
export const volunteerFor = async (
  deps: Deps,
  vacancy: VacancyRef,
  memberId: string,
  correlationId?: string,
): Promise<VolunteerOutcome> => {
  const now = deps.clock.now();
  const event = newEvent(
    "VolunteerOffered",
    scope(vacancy, correlationId),
    { roleId: vacancy.roleId, memberId },
    now,
  );
  return deps.roles.addVolunteer(vacancy, { memberId, volunteeredAt: now.toISOString() }, event);
};

/**
 * The designated leader (by reply) or a coordinator (through the API) appoints one of the
 * vacancy's volunteers. Anyone else is refused: appointing is choosing among those who came forward.
 */
export const appointVolunteer = async (
  deps: Deps,
  vacancy: VacancyRef,
  memberId: string,
  correlationId?: string,
): Promise<RoleView> => {
  const volunteers = await deps.roles.listVolunteers(vacancy);
  if (!volunteers.some((v) => v.memberId === memberId))
    throw invalid("memberId", "appoint one of the members who volunteered for this vacancy");
  return assignRole(
    deps,
    vacancy.organisationId,
    vacancy.groupId,
    vacancy.roleId,
    { memberId },
    "appointed",
    correlationId,
  );
};

export interface LeadershipInput {
  leadershipModel?: Group["leadershipModel"];
  /** null clears it. */
  leaderMemberId?: string | null;
  rotationOrder?: string[];
  coordinatorMemberIds?: string[];
}

/**
 * Changes how the group fills its roles: the model, the designated leader, the rotation and
 * the coordinators. Everyone named must be a member of the group, each at most once.
 */
export const setLeadership = async (
  deps: Deps,
  o: string,
  g: string,
  input: LeadershipInput,
): Promise<Group> => {
  const group = await deps.store.getGroup(o, g);
  if (!group) throw notFound("group");
  const memberIds = new Set((await deps.store.listGroupMembers(o, g)).map((m) => m.id));
  const requireMembers = (field: string, ids: readonly string[]) => {
    const seen = new Set<string>();
    ids.forEach((id, at) => {
      if (!memberIds.has(id)) throw invalid(`${field}.${at}`, "must be a member of the group");
      if (seen.has(id)) throw invalid(`${field}.${at}`, "the member is listed twice");
      seen.add(id);
    });
  };
  if (input.leaderMemberId && !memberIds.has(input.leaderMemberId))
    throw invalid("leaderMemberId", "the leader must be a member of the group");
  if (input.rotationOrder) requireMembers("rotationOrder", input.rotationOrder);
  if (input.coordinatorMemberIds) requireMembers("coordinatorMemberIds", input.coordinatorMemberIds);
  const { leaderMemberId: _previous, ...rest } = group;
  const leaderMemberId = input.leaderMemberId === undefined ? group.leaderMemberId : input.leaderMemberId;
  const changed: Group = {
    ...rest,
    ...(input.leadershipModel ? { leadershipModel: input.leadershipModel } : {}),
    ...(leaderMemberId ? { leaderMemberId } : {}),
    ...(input.rotationOrder ? { rotationOrder: input.rotationOrder } : {}),
    ...(input.coordinatorMemberIds ? { coordinatorMemberIds: input.coordinatorMemberIds } : {}),
  };
  await deps.store.replaceGroup(changed);
  return changed;
};
