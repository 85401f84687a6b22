import { newBallotToken } from "#domain/ballot-token.ts";
import { emailArrives, type Member } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import { roleReplyAddress } from "#domain/role-reply-address.ts";
import { roleLinkUrl, signRoleLink, type RoleLinkAction } from "#links/role-link.ts";
import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import type { Ports } from "#ports/ports.ts";
import type { RoleReplyPurpose, VacancyRef } from "#ports/role-store.ts";
import { deliverOnce } from "./deliver-once.ts";

type Deps = Pick<Ports, "store" | "roles" | "mailer" | "clock" | "settings">;

/** Links a role email offers, signed with the member's reply token for its purpose. */
export type RoleLinks = Partial<Record<RoleLinkAction, string>>;

/**
 * Sends one role email to one member at most once per `purpose` and vacancy. When it asks
 * for an answer, its Reply-To carries the member's role token (created once, the same on
 * redelivery) and each action in `actions` becomes a signed link to a confirmation page.
 */
export const sendRoleEmail = async (
  deps: Deps,
  vacancy: VacancyRef,
  member: Member,
  purpose: RoleReplyPurpose | "thanks" | "welcome" | "reply",
  render: (links: RoleLinks) => RenderedEmail,
  actions: readonly RoleLinkAction[] = [],
  deliveryKey = `role-${purpose}#${vacancy.groupId}#${vacancy.roleId}#${vacancy.vacantSince}#${member.id}`,
): Promise<void> => {
  // Mail to an address that bounced or complained cannot arrive: none is sent.
  if (!emailArrives(member)) return;
  const asks = purpose === "call" || purpose === "offer" || purpose === "objection" || purpose === "appoint";
  const token = asks
    ? await deps.roles.roleReplyToken({ ...vacancy, memberId: member.id, purpose }, newBallotToken())
    : undefined;
  const links: RoleLinks = {};
  for (const action of token ? actions : []) {
    const signed = await signRoleLink({ roleToken: token!, action }, deps.settings.linkSigningSecret);
    links[action] = roleLinkUrl(deps.settings.publicBaseUrl, signed);
  }
  const email = render(links);
  await deliverOnce(deps.store, vacancy.organisationId, deliveryKey, deps.clock.now(), () =>
    deps.mailer.send({
      ...toMember(member, vacancy.groupId),
      from: deps.settings.fromAddress,
      ...(token ? { replyTo: roleReplyAddress(token, deps.settings.replyDomain) } : {}),
      ...email,
    }),
  );
};
