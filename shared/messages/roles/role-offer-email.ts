import type { RoleDefinition } from "#domain/role.ts";
import { asMemberOf, links, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { aboutRole } from "./role-email-parts.ts";

export interface RoleOfferInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  acceptUrl: string;
  declineUrl: string;
}

/** Rotating groups: the next member in the rotation is offered the role first. */
export const renderRoleOffer = (input: RoleOfferInput): RenderedEmail =>
  renderEmail({
    subject: `Your turn: ${input.definition.name} in ${input.groupName}`,
    heading: `It's your turn to take on a role`,
    firstName: input.firstName,
    blocks: [
      paragraph(`${input.groupName} rotates its roles, and you are next for this one:`),
      ...aboutRole(input.definition),
      paragraph(`Reply "yes" to take it on or "no" to pass it to the next member, or use a link below.`),
      links(
        { label: "Yes, I'll take it on", url: input.acceptUrl },
        { label: "No, pass it on", url: input.declineUrl },
      ),
    ],
    footer: { reason: asMemberOf(input.groupName) },
  });
