import type { ConveneEvent, EventOf } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { deliverOnce } from "#delivery/deliver-once.ts";
import { trainingExpiryDeliveryKey } from "#domain/alert-keys.ts";
import { formatLocal } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
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
import { renderTrainingExpiringEmail, trainingNameOf } from "#messages/role-alert-emails.ts";
import type { Ports } from "#ports/ports.ts";
import { takesEmail } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";

type Deps = Pick<Ports, "store" | "roles" | "scheduler" | "mailer" | "clock" | "log" | "settings">;

/**
 * A member's training is about to expire → they are reminded once, trainingReminderDaysBefore
 * (30) days ahead, with the roles of theirs that need it. Times are in the zone of the group
 * the training was recorded through (the event's groupId).
 * - TrainingRecorded: TrainingExpiryDue is scheduled for the member's latest record of that
 *   training (a deterministic name per record: a redelivery schedules nothing more); a
 *   reminder instant already past, with the training not yet expired, reminds at once.
 * - TrainingExpiryDue: reminded unless a later record of the training exists (renewed) or the
 *   training has expired meanwhile.
 */
export const createRemindTrainingExpiry =
  (ports: Deps): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type === "TrainingRecorded") return planReminder(ports, event);
    if (event.type === "TrainingExpiryDue") {
      const records = await ports.roles.listMemberTraining(event.organisationId, event.data.memberId);
      const record = reminderStillDue(records, event.data, ports.clock.now());
      if (!record) {
        ports.log.info("training renewed or expired; no reminder", { trainingId: event.data.trainingId });
        return;
      }
      await remind(ports, event.organisationId, event.groupId, record);
    }
  };

const planReminder = async (ports: Deps, event: EventOf<"TrainingRecorded">) => {
  const { organisationId: o, groupId: g } = event;
  const { memberId, trainingId } = event.data;
  const record = latestRecord(await ports.roles.listMemberTraining(o, memberId), trainingId);
  if (!record) return;
  const when = trainingReminderAt(record, ports.clock.now());
  if (when === null) {
    ports.log.info("training does not expire, or has expired; no reminder", { trainingId });
    return;
  }
  if (when === "now") return remind(ports, o, g, record);
  const group = await ports.store.getGroup(o, g);
  if (!group) return;
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
    event: newEvent(
      "TrainingExpiryDue",
      { organisationId: o, groupId: g, correlationId: event.correlationId },
      ref,
      when,
    ),
  });
  ports.log.info("training reminder planned", { trainingId, at: when.toISOString() });
};

/** One email to the member about one record, once; nothing if they do not take email. */
const remind = async (ports: Deps, o: string, g: string, record: TrainingRecord) => {
  const [member, group] = await Promise.all([
    ports.store.getMember(o, record.memberId),
    ports.store.getGroup(o, g),
  ]);
  if (!member || !group || record.expiresAt === undefined) return;
  if (!takesEmail(member)) {
    ports.log.info("member takes no email; no training reminder", { trainingId: record.trainingId });
    return;
  }
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
  const outcome = await deliverOnce(
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
  ports.log.info("training reminder", {
    trainingId: record.trainingId,
    roles: rolesNeedingIt.length,
    outcome,
  });
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
