import { list, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";

export interface TrainingExpiringEmailInput {
  memberFirstName: string;
  trainingName: string;
  /** When it expires, formatted in the group's zone. */
  expiresAtLocal: string;
  /** The roles the member holds that require this training. */
  rolesNeedingIt: readonly { roleName: string; groupName: string }[];
  /** Why the member gets it, for the footer, e.g. "as a member of Riverside". */
  because: string;
  unsubscribeUrl?: string;
}

/** To a member: a training of theirs expires soon, and which of their roles need it. */
export function renderTrainingExpiringEmail(input: TrainingExpiringEmailInput): RenderedEmail {
  const roles = input.rolesNeedingIt.map((role) => `${role.roleName} in ${role.groupName}`);
  const one = roles.length === 1;
  return renderEmail({
    subject: `Your ${input.trainingName} training expires soon`,
    heading: `Your ${input.trainingName} training expires soon`,
    firstName: input.memberFirstName,
    blocks: [
      paragraph(`Your ${input.trainingName} training expires on ${input.expiresAtLocal}.`),
      ...(roles.length > 0
        ? [
            list(roles, { lead: `You need it for ${one ? "your role" : "your roles"}:` }),
            paragraph(
              `Please renew it before then, so that you can carry on in ${one ? "that role" : "these roles"}.`,
            ),
          ]
        : [paragraph("Please renew it before then if you want to keep it current.")]),
      paragraph("Once you have renewed it, ask your group's coordinator to record the new training."),
    ],
    footer: { reason: `You receive this email ${input.because}.`, unsubscribeUrl: input.unsubscribeUrl },
  });
}

/** A training id as words: "facilitation-basics" → "facilitation basics" (there is no training catalogue yet). */
export const trainingNameOf = (trainingId: string): string => trainingId.replace(/-/g, " ");
