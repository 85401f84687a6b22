import type { CognitoSignInConfig } from "./sign-in-config.ts";
import { claimsOf, rememberSignIn, userFromToken, type SignedInUser } from "./signed-in-user.ts";

// The AWS adapter: OAuth 2.0 authorisation code flow with PKCE (RFC 7636) against the user
// pool's managed login. The browser goes to /oauth2/authorize with a code challenge and a
// state, signs in there (password and authenticator), and comes back to /sign-in with a code,
// which is exchanged at /oauth2/token for the ID token. The rest of the dashboard only sees a
// SignedInUser, as with the local demo sign-in. The refresh token is not kept: a tab signs in
// again when its ID token expires (an hour), usually without typing anything, since the
// managed login remembers the browser.

/** What one sign-in attempt leaves in this tab while the browser is away at Cognito. */
interface PendingSignIn {
  state: string;
  verifier: string;
  /** The dashboard page to return to, when the user was sent to sign in from one. */
  returnTo?: string;
}

const pendingKey = "convene.cognito-sign-in";

export class SignInFailed extends Error {
  override name = "SignInFailed";
}

const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** A random, URL-safe string of `bytes` bytes: 32 make a 43-character PKCE verifier (RFC 7636 §4.1). */
export const randomToken = (bytes = 32) => base64Url(crypto.getRandomValues(new Uint8Array(bytes)));

/** The S256 code challenge of a verifier: BASE64URL(SHA-256(verifier)) (RFC 7636 §4.2). */
export const codeChallenge = async (verifier: string) =>
  base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));

/** Where the sign-in starts: the managed login's authorize endpoint. */
export const authorizeUrl = (config: CognitoSignInConfig, state: string, challenge: string): string => {
  const url = new URL("/oauth2/authorize", config.domain);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: "openid email",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
};

/** Whether the page was opened by Cognito's redirect back (with a code, or with an error). */
export const isRedirectBack = (search: string) => {
  const params = new URLSearchParams(search);
  return params.has("code") || params.has("error");
};

/**
 * The code from Cognito's redirect back, once its state matches the one this tab sent: a
 * mismatch means the answer belongs to another attempt (or another site's), and is refused.
 */
export const codeFromRedirect = (search: string, expectedState: string | undefined): string => {
  const params = new URLSearchParams(search);
  const error = params.get("error");
  if (error)
    throw new SignInFailed(`Cognito did not sign you in: ${params.get("error_description") ?? error}.`);
  if (!expectedState || params.get("state") !== expectedState)
    throw new SignInFailed("The answer from the sign-in page does not belong to this tab's sign-in.");
  const code = params.get("code");
  if (!code) throw new SignInFailed("The sign-in page sent no code back.");
  return code;
};

/** The token request that redeems a code (public client: the verifier proves this tab asked). */
export const tokenRequest = (config: CognitoSignInConfig, code: string, verifier: string) => ({
  url: new URL("/oauth2/token", config.domain).toString(),
  body: new URLSearchParams({
    grant_type: "authorization_code",
    client_id: config.clientId,
    code,
    redirect_uri: config.redirectUri,
    code_verifier: verifier,
  }),
});

/** Where signing out goes: the managed login forgets the browser, then sends it to logoutUri. */
export const logoutUrl = (config: CognitoSignInConfig): string => {
  const url = new URL("/logout", config.domain);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri }).toString();
  return url.toString();
};

/** A path on this dashboard (not another site's address), or nothing. */
const ownPath = (path: unknown) =>
  typeof path === "string" && path.startsWith("/") && !path.startsWith("//") ? path : undefined;

/** Sends the browser to Cognito, remembering in this tab what to check when it comes back. */
export const startSignIn = async (config: CognitoSignInConfig, returnTo?: string): Promise<void> => {
  const pending: PendingSignIn = {
    state: randomToken(16),
    verifier: randomToken(32),
    returnTo: ownPath(returnTo),
  };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  location.assign(authorizeUrl(config, pending.state, await codeChallenge(pending.verifier)));
};

const completing = new Map<string, Promise<{ user: SignedInUser; returnTo?: string }>>();

/**
 * Finishes the sign-in Cognito's redirect back carries: checks the state, redeems the code
 * and keeps the ID token. A code can be redeemed once, so a second call for the same
 * redirect (React runs effects twice in development) shares the first one's result.
 */
export const completeSignIn = (config: CognitoSignInConfig, search: string) => {
  let result = completing.get(search);
  if (!result) {
    result = redeem(config, search);
    completing.set(search, result);
  }
  return result;
};

const redeem = async (config: CognitoSignInConfig, search: string) => {
  const stored = sessionStorage.getItem(pendingKey);
  sessionStorage.removeItem(pendingKey);
  const pending = stored ? (JSON.parse(stored) as PendingSignIn) : undefined;
  const code = codeFromRedirect(search, pending?.state);
  const request = tokenRequest(config, code, pending!.verifier);
  let response: Response;
  try {
    response = await fetch(request.url, { method: "POST", body: request.body });
  } catch {
    throw new SignInFailed("Cognito could not be reached; check the connection and sign in again.");
  }
  const tokens = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
  if (!response.ok || typeof tokens.id_token !== "string")
    throw new SignInFailed(
      `Cognito did not accept the sign-in (${typeof tokens.error === "string" ? tokens.error : response.status}).`,
    );
  const email = claimsOf(tokens.id_token).email;
  let user: SignedInUser;
  try {
    user = userFromToken(tokens.id_token, typeof email === "string" ? email : "your account");
  } catch {
    throw new SignInFailed(
      "Your account has no Convene role or organisation yet: ask an administrator to add you to one.",
    );
  }
  rememberSignIn(user);
  return { user, returnTo: ownPath(pending?.returnTo) };
};
