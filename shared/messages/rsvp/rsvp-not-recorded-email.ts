import { paragraph } from "#messages/email-kit/blocks.ts";
import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import { askBlocks, renderRsvpEmail, type RsvpEmailInput, type RsvpLinks } from "./rsvp-email-parts.ts";

/** Why an answer was not recorded, in words the member can act on. */
export type RsvpProblem = "unreadable" | "ambiguous" | "session-cancelled" | "session-past" | "not-asked";

const explanations: Record<RsvpProblem, string> = {
  unreadable: `We couldn't tell from your reply whether you're coming.`,
  ambiguous: `Your reply seemed to say more than one thing, so we didn't record an answer.`,
  "session-cancelled": "This session has been cancelled, so there is nothing to answer.",
  "session-past": "This session has already started, so answers are closed.",
  "not-asked": "This session isn't asking who is coming, so your answer wasn't recorded.",
};

/** Answers a reply that recorded nothing; the links only where an answer can still be made. */
export const renderRsvpNotRecorded = (
  input: RsvpEmailInput & { problem: RsvpProblem; links: RsvpLinks },
): RenderedEmail =>
  renderRsvpEmail(input, {
    subject: `Your answer wasn't recorded: ${input.sessionTitle}`,
    heading: "Your answer wasn't recorded",
    blocks: [
      paragraph(explanations[input.problem]),
      ...(input.problem === "unreadable" || input.problem === "ambiguous"
        ? [paragraph(`Reply with just one word, or use a link.`), ...askBlocks(input.links)]
        : []),
    ],
  });
