import { linkTokenClaims, signLinkToken } from "./link-token.ts";
import * as z from "#validation/zod-mini.ts";

/**
 * A signed link that leads to a page confirming one choice on one ballot. Following it
 * changes nothing (mail scanners follow links); only the page's POST casts the vote.
 */
const audience = "convene:ballot";
const claims = z.object({
  bt: z.string().check(z.regex(/^[a-z2-7]{26}$/)),
  opt: z.string().check(z.minLength(1)),
});

export interface BallotChoice {
  ballotToken: string;
  optionId: string;
}

export class InvalidBallotLink extends Error {
  override name = "InvalidBallotLink";
}

export const signBallotLink = (choice: BallotChoice, secret: Uint8Array): Promise<string> =>
  signLinkToken({ bt: choice.ballotToken, opt: choice.optionId }, audience, secret);

export const verifyBallotLink = async (token: string, secret: Uint8Array): Promise<BallotChoice> => {
  const parsed = claims.safeParse(await linkTokenClaims(token, audience, secret));
  if (!parsed.success) throw new InvalidBallotLink("this voting link is not valid");
  return { ballotToken: parsed.data.bt, optionId: parsed.data.opt };
};

export const ballotLinkUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/api/v1/ballot?token=${encodeURIComponent(token)}`;
