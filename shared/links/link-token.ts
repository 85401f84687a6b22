import { SignJWT, errors, jwtVerify, type JWTPayload } from "jose";

/**
 * The signed token every member's link carries (HS256, with when it was issued): `audience`
 * names the kind of link, so a token made for one kind is refused by another.
 */
export const signLinkToken = (claims: JWTPayload, audience: string, secret: Uint8Array): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setAudience(audience).setIssuedAt().sign(secret);

/**
 * The claims of a token signed for `audience` with `secret`; undefined for any token that is
 * not one (forged, another kind of link, malformed). Other errors are thrown as they came.
 */
export const linkTokenClaims = async (
  token: string,
  audience: string,
  secret: Uint8Array,
): Promise<unknown> => {
  try {
    return (await jwtVerify(token, secret, { audience, algorithms: ["HS256"] })).payload;
  } catch (error) {
    if (error instanceof errors.JOSEError) return undefined;
    throw error;
  }
};
