import { linkTokenClaims, signLinkToken } from "./link-token.ts";
import { rsvpAnswers, type RsvpAnswer } from "#domain/rsvp.ts";
import * as z from "#validation/zod-mini.ts";

/**
 * A signed link that leads to a page confirming one answer ("yes", "no", "maybe") for one
 * session. Following it changes nothing (mail scanners follow links); only the page's POST
 * records, through the same use case as a reply.
 */
const audience = "convene:rsvp";

const claims = z.object({
  rt: z.string().check(z.regex(/^[a-z2-7]{26}$/)),
  ans: z.enum(rsvpAnswers),
});

export interface RsvpLinkAnswer {
  rsvpToken: string;
  answer: RsvpAnswer;
}

export class InvalidRsvpLink extends Error {
  override name = "InvalidRsvpLink";
}

export const signRsvpLink = (link: RsvpLinkAnswer, secret: Uint8Array): Promise<string> =>
  signLinkToken({ rt: link.rsvpToken, ans: link.answer }, audience, secret);

export const verifyRsvpLink = async (token: string, secret: Uint8Array): Promise<RsvpLinkAnswer> => {
  const parsed = claims.safeParse(await linkTokenClaims(token, audience, secret));
  if (!parsed.success) throw new InvalidRsvpLink("this link is not valid");
  return { rsvpToken: parsed.data.rt, answer: parsed.data.ans };
};

export const rsvpLinkUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/api/v1/rsvp-answer?token=${encodeURIComponent(token)}`;
