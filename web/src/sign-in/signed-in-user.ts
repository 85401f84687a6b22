import { rolesByPrecedence, type Role } from "#access/principal.ts";

export type { Role };

/** Who is signed in, as the ID token's claims say (the server checks them on every request). */
export interface SignedInUser {
  token: string;
  /** What the header shows: a demo identity's label locally, the user's name on Cognito. */
  label: string;
  role: Role;
  organisationId: string;
  groupIds: string[];
}

const storageKey = "convene.signed-in";

const base64UrlJson = (part: string): unknown =>
  JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)),
    ),
  );

/** An ID token's claims, read without verification (the server verifies on every request). */
export const claimsOf = (token: string) =>
  base64UrlJson(token.split(".")[1] ?? "") as Record<string, unknown>;

/**
 * Reads the claims Cognito (and the local identity provider, which mints the same) puts in an
 * ID token. Not a verification: it only decides what the page offers.
 */
export const userFromToken = (token: string, label: string): SignedInUser => {
  const claims = claimsOf(token);
  const groups = claims["cognito:groups"];
  const role = Array.isArray(groups) ? rolesByPrecedence.find((r) => groups.includes(r)) : undefined;
  const organisationId = claims["custom:organisation"];
  if (!role || typeof organisationId !== "string") throw new Error("the token names no role or organisation");
  const groupList = claims["custom:groups"];
  const groupIds = typeof groupList === "string" ? groupList.split(",").filter(Boolean) : [];
  return { token, label, role, organisationId, groupIds };
};

/** The tab's sign-in: sessionStorage, so it ends with the tab and is never shared between tabs. */
export const signedInUser = (): SignedInUser | undefined => {
  const stored = sessionStorage.getItem(storageKey);
  return stored ? (JSON.parse(stored) as SignedInUser) : undefined;
};

export const rememberSignIn = (user: SignedInUser) =>
  sessionStorage.setItem(storageKey, JSON.stringify(user));

export const forgetSignIn = () => sessionStorage.removeItem(storageKey);
