import type { RsvpAnswer } from "#domain/rsvp.ts";
import { asMemberOf, links, paragraph, type Block } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";

/** What every RSVP email is told: the session by its title and start, the member's first name. */
export interface RsvpEmailInput {
  groupName: string;
  firstName: string;
  sessionTitle: string;
  /** The start, already formatted in the group's time zone. */
  startsAtLocal: string;
}

/** The three signed links, each to a page that confirms before it records. */
export type RsvpLinks = Record<RsvpAnswer, string>;

const linkLabels: Record<RsvpAnswer, string> = {
  yes: "Yes, I'm coming",
  no: "No, I can't come",
  maybe: "Maybe",
};

/** "Reply yes, no or maybe", and the same three answers as links. */
export const askBlocks = (urls: RsvpLinks, only: readonly RsvpAnswer[] = ["yes", "no", "maybe"]): Block[] => {
  const quoted = only.map((answer) => `"${answer}"`);
  const choices = `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)!}`;
  return [
    paragraph(`Reply ${choices}, or use a link below.`),
    links(...only.map((answer) => ({ label: linkLabels[answer], url: urls[answer] }))),
  ];
};

/** An RSVP email's frame: the answer to the member's own question, so no unsubscribe link. */
export const renderRsvpEmail = (
  input: RsvpEmailInput,
  email: { subject: string; heading: string; blocks: readonly Block[] },
): RenderedEmail =>
  renderEmail({ ...email, firstName: input.firstName, footer: { reason: asMemberOf(input.groupName) } });
