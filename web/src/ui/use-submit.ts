import { useState } from "react";
import { ApiProblem } from "../api/api-problem.ts";

/** A form's sending state: busy while the API works, then its problem (if any) for the fields to show. */
export const useSubmit = () => {
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const submit = async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, "Something went wrong in the page"));
    } finally {
      setBusy(false);
    }
  };
  return { problem, busy, submit };
};
