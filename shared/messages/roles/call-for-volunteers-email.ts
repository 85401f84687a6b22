import type { RoleDefinition } from "#domain/role.ts";
import { asMemberOf, links, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { aboutRole } from "./role-email-parts.ts";

/** A role fell vacant: the group is asked for volunteers, and each volunteer is thanked. */

export interface CallForVolunteersInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  /** The window's close, formatted in the group's zone. */
  closesAtLocal: string;
  volunteerUrl: string;
}

export interface VolunteerThanksInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
}

export const renderCallForVolunteers = (input: CallForVolunteersInput): RenderedEmail =>
  renderEmail({
    subject: `${input.groupName} needs a volunteer: ${input.definition.name}`,
    heading: `${input.groupName} needs a volunteer`,
    firstName: input.firstName,
    blocks: [
      paragraph(`The role below is vacant in ${input.groupName}. Could you take it on?`),
      ...aboutRole(input.definition),
      paragraph(
        `To volunteer, reply to this email with "I volunteer" (or "I can do it") on the first line, or use the link below, by ${input.closesAtLocal}.`,
      ),
      links({ label: "I volunteer", url: input.volunteerUrl }),
      paragraph(
        "If nobody else comes forward, you may be asked to take it on; if several do, the group decides.",
      ),
    ],
    footer: { reason: asMemberOf(input.groupName) },
  });

export const renderVolunteerThanks = (input: VolunteerThanksInput): RenderedEmail =>
  renderEmail({
    subject: `Thank you for volunteering: ${input.definition.name}`,
    heading: "Thank you for volunteering",
    firstName: input.firstName,
    blocks: [
      paragraph(`We have recorded that you volunteered for ${input.definition.name} in ${input.groupName}.`),
      paragraph("When volunteering closes, you will hear how the group fills the role."),
    ],
    footer: { reason: asMemberOf(input.groupName) },
  });
