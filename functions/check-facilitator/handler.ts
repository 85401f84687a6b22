import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { deliverOnce } from "#delivery/deliver-once.ts";
import { distinctAddresses, facilitatorAlertDeliveryKey } from "#domain/alert-keys.ts";
import { facilitatorCheckPlan } from "#domain/facilitator-checks.ts";
import { formatLocal, sessionStartInstant } from "#domain/local-time.ts";
import { takesEmail, type Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { toMember } from "#domain/recipient.ts";
import { hasFacilitator, isFacilitationRole, namedFacilitators } from "#domain/role-duties.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import type { Session } from "#domain/session.ts";
import { facilitatorAlerts } from "#domain/vacancy.ts";
import { groupPageUrl } from "#links/dashboard-link.ts";
import { signUnsubscribeToken, unsubscribeUrl } from "#links/unsubscribe-link.ts";
import { renderNoFacilitatorEmail, type NoFacilitatorEmailInput } from "#messages/role-alert-emails.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Ports } from "#ports/ports.ts";

type Deps = Pick<Ports, "store" | "roles" | "scheduler" | "mailer" | "clock" | "log" | "settings">;

/**
 * A session coming up with nobody to facilitate it → the group's coordinators and the
 * umbrella's alert addresses are emailed as soon as it is within 7 days (early) and again 48
 * hours before (final), if still unfilled.
 * - SessionScheduled, SessionRescheduled: the checks of that version are scheduled (names
 *   carry the version, so a reschedule gets fresh ones and a redelivery none more); a check
 *   whose instant has passed is made at once instead (facilitatorCheckPlan): a session
 *   scheduled or moved to 5 days ahead is alerted now, not 48 hours before.
 * - MemberLeftGroup: the group's sessions within 7 days that named the member are checked now.
 * - RoleVacated of a facilitation role: the group's sessions within 7 days are checked now.
 * - FacilitatorCheckDue: nothing unless the session is still at that version and scheduled.
 * Each check lets facilitatorAlerts decide, and each address is emailed once per session
 * version and alert (facilitatorAlertDeliveryKey), however many triggers arrive.
 */
export const createCheckFacilitator =
  (ports: Deps): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type === "SessionScheduled" || event.type === "SessionRescheduled") {
      const { id: sessionId, version } = event.data.session;
      const session = await currentSession(ports, event.organisationId, event.groupId, sessionId, version);
      if (!session) return;
      const plan = facilitatorCheckPlan(
        sessionStartInstant(session.startLocal, session.timeZone),
        ports.clock.now(),
      );
      for (const { alert, at } of plan.scheduled)
        await ports.scheduler.scheduleOnce({
          name: scheduleName("facilitator-check", session.organisationId, session.id, session.version, alert),
          at,
          timeZone: session.timeZone,
          event: newEvent(
            "FacilitatorCheckDue",
            {
              organisationId: session.organisationId,
              groupId: session.groupId,
              correlationId: event.correlationId,
            },
            { sessionId: session.id, sessionVersion: session.version, alert },
            at,
          ),
        });
      ports.log.info("facilitator checks planned", {
        sessionId,
        version,
        scheduled: plan.scheduled.length,
        checkNow: plan.checkNow,
      });
      if (plan.checkNow) await checkSession(ports, session);
      return;
    }
    if (event.type === "MemberLeftGroup") {
      const { memberId } = event.data;
      await checkSessionsAhead(ports, event.organisationId, event.groupId, (session) =>
        namedFacilitators(session).includes(memberId),
      );
      return;
    }
    if (event.type === "RoleVacated") {
      const catalogue = await ports.roles.getCatalogue(event.organisationId);
      if (isFacilitationRole(event.data.roleId, catalogue))
        await checkSessionsAhead(ports, event.organisationId, event.groupId, () => true);
      return;
    }
    if (event.type === "FacilitatorCheckDue") {
      const { sessionId, sessionVersion } = event.data;
      const session = await currentSession(
        ports,
        event.organisationId,
        event.groupId,
        sessionId,
        sessionVersion,
      );
      if (session) await checkSession(ports, session);
    }
  };

/** More sessions than a group holds in 7 days: it meets a few times a week at most. */
const sessionsAheadRead = 100;

/**
 * Who facilitates has changed: the group's upcoming sessions that `concerned` picks and whose
 * check would already have fired (within 7 days, not started) are checked now.
 */
