import { paragraph } from "#messages/email-kit/blocks.ts";
import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import { askBlocks, renderRsvpEmail, type RsvpEmailInput, type RsvpLinks } from "./rsvp-email-parts.ts";

export interface PlaceOfferedInput extends RsvpEmailInput {
  /** When the offer ends, formatted in the group's time zone. */
  holdsUntilLocal: string;
  links: RsvpLinks;
}

/** A place freed and the member waiting first is offered it, held until the offer ends. */
export const renderPlaceOffered = (input: PlaceOfferedInput): RenderedEmail =>
  renderRsvpEmail(input, {
    subject: `A place for you: ${input.sessionTitle}, ${input.startsAtLocal}`,
    heading: "A place has come free",
    blocks: [
      paragraph(
        `A place has come free at ${input.sessionTitle} on ${input.startsAtLocal}, and it's yours if you want it.`,
      ),
      paragraph(
        `We'll hold it for you until ${input.holdsUntilLocal}; after that it goes to the next person waiting.`,
      ),
      ...askBlocks(input.links, ["yes", "no"]),
    ],
  });
