import { deliverOnce, type DeliveryOutcome } from "#delivery/deliver-once.ts";
import { trainingExpiryDeliveryKey } from "#domain/alert-keys.ts";
import { formatLocal } from "#domain/local-time.ts";
import { takesEmail } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { toMember } from "#domain/recipient.ts";
import { findDefinition, holdsRole } from "#domain/role.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import type { TrainingRecord } from "#domain/training.ts";
import {
  latestRecord,
  reminderStillDue,
  trainingReminderAt,
  type TrainingRef,
} from "#domain/training-reminder.ts";
import { signUnsubscribeToken, unsubscribeUrl } from "#links/unsubscribe-link.ts";
import { renderTrainingExpiringEmail, trainingNameOf } from "#messages/roles/training-expiring-email.ts";
import type { Ports } from "#ports/ports.ts";

type Deps = Pick<Ports, "store" | "roles" | "scheduler" | "mailer" | "clock" | "settings">;

/** Where the training was recorded: its group's zone and name are the reminder's. */
interface TrainingPlace {
  organisationId: string;
  groupId: string;
}

export type TrainingReminded =
  | { outcome: "reminded"; roles: number; delivery: DeliveryOutcome }
  | { outcome: "member-takes-no-email" | "nothing-to-remind" };

export type TrainingReminderPlanned =
  | { outcome: "planned"; at: string }
  | { outcome: "not-expiring" | "no-record" | "no-group" }
  | TrainingReminded;

/**
 * A member's training was recorded → TrainingExpiryDue is scheduled trainingReminderDaysBefore
 * (30) days before their latest record of it expires, in the zone of the group it was recorded
 * through (a deterministic name per record: a redelivery schedules nothing more). A reminder
 * instant already past, with the training not yet expired, reminds at once; a training that
 * does not expire, or has expired, is not reminded of.
 */
export const planTrainingReminder = async (
  ports: Deps,
  place: TrainingPlace,
  { memberId, trainingId }: { memberId: string; trainingId: string },
  correlationId: string,
): Promise<TrainingReminderPlanned> => {
  const { organisationId: o, groupId: g } = place;
  const record = latestRecord(await ports.roles.listMemberTraining(o, memberId), trainingId);
  if (!record) return { outcome: "no-record" };
  const when = trainingReminderAt(record, ports.clock.now());
  if (when === null) return { outcome: "not-expiring" };
  if (when === "now") return remind(ports, place, record);
  const group = await ports.store.getGroup(o, g);
  if (!group) return { outcome: "no-group" };
  const ref: TrainingRef = { memberId, trainingId, completedAt: record.completedAt };
  await ports.scheduler.scheduleOnce({
    name: scheduleName(
      "training-expiry",
      o,
      memberId,
      trainingId,
      new Date(record.completedAt).toISOString(),
    ),
    at: when,
    timeZone: group.timeZone,
    event: newEvent("TrainingExpiryDue", { organisationId: o, groupId: g, correlationId }, ref, when),
  });
  return { outcome: "planned", at: when.toISOString() };
};

/**
 * A training reminder fell due → the member is reminded once, with the roles of theirs that
 * need it, unless a later record of the training exists (renewed) or it has expired meanwhile.
 */
export const remindTrainingExpiry = async (
  ports: Deps,
  place: TrainingPlace,
  ref: TrainingRef,
): Promise<TrainingReminded | { outcome: "renewed-or-expired" }> => {
  const records = await ports.roles.listMemberTraining(place.organisationId, ref.memberId);
  const record = reminderStillDue(records, ref, ports.clock.now());
  return record ? remind(ports, place, record) : { outcome: "renewed-or-expired" };
};

/** One email to the member about one record, once; nothing if they do not take email. */
const remind = async (
  ports: Deps,
  place: TrainingPlace,
  record: TrainingRecord,
): Promise<TrainingReminded> => {
  const { organisationId: o, groupId: g } = place;
  const [member, group] = await Promise.all([
    ports.store.getMember(o, record.memberId),
    ports.store.getGroup(o, g),
  ]);
  if (!member || !group || record.expiresAt === undefined) return { outcome: "nothing-to-remind" };
  if (!takesEmail(member)) return { outcome: "member-takes-no-email" };
  const rolesNeedingIt = await rolesRequiring(ports, o, record.memberId, record.trainingId);
  const link = unsubscribeUrl(
    ports.settings.publicBaseUrl,
    await signUnsubscribeToken(
      { organisationId: o, groupId: g, memberId: member.id, channel: "email" },
      ports.settings.linkSigningSecret,
    ),
  );
  const rendered = renderTrainingExpiringEmail({
    memberFirstName: member.name.trim().split(/\s+/)[0] ?? "",
    trainingName: trainingNameOf(record.trainingId),
    expiresAtLocal: formatLocal(new Date(record.expiresAt), group.timeZone),
    rolesNeedingIt,
    because: `as a member of ${group.name}`,
    unsubscribeUrl: link,
  });
  const delivery = await deliverOnce(
    ports.store,
    o,
    trainingExpiryDeliveryKey(record),
    ports.clock.now(),
    () =>
      ports.mailer.send({
        ...toMember(member, g),
        from: ports.settings.fromAddress,
        ...rendered,
        headers: { "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      }),
  );
  return { outcome: "reminded", roles: rolesNeedingIt.length, delivery };
};

/** The roles the member holds, in any of their groups, whose catalogue entry requires the training. */
const rolesRequiring = async (ports: Deps, o: string, memberId: string, trainingId: string) => {
  const [groupIds, catalogue] = await Promise.all([
    ports.store.listMemberGroupIds(o, memberId),
    ports.roles.getCatalogue(o),
  ]);
  const found: { roleName: string; groupName: string }[] = [];
  for (const groupId of groupIds) {
    const needing = (await ports.roles.listGroupRoles(o, groupId))
      .filter((role) => holdsRole(role, memberId))
      .flatMap((role) => {
        const definition = findDefinition(catalogue, role.roleId);
        return definition?.requiredTrainingIds.includes(trainingId) ? [definition.name] : [];
      });
    if (needing.length === 0) continue;
    const group = await ports.store.getGroup(o, groupId);
    for (const roleName of needing) found.push({ roleName, groupName: group?.name ?? "your group" });
  }
  return found;
};
