import type { RoleDefinition } from "#domain/role.ts";
import { asMemberOf, list, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { aboutRole } from "./role-email-parts.ts";

export interface AppointRequestInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  /** The volunteers' names, in the order they volunteered: the leader replies with a number. */
  volunteerNames: string[];
}

/** Designated groups: the leader appoints among the volunteers. */
export const renderAppointRequest = (input: AppointRequestInput): RenderedEmail =>
  renderEmail({
    subject: `Please appoint: ${input.definition.name} in ${input.groupName}`,
    heading: `Volunteers for ${input.definition.name}`,
    firstName: input.firstName,
    blocks: [
      paragraph(`As ${input.groupName}'s leader, please appoint one of these volunteers:`),
      ...aboutRole(input.definition),
      list(input.volunteerNames, { numbered: true }),
      paragraph("Reply with the volunteer's number (or name) on the first line."),
    ],
    footer: { reason: asMemberOf(input.groupName) },
  });
