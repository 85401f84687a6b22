import { linkTokenClaims, signLinkToken } from "./link-token.ts";
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
  signLinkToken({ rt: answer.roleToken, act: answer.action }, audience, secret);

export const verifyRoleLink = async (token: string, secret: Uint8Array): Promise<RoleLinkAnswer> => {
  const parsed = claims.safeParse(await linkTokenClaims(token, audience, secret));
  if (!parsed.success) throw new InvalidRoleLink("this link is not valid");
  return { roleToken: parsed.data.rt, action: parsed.data.act };
};

export const roleLinkUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/api/v1/role-answer?token=${encodeURIComponent(token)}`;
