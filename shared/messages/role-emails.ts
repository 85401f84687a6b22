import type { RoleDefinition } from "#domain/role.ts";
import {
  esc,
  footerHtml,
  footerText,
  greeting,
  headerSafe,
  linkHtml,
  page,
  requireLinkable,
  type RenderedEmail,
} from "./email-layout.ts";

/**
 * The emails of a vacancy (issue 5, DESIGN flow 2): the call for volunteers, the offer of a
 * role (rotating groups), the request to the designated leader, the notice that the only
 * volunteer will be confirmed unless someone objects, the thanks to a volunteer, the answer
 * to a reply that could not be read, and the welcome to a new holder. Each is a list of
 * blocks written out as text and HTML, so both bodies carry the same facts. The how-to-answer
 * wording matches what the readers read (readVolunteering, readChoice, readObjection).
 */

type Block =
  | { kind: "p"; text: string }
  | { kind: "strong"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "link"; url: string; label: string };

interface EmailParts {
  subject: string;
  heading: string;
  firstName: string;
  blocks: Block[];
  groupName: string;
}

function render({ subject, heading, firstName, blocks, groupName }: EmailParts): RenderedEmail {
  const text = [greeting(firstName), ""];
  const html = [`<h1>${esc(heading)}</h1>`, `<p>${esc(greeting(firstName))}</p>`];
  for (const block of blocks) {
    if (block.kind === "list") {
      text.push(...block.items.map((item) => `  ${item}`), "");
      html.push(`<ul>${block.items.map((item) => `<li>${esc(item)}</li>`).join("")}</ul>`);
    } else if (block.kind === "link") {
      const url = requireLinkable(block.url, "a link in the email");
      text.push(`${block.label}: ${url}`, "");
      html.push(`<p>${linkHtml(url, block.label)}</p>`);
    } else {
      text.push(block.text, "");
      html.push(
        block.kind === "strong" ? `<p><strong>${esc(block.text)}</strong></p>` : `<p>${esc(block.text)}</p>`,
      );
    }
  }
  text.push(...footerText(groupName));
  return {
    subject: headerSafe(subject),
    text: text.join("\n"),
    html: page(heading, html, footerHtml(groupName)),
  };
}

const about = (definition: RoleDefinition): Block[] => [
  { kind: "strong", text: definition.name },
  ...(definition.description ? [{ kind: "p" as const, text: definition.description }] : []),
];

export interface CallForVolunteersInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  /** The window's close, formatted in the group's zone. */
  closesAtLocal: string;
  volunteerUrl: string;
}

export function renderCallForVolunteers(input: CallForVolunteersInput): RenderedEmail {
  return render({
    subject: `${input.groupName} needs a volunteer: ${input.definition.name}`,
    heading: `${input.groupName} needs a volunteer`,
    firstName: input.firstName,
    groupName: input.groupName,
    blocks: [
      { kind: "p", text: `The role below is vacant in ${input.groupName}. Could you take it on?` },
      ...about(input.definition),
      {
        kind: "p",
        text: `To volunteer, reply to this email with "I volunteer" (or "I can do it") on the first line, or use the link below, by ${input.closesAtLocal}.`,
      },
      { kind: "link", url: input.volunteerUrl, label: "I volunteer" },
      {
        kind: "p",
        text: "If nobody else comes forward, you may be asked to take it on; if several do, the group decides.",
      },
    ],
  });
}

export interface RoleOfferInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  acceptUrl: string;
  declineUrl: string;
}

/** Rotating groups: the next member in the rotation is offered the role first. */
export function renderRoleOffer(input: RoleOfferInput): RenderedEmail {
  return render({
    subject: `Your turn: ${input.definition.name} in ${input.groupName}`,
    heading: `It's your turn to take on a role`,
    firstName: input.firstName,
    groupName: input.groupName,
    blocks: [
      { kind: "p", text: `${input.groupName} rotates its roles, and you are next for this one:` },
      ...about(input.definition),
      {
        kind: "p",
        text: `Reply "yes" to take it on or "no" to pass it to the next member, or use a link below.`,
      },
      { kind: "link", url: input.acceptUrl, label: "Yes, I'll take it on" },
      { kind: "link", url: input.declineUrl, label: "No, pass it on" },
    ],
  });
}

export interface AppointRequestInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  /** The volunteers' names, in the order they volunteered: the leader replies with a number. */
  volunteerNames: string[];
}

