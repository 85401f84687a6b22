import { linkTokenClaims, signLinkToken } from "./link-token.ts";
import * as z from "#validation/zod-mini.ts";
import { channels, type Channel } from "#domain/member.ts";

/**
 * Unsubscribe links carry a signed token (HS256) naming the organisation, the member and
 * the channel, so a member needs no account and nobody can unsubscribe someone else.
 */
const audience = "convene:unsubscribe";

const claims = z.object({
  org: z.string().check(z.minLength(1)),
  sub: z.string().check(z.minLength(1)),
  ch: z.enum(channels),
  grp: z.string().check(z.minLength(1)),
});

export interface UnsubscribeTarget {
  organisationId: string;
  groupId: string;
  memberId: string;
  channel: Channel;
}

export const signUnsubscribeToken = async (target: UnsubscribeTarget, secret: Uint8Array): Promise<string> =>
  signLinkToken(
    { org: target.organisationId, grp: target.groupId, ch: target.channel, sub: target.memberId },
    audience,
    secret,
  );

export class InvalidUnsubscribeToken extends Error {
  override name = "InvalidUnsubscribeToken";
}

export const verifyUnsubscribeToken = async (
  token: string,
  secret: Uint8Array,
): Promise<UnsubscribeTarget> => {
  const parsed = claims.safeParse(await linkTokenClaims(token, audience, secret));
  if (!parsed.success) throw new InvalidUnsubscribeToken("this unsubscribe link is not valid");
  const c = parsed.data;
  return { organisationId: c.org, groupId: c.grp, memberId: c.sub, channel: c.ch };
};

export const unsubscribeUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/api/v1/unsubscribe?token=${encodeURIComponent(token)}`;
