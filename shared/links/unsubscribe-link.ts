import { SignJWT, jwtVerify, errors } from "jose";
import { z } from "zod";
import { channels, type Channel } from "../domain/member.ts";

/**
 * Unsubscribe links carry a signed token (HS256) naming the organisation, the member and
 * the channel, so a member needs no account and nobody can unsubscribe someone else.
 */
const audience = "convene:unsubscribe";

const claims = z.object({
  org: z.string().min(1),
  sub: z.string().min(1),
  ch: z.enum(channels),
  grp: z.string().min(1),
});

export interface UnsubscribeTarget {
  organisationId: string;
  groupId: string;
  memberId: string;
  channel: Channel;
}

export const signUnsubscribeToken = async (target: UnsubscribeTarget, secret: Uint8Array): Promise<string> =>
  new SignJWT({ org: target.organisationId, grp: target.groupId, ch: target.channel })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(target.memberId)
    .setAudience(audience)
    .setIssuedAt()
    .sign(secret);

export class InvalidUnsubscribeToken extends Error {
  override name = "InvalidUnsubscribeToken";
}

export const verifyUnsubscribeToken = async (
  token: string,
  secret: Uint8Array,
): Promise<UnsubscribeTarget> => {
  try {
    const { payload } = await jwtVerify(token, secret, { audience, algorithms: ["HS256"] });
    const c = claims.parse(payload);
    return { organisationId: c.org, groupId: c.grp, memberId: c.sub, channel: c.ch };
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof z.ZodError) {
      throw new InvalidUnsubscribeToken("this unsubscribe link is not valid");
    }
    throw error;
  }
};

export const unsubscribeUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/api/v1/unsubscribe?token=${encodeURIComponent(token)}`;
