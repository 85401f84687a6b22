import type { RsvpAnswer } from "#domain/rsvp.ts";
import { paragraph } from "#messages/email-kit/blocks.ts";
import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import { askBlocks, renderRsvpEmail, type RsvpEmailInput, type RsvpLinks } from "./rsvp-email-parts.ts";

export interface RsvpConfirmationInput extends RsvpEmailInput {
  answer: RsvpAnswer;
  /** For a yes: a place, or the waiting list (the member's position is never told). */
  place?: "going" | "waiting";
  links: RsvpLinks;
}

const said: Record<RsvpAnswer, string> = {
  yes: "you're coming",
  no: "you can't come",
  maybe: "you might come",
};

/** Sent once for each answer recorded: what was understood, and how to change it. */
export const renderRsvpConfirmation = (input: RsvpConfirmationInput): RenderedEmail =>
  renderRsvpEmail(input, {
    subject: `Your answer: ${input.sessionTitle}, ${input.startsAtLocal}`,
    heading: "Thanks for letting us know",
    blocks: [
      paragraph(`We've noted that ${said[input.answer]} to ${input.sessionTitle} on ${input.startsAtLocal}.`),
      ...(input.place === "waiting"
        ? [
            paragraph(
              "The session is full, so you're on the waiting list. If a place frees, we'll email you.",
            ),
          ]
        : []),
      paragraph("Changed your mind? Your latest answer is the one that counts."),
      ...askBlocks(input.links),
    ],
  });
