import type { ConveneEvent } from "#events/catalogue.ts";
import { conflict, invalid, notFound } from "#domain/errors.ts";
import { defaultRoleCatalogue, extendCatalogue, type GroupRole, type RoleDefinition } from "#domain/role.ts";
import type { TrainingRecord } from "#domain/training.ts";
import type {
  EscalationOutcome,
  MembershipRef,
  RoleReplyRef,
  RoleStore,
  VacancyResponse,
  StoredGroupRole,
  VacancyRef,
  VersionedRoleChange,
  Volunteer,
  VolunteerOutcome,
} from "#ports/role-store.ts";
import {
  groupRoleItem,
  memberRoleTokenItem,
  membershipItem,
  roleCatalogueItem,
  roleReplyTokenItem,
  trainingItem,
  vacancyEscalationItem,
  vacancyResponseItem,
  volunteerItem,
} from "./items.ts";
import { keys } from "./keys.ts";
import { under, type TableClient } from "./table-client.ts";
import { exists, isNew, mustExist, type Write } from "./writes.ts";

/** Members whose training one listGroupTraining reads at a time. */
const trainingReadConcurrency = 10;

/** The role is still vacant since the vacancy began: else the vacancy is over. */
const stillVacant = ({ organisationId: o, groupId: g, roleId: r, vacantSince }: VacancyRef) =>
  ({
    check: keys.groupRole(o, g, r),
    condition: "vacantSince = :vacantSince",
    values: { ":vacantSince": vacantSince },
    failed: "vacancy-over",
  }) as const;

/** Group roles, training records and volunteers in the single table. */
export class DynamoRoleStore implements RoleStore {
  constructor(private readonly table: TableClient) {}

  async getCatalogue(organisationId: string): Promise<RoleDefinition[]> {
    const item = await this.table.get(roleCatalogueItem, keys.roleCatalogue(organisationId));
    return item?.definitions ?? defaultRoleCatalogue();
  }

  /** Conditioned on the version read, so two admins extending at once cannot lose a role. */
  async addRoleDefinition(organisationId: string, definition: RoleDefinition): Promise<RoleDefinition[]> {
    const key = keys.roleCatalogue(organisationId);
    const read = await this.table.get(roleCatalogueItem, key);
    const definitions = extendCatalogue(read?.definitions ?? defaultRoleCatalogue(), definition);
    const [failed] = await this.table.write([
      mustExist(keys.organisation(organisationId), "no-organisation"),
      {
        put: roleCatalogueItem.item(key, { definitions, version: (read?.version ?? 0) + 1 }),
        ...(read ? { condition: "version = :read", values: { ":read": read.version } } : isNew),
        failed: "changed",
      },
    ]);
    if (failed === "no-organisation") throw notFound("organisation");
    if (failed) throw conflict("the role catalogue changed meanwhile; read it again and retry");
    return definitions;
  }

  async putRole(role: GroupRole): Promise<void> {
    const { organisationId: o, groupId: g, roleId: r } = role;
    const failed = await this.table.write([
      mustExist(keys.group(o, g), "no-group"),
      { put: this.roleItem(role, 1), ...isNew, failed: "exists" },
    ]);
    if (failed.length) throw conflict(`the group does not exist or already has the role "${r}"`);
  }

  getRole(organisationId: string, groupId: string, roleId: string): Promise<StoredGroupRole | undefined> {
    return this.table.get(groupRoleItem, keys.groupRole(organisationId, groupId, roleId));
  }

  listGroupRoles(organisationId: string, groupId: string): Promise<StoredGroupRole[]> {
    return this.table.queryAll(groupRoleItem, under(keys.groupRolesOf(organisationId, groupId)));
  }

  /**
   * One transaction: the role at its expected version (written at the next), a check that
   * each holder's membership exists (so a member who left meanwhile cannot be assigned), and
   * the outbox records.
   */
  async applyRoleChange(change: VersionedRoleChange, events: readonly ConveneEvent[]): Promise<void> {
    const { organisationId: o, groupId: g } = change.role;
    const [failed] = await this.table.write(
      [
        this.rolePut(change),
        ...change.role.holders.map((holder) =>
          mustExist(keys.membership(o, g, holder.memberId), "not-a-member"),
        ),
      ],
      { events },
    );
    if (failed === "not-a-member") throw invalid("memberId", "only a member of the group can hold its roles");
    if (failed) throw conflict("the role changed meanwhile; read it again and retry");
  }

  async leaveGroupWithRoles(
    membership: MembershipRef,
    changes: readonly VersionedRoleChange[],
    events: readonly ConveneEvent[],
  ): Promise<void> {
    const { organisationId: o, groupId: g, memberId: m } = membership;
    const [failed] = await this.table.write(
      [
        { delete: keys.membership(o, g, m), ...exists, failed: "no-membership" },
        ...changes.map((change) => this.rolePut(change)),
      ],
      { events },
    );
    if (failed === "no-membership") throw notFound("membership");
    if (failed) throw conflict("a role of the member changed meanwhile; read the roles again and retry");
  }

