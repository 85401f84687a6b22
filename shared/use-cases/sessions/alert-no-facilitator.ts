import { deliverEach, deliverOnce } from "#delivery/deliver-once.ts";
import { distinctAddresses, facilitatorAlertDeliveryKey } from "#domain/alert-keys.ts";
import { formatLocal, sessionStartInstant } from "#domain/local-time.ts";
import { takesEmail, type Member } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import { hasFacilitator, namedFacilitators } from "#domain/role-duties.ts";
import type { Session } from "#domain/session.ts";
import { facilitatorAlerts, type FacilitatorAlert } from "#domain/vacancy.ts";
import { groupPageUrl } from "#links/dashboard-link.ts";
import { signUnsubscribeToken, unsubscribeUrl } from "#links/unsubscribe-link.ts";
import {
  renderNoFacilitatorEmail,
  type NoFacilitatorEmailInput,
} from "#messages/roles/no-facilitator-email.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Ports } from "#ports/ports.ts";

export type FacilitatorAlertPorts = Pick<Ports, "store" | "roles" | "mailer" | "clock" | "settings">;

/** What one session's check found, and whom it alerted. */
export type FacilitatorCheck = { sessionId: string } & (
  | { outcome: "has-facilitator" | "no-alert-due" | "group-gone" }
  | { outcome: "alerted"; alert: FacilitatorAlert; recipients: number; sent: number }
);

/**
 * Whether the session names a facilitator (or a facilitation duty holder) who is still a
 * member: the usual case, answered in a read or two before anything else is read.
 */
const namesFacilitator = async ({ store }: FacilitatorAlertPorts, session: Session): Promise<boolean> => {
  for (const memberId of namedFacilitators(session))
    if (await store.isGroupMember(session.organisationId, session.groupId, memberId)) return true;
  return false;
};

/**
 * A session with nobody to facilitate it → its group's coordinators and the umbrella's alert
 * addresses are emailed the alert due now (early: within 7 days; final: 48 hours before).
 * 1. A session that names a facilitator who is still a member needs nothing more.
 * 2. facilitatorAlerts decides from the group's roles, catalogue and members which alert is due.
 * 3. Each coordinator who takes email, then each alert address not already covered, is
 *    emailed once per session version and alert (facilitatorAlertDeliveryKey), however many
 *    triggers arrive.
 */
export const alertIfNoFacilitator = async (
  ports: FacilitatorAlertPorts,
  session: Session,
): Promise<FacilitatorCheck> => {
  const { organisationId: o, groupId: g, id: sessionId } = session;
  if (await namesFacilitator(ports, session)) return { sessionId, outcome: "has-facilitator" };
  const [group, organisation, roles, catalogue, members] = await Promise.all([
    ports.store.getGroup(o, g),
    ports.store.getOrganisation(o),
    ports.roles.listGroupRoles(o, g),
    ports.roles.getCatalogue(o),
    ports.store.listGroupMembers(o, g),
  ]);
  if (!group || !organisation) return { sessionId, outcome: "group-gone" };
  const now = ports.clock.now();
  const sessionStart = sessionStartInstant(session.startLocal, session.timeZone);
  const alert = facilitatorAlerts({
    sessionStart,
    now,
    hasFacilitator: hasFacilitator(session, roles, catalogue, new Set(members.map((m) => m.id))),
    // Each alert is sent once by its delivery key; facilitatorAlerts need not know.
    alreadyAlerted: {},
  });
  if (alert === null) return { sessionId, outcome: "no-alert-due" };

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

  // Every recipient is tried even when one fails; the failure is raised after, for the retry.
  const outcomes = await deliverEach(emails, (email) =>
    deliverOnce(ports.store, o, facilitatorAlertDeliveryKey(session, alert, email.to), now, () =>
      ports.mailer.send(email),
    ),
  );
  const sent = outcomes.filter((outcome) => outcome === "sent").length;
  return { sessionId, outcome: "alerted", alert, recipients: emails.length, sent };
};

type AlertContent = Omit<NoFacilitatorEmailInput, "because" | "firstName" | "unsubscribeUrl">;

/** A coordinator is a member: greeted by first name, with their unsubscribe link. */
const coordinatorEmail = async (
  ports: FacilitatorAlertPorts,
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
