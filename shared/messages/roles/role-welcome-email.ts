import type { RoleDefinition } from "#domain/role.ts";
import { asMemberOf, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { aboutRole } from "./role-email-parts.ts";

export interface RoleWelcomeInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  /** The term's end in the group's zone, if the role has a term. */
  termEndsLocal?: string;
}

/** To a member who has just taken on a role: what it involves, and how to step down. */
export const renderRoleWelcome = (input: RoleWelcomeInput): RenderedEmail =>
  renderEmail({
    subject: `Welcome to your role: ${input.definition.name} in ${input.groupName}`,
    heading: `You are now ${input.definition.name}`,
    firstName: input.firstName,
    blocks: [
      paragraph(`Thank you for taking on this role in ${input.groupName}. What it involves:`),
      ...aboutRole(input.definition),
      ...(input.termEndsLocal ? [paragraph(`Your term runs until ${input.termEndsLocal}.`)] : []),
      paragraph("To step down, tell your group's coordinator; the group will be asked for a volunteer."),
    ],
    footer: { reason: asMemberOf(input.groupName) },
  });
