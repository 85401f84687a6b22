import { links, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";

export interface VacancyEscalatedEmailInput {
  organisationName: string;
  groupName: string;
  roleName: string;
  /** When the role fell vacant, formatted in the group's zone. */
  vacantSinceLocal: string;
  /** Whole days it has been vacant. */
  daysVacant: number;
  /** The group's page on the dashboard (http or https). */
  groupUrl: string;
}

/** To the umbrella's alert addresses: a critical role is still vacant (once per vacancy). */
export function renderVacancyEscalatedEmail(input: VacancyEscalatedEmailInput): RenderedEmail {
  const days = input.daysVacant === 1 ? "1 day" : `${input.daysVacant} days`;
  return renderEmail({
    subject: `Vacant role: ${input.roleName} in ${input.groupName}`,
    heading: `${input.groupName} has no ${input.roleName}`,
    // An alert address belongs to no one in particular.
    firstName: "",
    blocks: [
      paragraph(
        `The role of ${input.roleName} in ${input.groupName} has been vacant since ` +
          `${input.vacantSinceLocal} (${days}), and nobody has been found to fill it. ` +
          "The group needs this role for its sessions.",
      ),
      paragraph(
        "Please get in touch with the group's coordinators to help find someone, or fill the role from the dashboard.",
      ),
      links({ label: `Open ${input.groupName}`, url: input.groupUrl }),
    ],
    footer: { reason: `You receive this email as an alert address of ${input.organisationName}.` },
  });
}
