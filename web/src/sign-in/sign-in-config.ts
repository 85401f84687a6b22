/**
 * What the dashboard's `/config.json` holds on AWS, written at deployment by
 * infra/cdk/constructs/dashboard-hosting.ts. Locally there is no such file (the local server
 * answers the path with index.html), and the dashboard signs in with the demo identities.
 * Kept free of DOM types: the CDK app imports the type too.
 */
export interface CognitoSignInConfig {
  signIn: "cognito";
  /** The managed login's origin: https://convene-<stage>-<account>.auth.<region>.amazoncognito.com */
  domain: string;
  /** The dashboard's app client (public: no secret). */
  clientId: string;
  /** Where Cognito sends the browser back with the code: the dashboard's /sign-in page. */
  redirectUri: string;
  /** Where Cognito sends the browser after signing out. */
  logoutUri: string;
}

export class InvalidSignInConfig extends Error {
  override name = "InvalidSignInConfig";
}

const httpsUrl = (value: unknown): value is string => {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
};

/**
 * The Cognito settings when the file names Cognito; undefined when it names no sign-in (the
 * local demo sign-in then applies). A file that names Cognito but lacks a setting is a broken
 * deployment, said as such rather than falling back to a sign-in that cannot work there.
 */
export const readSignInConfig = (json: unknown): CognitoSignInConfig | undefined => {
  if (typeof json !== "object" || json === null || (json as { signIn?: unknown }).signIn !== "cognito")
    return undefined;
  const c = json as Record<string, unknown>;
  const wrong = [
    ...(["domain", "redirectUri", "logoutUri"] as const).filter((key) => !httpsUrl(c[key])),
    ...(typeof c.clientId === "string" && c.clientId !== "" ? [] : ["clientId"]),
  ];
  if (wrong.length > 0)
    throw new InvalidSignInConfig(
      `config.json names Cognito but ${wrong.join(", ")} is missing or not valid`,
    );
  return {
    signIn: "cognito",
    domain: (c.domain as string).replace(/\/+$/, ""),
    clientId: c.clientId as string,
    redirectUri: c.redirectUri as string,
    logoutUri: c.logoutUri as string,
  };
};
