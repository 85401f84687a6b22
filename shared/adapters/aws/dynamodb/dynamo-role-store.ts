import { PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
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
import { itemKind, keys } from "./keys.ts";
import { outboxRecord } from "./outbox-record.ts";
import { isConditionFailure, type TableClient, mustExist } from "./table-client.ts";

/**
 * A training record is kept whole under `record`: its own `expiresAt` (an ISO string) would
 * otherwise sit in the table's TTL attribute, one type change away from deleting it.
 */
type TrainingItem = { record: TrainingRecord };

type CatalogueItem = { definitions: RoleDefinition[]; version: number };

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Members whose training one listGroupTraining reads at a time. */
const trainingReadConcurrency = 10;

/** Group roles, training records and volunteers in the single table. */
export class DynamoRoleStore implements RoleStore {
  constructor(private readonly table: TableClient) {}

  private get name() {
    return this.table.tableName;
  }

  async getCatalogue(organisationId: string): Promise<RoleDefinition[]> {
    const item = await this.table.get<CatalogueItem>(keys.roleCatalogue(organisationId));
    return item?.definitions ?? defaultRoleCatalogue();
  }

  /** Conditioned on the version read, so two admins extending at once cannot lose a role. */
  async addRoleDefinition(organisationId: string, definition: RoleDefinition): Promise<RoleDefinition[]> {
    const key = keys.roleCatalogue(organisationId);
    const read = await this.table.get<CatalogueItem>(key);
    const definitions = extendCatalogue(read?.definitions ?? defaultRoleCatalogue(), definition);
    try {
      await this.table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            mustExist(this.name, keys.organisation(organisationId)),
            {
              Put: {
                TableName: this.name,
                Item: {
                  ...key,
                  kind: itemKind.roleCatalogue,
                  definitions,
                  version: (read?.version ?? 0) + 1,
                },
                ConditionExpression: read ? "version = :read" : "attribute_not_exists(PK)",
                ...(read ? { ExpressionAttributeValues: { ":read": read.version } } : {}),
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (failedAt(error) === 0) throw notFound("organisation");
      throw conflict("the role catalogue changed meanwhile; read it again and retry");
    }
    return definitions;
  }

  async putRole(role: GroupRole): Promise<void> {
    const { organisationId: o, groupId: g, roleId: r } = role;
    try {
      await this.table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            mustExist(this.name, keys.group(o, g)),
            {
              Put: {
                TableName: this.name,
                Item: this.roleItem(role, 1),
                ConditionExpression: "attribute_not_exists(PK)",
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw conflict(`the group does not exist or already has the role "${r}"`);
      throw error;
    }
  }

  getRole(organisationId: string, groupId: string, roleId: string): Promise<StoredGroupRole | undefined> {
    return this.table.get<StoredGroupRole>(keys.groupRole(organisationId, groupId, roleId));
  }

  listGroupRoles(organisationId: string, groupId: string): Promise<StoredGroupRole[]> {
    const k = keys.groupRolesOf(organisationId, groupId);
    return this.table.queryAll<StoredGroupRole>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
    });
  }

  /**
   * One transaction: the role at its expected version (written at the next), a check that
   * each holder's membership exists (so a member who left meanwhile cannot be assigned), and
   * the outbox records.
   */
  async applyRoleChange(change: VersionedRoleChange, events: readonly ConveneEvent[]): Promise<void> {
    const { organisationId: o, groupId: g } = change.role;
    const holderChecks: TransactItem[] = change.role.holders.map((holder) =>
      mustExist(this.name, pick(keys.membership(o, g, holder.memberId))),
    );
    const items = [this.rolePut(change), ...holderChecks, ...events.map((e) => this.outboxPut(e))];
    try {
      await this.table.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const at = failedAt(error);
      if (at > 0 && at <= holderChecks.length)
        throw invalid("memberId", "only a member of the group can hold its roles");
      throw conflict("the role changed meanwhile; read it again and retry");
    }
  }

  async leaveGroupWithRoles(
    membership: MembershipRef,
    changes: readonly VersionedRoleChange[],
    events: readonly ConveneEvent[],
  ): Promise<void> {
    const { organisationId: o, groupId: g, memberId: m } = membership;
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.name,
          Key: pick(keys.membership(o, g, m)),
          ConditionExpression: "attribute_exists(PK)",
        },
      },
      ...changes.map((change) => this.rolePut(change)),
      ...events.map((e) => this.outboxPut(e)),
    ];
    try {
      await this.table.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (failedAt(error) === 0) throw notFound("membership");
      throw conflict("a role of the member changed meanwhile; read the roles again and retry");
    }
  }

  async recordTraining(
    organisationId: string,
    record: TrainingRecord,
    event: ConveneEvent,
  ): Promise<boolean> {
    const key = keys.training(organisationId, record.memberId, record.trainingId, record.completedAt);
    try {
      await this.table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.name,
                Item: { ...key, kind: itemKind.training, record },
                ConditionExpression: "attribute_not_exists(PK)",
              },
            },
            this.outboxPut(event),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listMemberTraining(organisationId: string, memberId: string): Promise<TrainingRecord[]> {
    const k = keys.trainingOf(organisationId, memberId);
    const items = await this.table.queryAll<TrainingItem>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
    });
    return items.map((i) => i.record);
  }

  /** One query for the group's member ids, then one query per member, a few at a time. */
  async listGroupTraining(organisationId: string, groupId: string): Promise<TrainingRecord[]> {
    const k = keys.membershipsOfGroup(organisationId, groupId);
    const memberships = await this.table.queryAll<{ memberId: string }>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
      ProjectionExpression: "memberId",
    });
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
    try {
      await this.table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.name,
                Key: keys.groupRole(o, g, r),
                ConditionExpression: "vacantSince = :vacantSince",
                ExpressionAttributeValues: { ":vacantSince": vacantSince },
              },
            },
            {
              ConditionCheck: {
                TableName: this.name,
                Key: pick(keys.membership(o, g, volunteer.memberId)),
                ConditionExpression: "attribute_exists(PK)",
              },
            },
            {
              Put: {
                TableName: this.name,
                Item: {
                  ...keys.volunteer(o, g, r, vacantSince, volunteer.memberId),
                  kind: itemKind.volunteer,
                  ...volunteer,
                },
                ConditionExpression: "attribute_not_exists(PK)",
              },
            },
            this.outboxPut(event),
          ],
        }),
      );
      return { kind: "recorded" };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const at = failedAt(error);
      if (at === 0) return { kind: "vacancy-over" };
      if (at === 1) return { kind: "not-a-member" };
      return { kind: "already-volunteered" };
    }
  }

  /** Sorted by time, then member: the SK orders by member id, the rules need arrival order. */
  async listVolunteers(vacancy: VacancyRef): Promise<Volunteer[]> {
    const k = keys.volunteersOf(vacancy.organisationId, vacancy.groupId, vacancy.roleId, vacancy.vacantSince);
    const volunteers = await this.table.queryAll<Volunteer>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
    });
    return volunteers
      .map(({ memberId, volunteeredAt }) => ({ memberId, volunteeredAt }))
      .sort((a, b) =>
        a.volunteeredAt === b.volunteeredAt
          ? a.memberId.localeCompare(b.memberId)
          : a.volunteeredAt.localeCompare(b.volunteeredAt),
      );
  }

  /** One transaction: still vacant since then, the escalation not claimed yet, its event. */
  async recordEscalation(vacancy: VacancyRef, event: ConveneEvent): Promise<EscalationOutcome> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince } = vacancy;
    try {
      await this.table.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.name,
                Key: keys.groupRole(o, g, r),
                ConditionExpression: "vacantSince = :vacantSince",
                ExpressionAttributeValues: { ":vacantSince": vacantSince },
              },
            },
            {
              Put: {
                TableName: this.name,
                Item: {
                  ...keys.vacancyEscalation(o, g, r, vacantSince),
                  kind: itemKind.vacancyEscalation,
                  eventId: event.id,
                  escalatedAt: event.occurredAt,
                },
                ConditionExpression: "attribute_not_exists(PK)",
              },
            },
            this.outboxPut(event),
          ],
        }),
      );
      return "escalated";
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return failedAt(error) === 0 ? "vacancy-over" : "already-escalated";
    }
  }

  async recordVacancyResponse(vacancy: VacancyRef, response: VacancyResponse): Promise<boolean> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince } = vacancy;
    try {
      await this.table.doc.send(
        new PutCommand({
          TableName: this.name,
          Item: {
            ...keys.vacancyResponse(o, g, r, vacantSince, response.kind, response.memberId),
            kind: itemKind.vacancyResponse,
            response,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listVacancyResponses(vacancy: VacancyRef): Promise<VacancyResponse[]> {
    const k = keys.vacancyResponsesOf(
      vacancy.organisationId,
      vacancy.groupId,
      vacancy.roleId,
      vacancy.vacantSince,
    );
    const items = await this.table.queryAll<{ response: VacancyResponse }>({
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
      ExpressionAttributeValues: { ":pk": k.PK, ":prefix": k.SKPrefix },
    });
    return items.map((i) => i.response).sort((a, b) => a.at.localeCompare(b.at));
  }

  roleReplyToken(ref: RoleReplyRef, candidate: string): Promise<string> {
    const { organisationId: o, groupId: g, roleId: r, vacantSince, purpose, memberId: m } = ref;
    const memberKey = keys.memberRoleToken(o, g, r, vacantSince, purpose, m);
    return this.table.replyToken(
      memberKey,
      keys.roleReplyToken(candidate),
      itemKind.roleReplyToken,
      { ...ref },
      candidate,
    );
  }

  resolveRoleReplyToken(token: string): Promise<RoleReplyRef | undefined> {
    return this.table.get<RoleReplyRef>(keys.roleReplyToken(token));
  }

  /** `version` last: a StoredGroupRole passed back in does not write its old version. */
  private roleItem(role: GroupRole, version: number) {
    const { organisationId: o, groupId: g, roleId: r } = role;
    return { ...keys.groupRole(o, g, r), kind: itemKind.groupRole, ...role, version };
  }

  /** A whole-item Put, so a vacantSince that ended disappears with it. */
  private rolePut(change: VersionedRoleChange): TransactItem {
    const { expectedVersion, role } = change;
    return {
      Put: {
        TableName: this.name,
        Item: this.roleItem(role, expectedVersion + 1),
        ConditionExpression: "version = :expected",
        ExpressionAttributeValues: { ":expected": expectedVersion },
      },
    };
  }

  private outboxPut(event: ConveneEvent): TransactItem {
    return { Put: { TableName: this.name, Item: outboxRecord(event) } };
  }
}

/** The primary key alone (a membership key also carries its index attributes). */
const pick = (key: { PK: string; SK: string }) => ({ PK: key.PK, SK: key.SK });

/** The index of the first transaction item whose condition failed; -1 when none is named. */
const failedAt = (error: unknown): number =>
  ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).findIndex(
    (reason) => reason.Code === "ConditionalCheckFailed",
  );
