import { describe, expect, it } from "vitest";
import {
  authorizeUrl,
  codeChallenge,
  codeFromRedirect,
  isRedirectBack,
  logoutUrl,
  randomToken,
  tokenRequest,
} from "../src/sign-in/cognito-sign-in.ts";
import { readSignInConfig, type CognitoSignInConfig } from "../src/sign-in/sign-in-config.ts";

const config: CognitoSignInConfig = {
  signIn: "cognito",
  domain: "https://convene-dev-123456789012.auth.eu-west-2.amazoncognito.com",
  clientId: "4example5client6id",
  redirectUri: "https://d1234abcd.cloudfront.net/sign-in",
  logoutUri: "https://d1234abcd.cloudfront.net/sign-in",
};

describe("PKCE (RFC 7636)", () => {
  it("derives the S256 challenge of the RFC's Appendix B verifier", async () => {
    expect(await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("makes verifiers of 43 unreserved characters, different every time", () => {
    const verifiers = Array.from({ length: 20 }, () => randomToken(32));
    for (const v of verifiers) expect(v).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(verifiers).size).toBe(20);
  });
});

describe("the authorisation request", () => {
  it("asks the managed login for a code, with the S256 challenge and the state, back to the dashboard", () => {
    const url = new URL(authorizeUrl(config, "the-state", "the-challenge"));
    expect(url.origin + url.pathname).toBe(`${config.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "4example5client6id",
      redirect_uri: "https://d1234abcd.cloudfront.net/sign-in",
      scope: "openid email",
      state: "the-state",
      code_challenge: "the-challenge",
      code_challenge_method: "S256",
    });
  });
});

describe("the redirect back", () => {
  it("is recognised by its code or its error, and not otherwise", () => {
    expect(isRedirectBack("?code=abc&state=s")).toBe(true);
    expect(isRedirectBack("?error=access_denied")).toBe(true);
    expect(isRedirectBack("")).toBe(false);
    expect(isRedirectBack("?tab=roles")).toBe(false);
  });

  it("gives the code when the state is the one this tab sent", () => {
    expect(codeFromRedirect("?code=abc&state=s-1", "s-1")).toBe("abc");
  });

  it("refuses an answer whose state is another, missing, or that this tab never asked for", () => {
    const foreign = "The answer from the sign-in page does not belong to this tab's sign-in.";
    expect(() => codeFromRedirect("?code=abc&state=s-2", "s-1")).toThrow(foreign);
    expect(() => codeFromRedirect("?code=abc", "s-1")).toThrow(foreign);
    expect(() => codeFromRedirect("?code=abc&state=s-1", undefined)).toThrow(foreign);
  });

  it("says what Cognito answered when it signed nobody in, and when it sent no code", () => {
    expect(() =>
      codeFromRedirect("?error=access_denied&error_description=User+is+disabled&state=s-1", "s-1"),
    ).toThrow("Cognito did not sign you in: User is disabled.");
    expect(() => codeFromRedirect("?state=s-1&x=1", "s-1")).toThrow("The sign-in page sent no code back.");
  });
});

describe("redeeming the code and signing out", () => {
  it("posts the code with the verifier and the same redirect URI to the token endpoint", () => {
    const request = tokenRequest(config, "the-code", "the-verifier");
    expect(request.url).toBe(`${config.domain}/oauth2/token`);
    expect(Object.fromEntries(request.body)).toEqual({
      grant_type: "authorization_code",
      client_id: "4example5client6id",
      code: "the-code",
      redirect_uri: "https://d1234abcd.cloudfront.net/sign-in",
      code_verifier: "the-verifier",
    });
  });

  it("signs out at the logout endpoint, which sends the browser back to the dashboard", () => {
    const url = new URL(logoutUrl(config));
    expect(url.origin + url.pathname).toBe(`${config.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "4example5client6id",
      logout_uri: "https://d1234abcd.cloudfront.net/sign-in",
    });
  });
});

describe("reading /config.json", () => {
  it("takes Cognito's settings when it names Cognito", () => {
    expect(readSignInConfig({ ...config, domain: `${config.domain}/` })).toEqual(config);
  });

  it("means the local demo sign-in when it names none", () => {
    for (const json of [undefined, null, "<!doctype html>", {}, { signIn: "local" }])
      expect(readSignInConfig(json)).toBeUndefined();
  });

  it("names each setting a Cognito deployment lacks, or gives over plain HTTP", () => {
    expect(() => readSignInConfig({ signIn: "cognito", domain: config.domain })).toThrow(
      "config.json names Cognito but redirectUri, logoutUri, clientId is missing or not valid",
    );
    expect(() =>
      readSignInConfig({ ...config, domain: "http://convene-dev.auth.eu-west-2.amazoncognito.com" }),
    ).toThrow("config.json names Cognito but domain is missing or not valid");
  });
});
