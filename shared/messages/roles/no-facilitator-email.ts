import type { FacilitatorAlert } from "#domain/vacancy.ts";
import { links, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";

export interface NoFacilitatorEmailInput {
  groupName: string;
  sessionTitle: string;
  /** The session's start, formatted in the group's zone. */
  startsAtLocal: string;
  alert: FacilitatorAlert;
  /** The group's page on the dashboard (http or https). */
  groupUrl: string;
  /** Who the email is for: a coordinator by first name; an alert address has none. */
  firstName?: string;
  /** Why the recipient gets it, for the footer, e.g. "as a coordinator of Riverside". */
  because: string;
  unsubscribeUrl?: string;
}

/** To coordinators and alert addresses: a session is coming up with nobody to facilitate it. */
export function renderNoFacilitatorEmail(input: NoFacilitatorEmailInput): RenderedEmail {
  const lead = input.alert === "final" ? "Still no facilitator" : "No facilitator yet";
  const soon =
    input.alert === "final" ? "It starts in less than 48 hours." : "It starts within the next 7 days.";
  return renderEmail({
    subject: `${lead}: ${input.sessionTitle}, ${input.startsAtLocal}`,
    heading: `${lead} for ${input.sessionTitle}`,
    firstName: input.firstName ?? "",
    blocks: [
      paragraph(
        `${input.sessionTitle}, a session of ${input.groupName}, starts ${input.startsAtLocal}, ` +
          `and nobody is down to facilitate it. ${soon}`,
      ),
      paragraph("Please find a facilitator for it, or move or cancel the session so members are told."),
      links({ label: `Open ${input.groupName}`, url: input.groupUrl }),
    ],
    footer: { reason: `You receive this email ${input.because}.`, unsubscribeUrl: input.unsubscribeUrl },
  });
}
