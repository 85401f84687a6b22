import { useEffect, useState } from "react";
import { ApiProblem } from "../api/api-problem.ts";
import { navigate, paths } from "../route.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { usePageTitle } from "../ui/use-page-title.ts";
import { completeSignIn, isRedirectBack, startSignIn } from "./cognito-sign-in.ts";
import { homePath } from "./home-path.ts";
import { signIn, signInChoices, type SignInChoice } from "./local-demo-sign-in.ts";
import type { CognitoSignInConfig } from "./sign-in-config.ts";
import { signInMethod, type SignInMethod } from "./sign-in-method.ts";
import type { SignedInUser } from "./signed-in-user.ts";

/** A link followed before signing in (e.g. to a group) is kept; otherwise the user's home. */
const pageAfterSignIn = (user: SignedInUser, wanted: string | undefined) =>
  wanted === undefined || wanted === paths.home || wanted === paths.signIn ? homePath(user) : wanted;

/** Offers the ways in: Cognito's sign-in page on AWS, the demo identities locally. */
export const SignInPage = () => {
  const [method, setMethod] = useState<SignInMethod>();
  const [problem, setProblem] = useState<ApiProblem>();
  usePageTitle("Sign in");

  useEffect(() => {
    signInMethod().then(setMethod, (error: unknown) =>
      setProblem(
        new ApiProblem(
          0,
          "The sign-in settings could not be read",
          error instanceof Error ? error.message : undefined,
        ),
      ),
    );
  }, []);

  return (
    <main className="sign-in">
      <h1 tabIndex={-1}>Sign in to Convene</h1>
      {problem && <ProblemNotice problem={problem} />}
      {method === undefined && !problem && <p role="status">Loading…</p>}
      {method?.kind === "local" && <DemoIdentities />}
      {method?.kind === "cognito" && <CognitoSignIn config={method.config} />}
    </main>
  );
};

/** Locally: the demo identities `npm start` prints, one button each. */
const DemoIdentities = () => {
  const [choices, setChoices] = useState<SignInChoice[]>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    signInChoices().then(setChoices, (p: ApiProblem) => setProblem(p));
  }, []);

  const choose = async (choice: SignInChoice) => {
    setBusy(true);
    try {
      const user = await signIn(choice);
      navigate(pageAfterSignIn(user, location.pathname), { replace: true });
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, "Signing in failed"));
      setBusy(false);
    }
  };

  return (
    <>
      <p>Choose who you are. These are the demo identities of this local platform.</p>
      {problem && <ProblemNotice problem={problem} />}
      {choices === undefined && !problem && <p role="status">Loading the identities…</p>}
      {choices && (
        <ul className="choices">
          {choices.map((choice) => (
            <li key={choice.identity.subject}>
              <button type="button" disabled={busy} onClick={() => void choose(choice)}>
                {choice.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
};

/**
 * On AWS: a button to Cognito's sign-in page; when the browser comes back from it (to
 * /sign-in with a code), the sign-in is completed here and the user sent on.
 */
const CognitoSignIn = ({ config }: { config: CognitoSignInConfig }) => {
  const [completing, setCompleting] = useState(() => isRedirectBack(location.search));
  const [problem, setProblem] = useState<ApiProblem>();

  useEffect(() => {
    if (!isRedirectBack(location.search)) return;
    completeSignIn(config, location.search).then(
      ({ user, returnTo }) => navigate(pageAfterSignIn(user, returnTo), { replace: true }),
      (error: unknown) => {
        // The code is spent either way: take it out of the address bar.
        history.replaceState(null, "", paths.signIn);
        setProblem(
          new ApiProblem(0, "Signing in failed", error instanceof Error ? error.message : undefined),
        );
        setCompleting(false);
      },
    );
  }, [config]);

  const begin = () => {
    setCompleting(true);
    startSignIn(config, location.pathname).catch(() => {
      setProblem(new ApiProblem(0, "The sign-in page could not be opened"));
      setCompleting(false);
    });
  };

  return (
    <>
      <p>Sign in with your Convene account: your email address, password and authenticator app.</p>
      {problem && <ProblemNotice problem={problem} />}
      {completing ? (
        <p role="status">Signing you in…</p>
      ) : (
        <ul className="choices">
          <li>
            <button type="button" onClick={begin}>
              Sign in
            </button>
          </li>
        </ul>
      )}
    </>
  );
};
