import type { FacilitatorAlert } from "#domain/vacancy.ts";
import {
  esc,
  greeting,
  headerSafe,
  linkHtml,
  page,
  requireLinkable,
  styles,
  type RenderedEmail,
} from "./email-layout.ts";

/**
 * The timed alerts about roles (issue 5): a critical role vacant too long (to the umbrella's
 * alert addresses), a session coming up with no facilitator (to the group's coordinators and
 * the umbrella), and a training about to expire (to the member). Each is a list of blocks
 * written out as plain text and HTML, so both bodies carry the same facts; every name is
 * escaped in the HTML. Times arrive formatted in the group's zone.
 */

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

export interface TrainingExpiringEmailInput {
  memberFirstName: string;
  trainingName: string;
  /** When it expires, formatted in the group's zone. */
  expiresAtLocal: string;
  /** The roles the member holds that require this training. */
  rolesNeedingIt: readonly { roleName: string; groupName: string }[];
  because: string;
  unsubscribeUrl?: string;
}

/** To the umbrella's alert addresses: a critical role is still vacant (once per vacancy). */
export function renderVacancyEscalatedEmail(input: VacancyEscalatedEmailInput): RenderedEmail {
  const days = input.daysVacant === 1 ? "1 day" : `${input.daysVacant} days`;
  return renderAlert({
    subject: `Vacant role: ${input.roleName} in ${input.groupName}`,
    heading: `${input.groupName} has no ${input.roleName}`,
    blocks: [
      { kind: "p", text: greeting("") },
      {
        kind: "p",
        text:
          `The role of ${input.roleName} in ${input.groupName} has been vacant since ` +
          `${input.vacantSinceLocal} (${days}), and nobody has been found to fill it. ` +
          "The group needs this role for its sessions.",
      },
      {
        kind: "p",
        text: "Please get in touch with the group's coordinators to help find someone, or fill the role from the dashboard.",
      },
      {
        kind: "link",
        label: `Open ${input.groupName}`,
        url: requireLinkable(input.groupUrl, "the group link"),
      },
    ],
    because: `as an alert address of ${input.organisationName}`,
  });
}

/** To coordinators and alert addresses: a session is coming up with nobody to facilitate it. */
export function renderNoFacilitatorEmail(input: NoFacilitatorEmailInput): RenderedEmail {
  const lead = input.alert === "final" ? "Still no facilitator" : "No facilitator yet";
  const soon =
    input.alert === "final" ? "It starts in less than 48 hours." : "It starts within the next 7 days.";
  return renderAlert({
    subject: `${lead}: ${input.sessionTitle}, ${input.startsAtLocal}`,
    heading: `${lead} for ${input.sessionTitle}`,
    blocks: [
      { kind: "p", text: greeting(input.firstName ?? "") },
      {
        kind: "p",
        text:
          `${input.sessionTitle}, a session of ${input.groupName}, starts ${input.startsAtLocal}, ` +
          `and nobody is down to facilitate it. ${soon}`,
      },
      {
        kind: "p",
        text: "Please find a facilitator for it, or move or cancel the session so members are told.",
      },
      {
        kind: "link",
        label: `Open ${input.groupName}`,
        url: requireLinkable(input.groupUrl, "the group link"),
      },
    ],
    because: input.because,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

/** To a member: a training of theirs expires soon, and which of their roles need it. */
export function renderTrainingExpiringEmail(input: TrainingExpiringEmailInput): RenderedEmail {
  const roles = input.rolesNeedingIt.map((role) => `${role.roleName} in ${role.groupName}`);
  const one = roles.length === 1;
  return renderAlert({
    subject: `Your ${input.trainingName} training expires soon`,
    heading: `Your ${input.trainingName} training expires soon`,
    blocks: [
      { kind: "p", text: greeting(input.memberFirstName) },
      { kind: "p", text: `Your ${input.trainingName} training expires on ${input.expiresAtLocal}.` },
      ...(roles.length > 0
        ? ([
            { kind: "p", text: `You need it for ${one ? "your role" : "your roles"}:` },
            { kind: "ul", items: roles },
            {
              kind: "p",
              text: `Please renew it before then, so that you can carry on in ${one ? "that role" : "these roles"}.`,
            },
          ] as const)
        : ([{ kind: "p", text: "Please renew it before then if you want to keep it current." }] as const)),
      {
        kind: "p",
        text: "Once you have renewed it, ask your group's coordinator to record the new training.",
      },
    ],
    because: input.because,
    unsubscribeUrl: input.unsubscribeUrl,
  });
}

// ---------------------------------------------------------------------------------------
// Writing blocks out as text and HTML

type Block =
  | { kind: "p"; text: string }
  | { kind: "ul"; items: readonly string[] }
  /** Already checked by requireLinkable. */
  | { kind: "link"; label: string; url: string };

interface AlertEmail {
  subject: string;
  heading: string;
  blocks: readonly Block[];
  because: string;
  unsubscribeUrl?: string | undefined;
}

function renderAlert(email: AlertEmail): RenderedEmail {
  const subject = headerSafe(email.subject);
  const unsubscribeUrl =
    email.unsubscribeUrl === undefined ? undefined : requireLinkable(email.unsubscribeUrl);
  const why = `You receive this email ${email.because}.`;
  const text = [
    ...email.blocks.flatMap((block, at) => [...(at > 0 ? [""] : []), ...blockText(block)]),
    "",
    "--",
    why,
    ...(unsubscribeUrl === undefined ? [] : [`Unsubscribe: ${unsubscribeUrl}`]),
  ].join("\n");
  const footer = [
    `<footer style="${styles.footer}">`,
    `<p>${esc(why)}</p>`,
    ...(unsubscribeUrl === undefined
      ? []
      : [`<p>${linkHtml(unsubscribeUrl, "Unsubscribe from these emails")}</p>`]),
    "</footer>",
  ].join("\n");
  const html = page(
    subject,
    [`<h1 style="${styles.h1}">${esc(email.heading)}</h1>`, ...email.blocks.map(blockHtml)],
    footer,
  );
  return { subject, text, html };
}

function blockText(block: Block): string[] {
  switch (block.kind) {
    case "p":
      return [block.text];
    case "ul":
      return block.items.map((item) => `- ${item}`);
    case "link":
      return [`${block.label}: ${block.url}`];
  }
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "p":
      return `<p>${esc(block.text)}</p>`;
    case "ul":
      return `<ul>${block.items.map((item) => `<li>${esc(item)}</li>`).join("")}</ul>`;
    case "link":
      return `<p>${linkHtml(block.url, block.label)}</p>`;
  }
}

/** A training id as words: "facilitation-basics" → "facilitation basics" (there is no training catalogue yet). */
export const trainingNameOf = (trainingId: string): string => trainingId.replace(/-/g, " ");
