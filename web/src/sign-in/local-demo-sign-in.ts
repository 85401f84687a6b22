import { problemFrom } from "../api/api-problem.ts";
import { rememberSignIn, userFromToken, type SignedInUser } from "./signed-in-user.ts";

/** One way in that the sign-in page offers. */
export interface SignInChoice {
  label: string;
  identity: { role: string; organisationId?: string; groupIds?: string[]; subject: string };
}

// The local adapter: the demo identities `npm start` prints, each a token minted by the local
// identity provider (/api/local, never deployed). On AWS this module is swapped for one that
// sends the browser to Cognito's hosted UI and reads the ID token on the way back; the rest of
// the dashboard only sees a SignedInUser.

const callLocal = async <T>(path: string, body?: unknown): Promise<T> => {
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await problemFrom(response);
  return (await response.json()) as T;
};

export const signInChoices = async (): Promise<SignInChoice[]> =>
  (await callLocal<{ items: SignInChoice[] }>("/api/local/identities")).items;

export const signIn = async (choice: SignInChoice): Promise<SignedInUser> => {
  const { token } = await callLocal<{ token: string }>("/api/local/tokens", choice.identity);
  const user = userFromToken(token, choice.label);
  rememberSignIn(user);
  return user;
};
