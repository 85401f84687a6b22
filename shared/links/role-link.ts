import { SignJWT, errors, jwtVerify } from "jose";
import * as z from "#validation/zod-mini.ts";

/**
 * A signed link that leads to a page confirming one answer about a vacancy: volunteering,
 * accepting or declining an offered role, objecting. Following it changes nothing (mail
 * scanners follow links); only the page's POST acts, through the same use case as a reply.
 */
const audience = "convene:role";

export const roleLinkActions = ["volunteer", "accept", "decline", "object"] as const;
export type RoleLinkAction = (typeof roleLinkActions)[number];

const claims = z.object({
  rt: z.string().check(z.regex(/^[a-z2-7]{26}$/)),
  act: z.enum(roleLinkActions),
});

export interface RoleLinkAnswer {
  roleToken: string;
  action: RoleLinkAction;
}

export class InvalidRoleLink extends Error {
  override name = "InvalidRoleLink";
}

export const signRoleLink = (answer: RoleLinkAnswer, secret: Uint8Array): Promise<string> =>
  new SignJWT({ rt: answer.roleToken, act: answer.action })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(audience)
    .setIssuedAt()
    .sign(secret);

export const verifyRoleLink = async (token: string, secret: Uint8Array): Promise<RoleLinkAnswer> => {
  let payload: unknown;
  try {
    payload = (await jwtVerify(token, secret, { audience, algorithms: ["HS256"] })).payload;
  } catch (error) {
    if (error instanceof errors.JOSEError) throw new InvalidRoleLink("this link is not valid");
    throw error;
  }
  const parsed = claims.safeParse(payload);
  if (!parsed.success) throw new InvalidRoleLink("this link is not valid");
  return { roleToken: parsed.data.rt, action: parsed.data.act };
};

export const roleLinkUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/api/v1/role-answer?token=${encodeURIComponent(token)}`;
