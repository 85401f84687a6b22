import { jwtVerify, type JWTVerifyGetKey } from "jose";
import * as z from "#validation/zod-mini.ts";
import { rolesByPrecedence, type Principal } from "./principal.ts";

/**
 * Bearer tokens are Cognito ID tokens on AWS and locally minted tokens of the same shape:
 * `cognito:groups` gives the role, `custom:organisation` the tenant (an attribute clients
 * cannot write), `custom:groups` the coordinator's comma-separated group ids.
 */
const claims = z.object({
  sub: z.string().check(z.minLength(1)),
  "cognito:groups": z._default(z.array(z.string()), []),
  "custom:organisation": z.optional(z.string().check(z.minLength(1))),
  "custom:groups": z._default(z.string(), ""),
});

export class Unauthenticated extends Error {
  override name = "Unauthenticated";
}

export interface TokenVerifierOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
}

export type VerifyToken = (token: string) => Promise<Principal>;

export const createTokenVerifier =
  ({ keys, issuer, audience }: TokenVerifierOptions): VerifyToken =>
  async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, audience, algorithms: ["ES256", "RS256"] }));
    } catch {
      throw new Unauthenticated("the bearer token is not valid");
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw new Unauthenticated("the bearer token lacks Convene's claims");
    const c = parsed.data;
    const role = rolesByPrecedence.find((r) => c["cognito:groups"].includes(r));
    if (!role) throw new Unauthenticated("the bearer token grants no Convene role");
    if (role !== "platform-admin" && !c["custom:organisation"])
      throw new Unauthenticated("the bearer token names no organisation");
    return {
      subject: c.sub,
      role,
      organisationId: c["custom:organisation"],
      groupIds: c["custom:groups"].split(",").filter(Boolean),
    };
  };