/** Designated groups: the leader appoints among the volunteers. */
export function renderAppointRequest(input: AppointRequestInput): RenderedEmail {
  return render({
    subject: `Please appoint: ${input.definition.name} in ${input.groupName}`,
    heading: `Volunteers for ${input.definition.name}`,
    firstName: input.firstName,
    groupName: input.groupName,
    blocks: [
      { kind: "p", text: `As ${input.groupName}'s leader, please appoint one of these volunteers:` },
      ...about(input.definition),
      { kind: "list", items: input.volunteerNames.map((name, at) => `${at + 1}. ${name}`) },
      { kind: "p", text: "Reply with the volunteer's number (or name) on the first line." },
    ],
  });
}

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
export function renderObjectionNotice(input: ObjectionNoticeInput): RenderedEmail {
  return render({
    subject: `${input.volunteerName} volunteered: ${input.definition.name} in ${input.groupName}`,
    heading: `${input.volunteerName} has volunteered`,
    firstName: input.firstName,
    groupName: input.groupName,
    blocks: [
      { kind: "p", text: `${input.volunteerName} has volunteered for this role in ${input.groupName}:` },
      ...about(input.definition),
      {
        kind: "p",
        text: `They will be confirmed on ${input.confirmAtLocal} unless a member objects. If you object, reply "I object" on the first line or use the link below; the group will then vote.`,
      },
      { kind: "link", url: input.objectUrl, label: "I object" },
    ],
  });
}

export interface VolunteerThanksInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
}

export function renderVolunteerThanks(input: VolunteerThanksInput): RenderedEmail {
  return render({
    subject: `Thank you for volunteering: ${input.definition.name}`,
    heading: "Thank you for volunteering",
    firstName: input.firstName,
    groupName: input.groupName,
    blocks: [
      {
        kind: "p",
        text: `We have recorded that you volunteered for ${input.definition.name} in ${input.groupName}.`,
      },
      { kind: "p", text: "When volunteering closes, you will hear how the group fills the role." },
    ],
  });
}

export type RoleReplyProblem =
  "unreadable" | "vacancy-over" | "not-from-member" | "not-a-candidate" | "not-a-member" | "unverified";

export interface RoleReplyNotUnderstoodInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  problem: RoleReplyProblem;
}

/** A reply about a role that changed nothing, and why; sent to the member's own address. */
export function renderRoleReplyNotUnderstood(input: RoleReplyNotUnderstoodInput): RenderedEmail {
  const text: Record<RoleReplyProblem, string> = {
    unreadable: `We couldn't read an answer in your reply about ${input.definition.name}, so nothing changed. Please reply again with the answer on the first line.`,
    "vacancy-over": `The role of ${input.definition.name} has been filled (or the question has closed), so your reply changed nothing. Thank you all the same.`,
    "not-from-member": `We received a reply about ${input.definition.name} from a different email address, so it changed nothing. Please reply from the address this email was sent to.`,
    "not-a-member": `You are no longer a member of ${input.groupName}, so your reply about ${input.definition.name} changed nothing.`,
    unverified: `We couldn't verify that your reply about ${input.definition.name} came from you, so it changed nothing. Please use the link in the email instead.`,
    "not-a-candidate": `The member you named did not volunteer for ${input.definition.name}, so nobody was appointed. Please reply with the number of one of the volunteers.`,
  };
  return render({
    subject: `Your reply about ${input.definition.name} changed nothing`,
    heading: "Your reply changed nothing",
    firstName: input.firstName,
    groupName: input.groupName,
    blocks: [{ kind: "p", text: text[input.problem] }],
  });
}

export interface RoleWelcomeInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  /** The term's end in the group's zone, if the role has a term. */
  termEndsLocal?: string;
}

export function renderRoleWelcome(input: RoleWelcomeInput): RenderedEmail {
  return render({
    subject: `Welcome to your role: ${input.definition.name} in ${input.groupName}`,
    heading: `You are now ${input.definition.name}`,
    firstName: input.firstName,
    groupName: input.groupName,
    blocks: [
      { kind: "p", text: `Thank you for taking on this role in ${input.groupName}. What it involves:` },
      ...about(input.definition),
      ...(input.termEndsLocal
        ? [{ kind: "p" as const, text: `Your term runs until ${input.termEndsLocal}.` }]
        : []),
      {
        kind: "p",
        text: "To step down, tell your group's coordinator; the group will be asked for a volunteer.",
      },
    ],
  });
}
