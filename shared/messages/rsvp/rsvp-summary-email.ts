import type { RsvpCounts } from "#domain/rsvp.ts";
import { list, paragraph } from "#messages/email-kit/blocks.ts";
import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import { renderRsvpEmail, type RsvpEmailInput } from "./rsvp-email-parts.ts";

export interface RsvpSummaryInput extends RsvpEmailInput {
  counts: RsvpCounts;
  capacity?: number;
  /**
   * Names of those coming, only as the group's privacy allows (absent: counts only); `more`
   * is how many said yes whose names are not shown.
   */
  named?: { coming: readonly string[]; maybe: readonly string[]; more: number };
}

const people = (n: number) => (n === 1 ? "1 person" : `${n} people`);

/** A day before: the facilitator's expected numbers, and names where the group allows them. */
export const renderRsvpSummary = (input: RsvpSummaryInput): RenderedEmail => {
  const { counts, capacity, named } = input;
  const room = capacity === undefined ? "" : ` (${capacity} places)`;
  return renderRsvpEmail(input, {
    subject: `Who's coming: ${input.sessionTitle}, ${input.startsAtLocal}`,
    heading: "Who's coming tomorrow",
    blocks: [
      paragraph(`For ${input.sessionTitle} on ${input.startsAtLocal}${room}, as of now:`),
      list([
        `${people(counts.yes)} coming`,
        `${people(counts.maybe)} maybe`,
        `${people(counts.no)} not coming`,
        ...(counts.waiting > 0 ? [`${people(counts.waiting)} waiting for a place`] : []),
      ]),
      ...(named && named.coming.length > 0 ? [list(named.coming, { lead: "Coming:" })] : []),
      ...(named && named.maybe.length > 0 ? [list(named.maybe, { lead: "Maybe:" })] : []),
      ...(named && named.more > 0
        ? [paragraph(`${people(named.more)} coming chose not to show their name.`)]
        : []),
      ...(named && named.coming.length + named.maybe.length > 0
        ? [paragraph("Please keep these names to yourself: who comes is private to each member.")]
        : []),
    ],
  });
};
