import { linkTokenClaims, signLinkToken } from "./link-token.ts";
import * as z from "#validation/zod-mini.ts";

/**
 * A signed link that leads to a page confirming a coordinator's answer to "still meeting?":
 * yes (the series goes on) or no (it ends). Following it changes nothing (mail scanners follow
 * links); only the page's POST acts, through the same use case as a reply.
 */
const audience = "convene:series";

export const seriesAnswers = ["yes", "no"] as const;
export type SeriesAnswer = (typeof seriesAnswers)[number];

const claims = z.object({ st: z.string().check(z.regex(/^[a-z2-7]{26}$/)), ans: z.enum(seriesAnswers) });

export interface SeriesLinkAnswer {
  seriesToken: string;
  answer: SeriesAnswer;
}

export class InvalidSeriesLink extends Error {
  override name = "InvalidSeriesLink";
}

export const signSeriesLink = (link: SeriesLinkAnswer, secret: Uint8Array): Promise<string> =>
  signLinkToken({ st: link.seriesToken, ans: link.answer }, audience, secret);

export const verifySeriesLink = async (token: string, secret: Uint8Array): Promise<SeriesLinkAnswer> => {
  const parsed = claims.safeParse(await linkTokenClaims(token, audience, secret));
  if (!parsed.success) throw new InvalidSeriesLink("this link is not valid");
  return { seriesToken: parsed.data.st, answer: parsed.data.ans };
};

export const seriesLinkUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/api/v1/series-answer?token=${encodeURIComponent(token)}`;
