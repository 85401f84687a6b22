import type { RoleDefinition } from "#domain/role.ts";
import { asMemberOf, links, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";
import { aboutRole } from "./role-email-parts.ts";

export interface ObjectionNoticeInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  volunteerName: string;
  /** When they are confirmed unless someone objects, in the group's zone. */
  confirmAtLocal: string;
  objectUrl: string;
}

/** Collective groups with one volunteer: confirmed unless members object. */
export const renderObjectionNotice = (input: ObjectionNoticeInput): RenderedEmail =>
  renderEmail({
    subject: `${input.volunteerName} volunteered: ${input.definition.name} in ${input.groupName}`,
    heading: `${input.volunteerName} has volunteered`,
    firstName: input.firstName,
    blocks: [
      paragraph(`${input.volunteerName} has volunteered for this role in ${input.groupName}:`),
      ...aboutRole(input.definition),
      paragraph(
        `They will be confirmed on ${input.confirmAtLocal} unless a member objects. If you object, reply "I object" on the first line or use the link below; the group will then vote.`,
      ),
      links({ label: "I object", url: input.objectUrl }),
    ],
    footer: { reason: asMemberOf(input.groupName) },
  });
