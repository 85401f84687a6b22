import { useEffect, useState } from "react";
import { ApiProblem } from "../api/api-problem.ts";
import { navigate, paths } from "../route.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { signIn, signInChoices, type SignInChoice } from "./local-demo-sign-in.ts";
import { homePath } from "./home-path.ts";

/** Lists the ways in (locally: the demo identities) and signs in with the one chosen. */
export const SignInPage = () => {
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
      // A link followed before signing in (e.g. to a group) is kept; otherwise the user's home.
      const here = location.pathname;
      navigate(here === paths.home || here === paths.signIn ? homePath(user) : here, { replace: true });
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, "Signing in failed"));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1 tabIndex={-1}>Sign in to Convene</h1>
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
    </main>
  );
};
