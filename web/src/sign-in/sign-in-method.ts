import { navigate, paths } from "../route.ts";
import { logoutUrl } from "./cognito-sign-in.ts";
import { readSignInConfig, type CognitoSignInConfig } from "./sign-in-config.ts";
import { forgetSignIn } from "./signed-in-user.ts";

/** How this dashboard signs in: Cognito on AWS, the demo identities locally. */
export type SignInMethod = { kind: "cognito"; config: CognitoSignInConfig } | { kind: "local" };

let method: Promise<SignInMethod> | undefined;

/**
 * Decided once per page load, at run time, so one build serves both: on AWS the deployment
 * puts a /config.json naming Cognito beside index.html; locally there is none (the server
 * answers the path with index.html, which is not JSON), and the demo sign-in applies.
 */
export const signInMethod = (): Promise<SignInMethod> => (method ??= readMethod());

const readMethod = async (): Promise<SignInMethod> => {
  const response = await fetch("/config.json", { headers: { accept: "application/json" } });
  if (!response.ok || !(response.headers.get("content-type") ?? "").includes("json"))
    return { kind: "local" };
  const config = readSignInConfig(await response.json());
  return config ? { kind: "cognito", config } : { kind: "local" };
};

/** Forgets the tab's sign-in; on Cognito the managed login forgets the browser too. */
export const signOut = async (): Promise<void> => {
  forgetSignIn();
  const current = await signInMethod().catch((): SignInMethod => ({ kind: "local" }));
  if (current.kind === "cognito") location.assign(logoutUrl(current.config));
  else navigate(paths.signIn, { replace: true });
};