const checkSessionsAhead = async (
  ports: Deps,
  o: string,
  g: string,
  concerned: (session: Session) => boolean,
) => {
  const now = ports.clock.now();
  const upcoming = await ports.store.listUpcomingSessions(o, g, now, sessionsAheadRead);
  const due = upcoming.filter(
    (session) =>
      session.status === "scheduled" &&
      concerned(session) &&
      facilitatorCheckPlan(sessionStartInstant(session.startLocal, session.timeZone), now).checkNow,
  );
  ports.log.info("facilitator change: sessions checked", { upcoming: upcoming.length, checked: due.length });
  for (const session of due) await checkSession(ports, session);
};

/** The session if it is still at `version` and scheduled; a stale trigger does nothing. */
const currentSession = async (
  { store, log }: Deps,
  o: string,
  g: string,
  sessionId: string,
  version: number,
): Promise<Session | undefined> => {
  const session = await store.getSession(o, g, sessionId);
  if (!session || session.version !== version || session.status !== "scheduled") {
    log.info("stale facilitator trigger ignored", { sessionId, version, current: session?.version });
    return undefined;
  }
  return session;
};

/**
 * Whether the session names a facilitator (or a facilitation duty holder) who is still a
 * member: the usual case, answered in a read or two before anything else is read.
 */
const namesFacilitator = async ({ store }: Deps, session: Session): Promise<boolean> => {
  for (const memberId of namedFacilitators(session))
    if (await store.isGroupMember(session.organisationId, session.groupId, memberId)) return true;
  return false;
};

const checkSession = async (ports: Deps, session: Session) => {
  const { organisationId: o, groupId: g } = session;
  if (await namesFacilitator(ports, session)) {
    ports.log.info("session has a facilitator", { sessionId: session.id });
    return;
  }
  const [group, organisation, roles, catalogue, members] = await Promise.all([
    ports.store.getGroup(o, g),
    ports.store.getOrganisation(o),
    ports.roles.listGroupRoles(o, g),
    ports.roles.getCatalogue(o),
    ports.store.listGroupMembers(o, g),
  ]);
  if (!group || !organisation) return;
  const now = ports.clock.now();
  const sessionStart = sessionStartInstant(session.startLocal, session.timeZone);
  const alert = facilitatorAlerts({
    sessionStart,
    now,
    hasFacilitator: hasFacilitator(session, roles, catalogue, new Set(members.map((m) => m.id))),
    // Each alert is sent once by its delivery key; facilitatorAlerts need not know.
    alreadyAlerted: {},
  });
  if (alert === null) {
    ports.log.info("session has a facilitator, or no alert is due", { sessionId: session.id });
    return;
  }

  const coordinators = (
    await Promise.all((group.coordinatorMemberIds ?? []).map((id) => ports.store.getMember(o, id)))
  ).filter((m): m is Member => m !== undefined && takesEmail(m));
  const content = {
    groupName: group.name,
    sessionTitle: session.title,
    startsAtLocal: formatLocal(sessionStart, session.timeZone),
    alert,
    groupUrl: groupPageUrl(ports.settings.publicBaseUrl, o, g),
  };
  const emails: OutgoingEmail[] = [];
  for (const member of coordinators) emails.push(await coordinatorEmail(ports, session, member, content));
  const covered = new Set(emails.map((e) => e.to.trim().toLowerCase()));
  for (const to of distinctAddresses(organisation.alertEmails ?? []))
    if (!covered.has(to.toLowerCase()))
      emails.push({
        to,
        from: ports.settings.fromAddress,
        ...renderNoFacilitatorEmail({ ...content, because: `as an alert address of ${organisation.name}` }),
      });

  let sent = 0;
  for (const email of emails) {
    const key = facilitatorAlertDeliveryKey(session, alert, email.to);
    if ((await deliverOnce(ports.store, o, key, now, () => ports.mailer.send(email))) === "sent") sent += 1;
  }
  ports.log.info("no-facilitator alert", { sessionId: session.id, alert, recipients: emails.length, sent });
};

type AlertContent = Omit<NoFacilitatorEmailInput, "because" | "firstName" | "unsubscribeUrl">;

/** A coordinator is a member: greeted by first name, with their unsubscribe link. */
const coordinatorEmail = async (
  ports: Deps,
  session: Session,
  member: Member,
  content: AlertContent,
): Promise<OutgoingEmail> => {
  const link = unsubscribeUrl(
    ports.settings.publicBaseUrl,
    await signUnsubscribeToken(
      {
        organisationId: session.organisationId,
        groupId: session.groupId,
        memberId: member.id,
        channel: "email",
      },
      ports.settings.linkSigningSecret,
    ),
  );
  return {
    ...toMember(member, session.groupId),
    from: ports.settings.fromAddress,
    ...renderNoFacilitatorEmail({
      ...content,
      firstName: member.name.trim().split(/\s+/)[0] ?? "",
      because: `as a coordinator of ${content.groupName}`,
      unsubscribeUrl: link,
    }),
    headers: { "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
};
