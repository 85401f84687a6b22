import { navigate, paths } from "../route.ts";
import { forgetSignIn, signedInUser } from "../sign-in/signed-in-user.ts";
import { ApiProblem, problemFrom } from "./api-problem.ts";

const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const token = signedInUser()?.token;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiProblem(0, "The server could not be reached", "Check the connection and try again.");
  }
  if (response.status === 401 && token) {
    // The token expired or the keys changed: sign in again rather than show a broken page.
    forgetSignIn();
    navigate(paths.signIn, { replace: true });
  }
  if (!response.ok) throw await problemFrom(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
};

/** The dashboard's only way to the API: the signed-in user's bearer token, problem+json as ApiProblem. */
export const api = {
  get: <T>(path: string) => call<T>("GET", path),
  post: <T>(path: string, body?: unknown) => call<T>("POST", path, body),
  put: <T>(path: string, body?: unknown) => call<T>("PUT", path, body),
  patch: <T>(path: string, body?: unknown) => call<T>("PATCH", path, body),
  delete: <T>(path: string) => call<T>("DELETE", path),
};