  async recordTraining(
    organisationId: string,
    record: TrainingRecord,
    event: ConveneEvent,
  ): Promise<boolean> {
    const key = keys.training(organisationId, record.memberId, record.trainingId, record.completedAt);
    const put = { put: trainingItem.item(key, { record }), ...isNew, failed: "recorded-before" } as const;
    return (await this.table.write([put], { events: [event] })).length === 0;
  }

  async listMemberTraining(organisationId: string, memberId: string): Promise<TrainingRecord[]> {
    const items = await this.table.queryAll(trainingItem, under(keys.trainingOf(organisationId, memberId)));
    return items.map((i) => i.record);
  }

  /** One query for the group's member ids, then one query per member, a few at a time. */
  async listGroupTraining(organisationId: string, groupId: string): Promise<TrainingRecord[]> {
    const memberships = await this.table.queryAll(
      membershipItem.pick("memberId"),
      under(keys.membershipsOfGroup(organisationId, groupId)),
    );
    const records: TrainingRecord[] = [];
    for (let i = 0; i < memberships.length; i += trainingReadConcurrency) {
      const batch = memberships.slice(i, i + trainingReadConcurrency);
      const read = await Promise.all(batch.map((m) => this.listMemberTraining(organisationId, m.memberId)));
      records.push(...read.flat());
    }
    return records;
  }

  /** One transaction: still vacant since then, the member in the group, not volunteered yet. */
  async addVolunteer(
    vacancy: VacancyRef,
    volunteer: Volunteer,
    event: ConveneEvent,
  ): Promise<VolunteerOutcome> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince } = vacancy;
    const key = keys.volunteer(o, g, r, vacantSince, volunteer.memberId);
    const [failed] = await this.table.write(
      [
        stillVacant(vacancy),
        mustExist(keys.membership(o, g, volunteer.memberId), "not-a-member"),
        { put: volunteerItem.item(key, volunteer), ...isNew, failed: "already-volunteered" },
      ],
      { events: [event] },
    );
    return { kind: failed ?? "recorded" };
  }

  /** Sorted by time, then member: the SK orders by member id, the rules need arrival order. */
  async listVolunteers(vacancy: VacancyRef): Promise<Volunteer[]> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince } = vacancy;
    const volunteers = await this.table.queryAll(
      volunteerItem,
      under(keys.volunteersOf(o, g, r, vacantSince)),
    );
    return volunteers.sort((a, b) =>
      a.volunteeredAt === b.volunteeredAt
        ? a.memberId.localeCompare(b.memberId)
        : a.volunteeredAt.localeCompare(b.volunteeredAt),
    );
  }

  /** One transaction: still vacant since then, the escalation not claimed yet, its event. */
  async recordEscalation(vacancy: VacancyRef, event: ConveneEvent): Promise<EscalationOutcome> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince } = vacancy;
    const escalation = { eventId: event.id, escalatedAt: event.occurredAt };
    const [failed] = await this.table.write(
      [
        stillVacant(vacancy),
        {
          put: vacancyEscalationItem.item(keys.vacancyEscalation(o, g, r, vacantSince), escalation),
          ...isNew,
          failed: "already-escalated",
        },
      ],
      { events: [event] },
    );
    return failed ?? "escalated";
  }

  /** The response with its events in one transaction; a response recorded before writes neither. */
  async recordVacancyResponse(
    vacancy: VacancyRef,
    response: VacancyResponse,
    events: readonly ConveneEvent[] = [],
  ): Promise<boolean> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince } = vacancy;
    const key = keys.vacancyResponse(o, g, r, vacantSince, response.kind, response.memberId);
    const put = {
      put: vacancyResponseItem.item(key, { response }),
      ...isNew,
      failed: "recorded-before",
    } as const;
    return (await this.table.write([put], { events })).length === 0;
  }

  async listVacancyResponses(vacancy: VacancyRef): Promise<VacancyResponse[]> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince } = vacancy;
    const items = await this.table.queryAll(
      vacancyResponseItem,
      under(keys.vacancyResponsesOf(o, g, r, vacantSince)),
    );
    return items.map((i) => i.response).sort((a, b) => a.at.localeCompare(b.at));
  }

  roleReplyToken(ref: RoleReplyRef, candidate: string): Promise<string> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince, purpose, memberId: m } = ref;
    return this.table.replyToken(
      { key: keys.memberRoleToken(o, g, r, vacantSince, purpose, m), kind: memberRoleTokenItem },
      { key: keys.roleReplyToken(candidate), kind: roleReplyTokenItem },
      ref,
      candidate,
    );
  }

  resolveRoleReplyToken(token: string): Promise<RoleReplyRef | undefined> {
    return this.table.get(roleReplyTokenItem, keys.roleReplyToken(token));
  }

  /** `version` last: a StoredGroupRole passed back in does not write its old version. */
  private roleItem(role: GroupRole, version: number) {
    const { organisationId: o, groupId: g, roleId: r } = role;
    return groupRoleItem.item(keys.groupRole(o, g, r), { ...role, version });
  }

  /** A whole-item Put, so a vacantSince that ended disappears with it. */
  private rolePut({ expectedVersion, role }: VersionedRoleChange): Write<"changed"> {
    return {
      put: this.roleItem(role, expectedVersion + 1),
      condition: "version = :expected",
      values: { ":expected": expectedVersion },
      failed: "changed",
    };
  }
}
