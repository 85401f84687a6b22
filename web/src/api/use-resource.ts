import { useCallback, useEffect, useState } from "react";
import { api } from "./api-client.ts";
import type { ApiProblem } from "./api-problem.ts";

export type Resource<T> =
  { state: "loading" } | { state: "ready"; data: T } | { state: "failed"; problem: ApiProblem };

/** Reads one API path, again whenever the path changes or `reload` is called. */
export const useResource = <T>(path: string): [Resource<T>, () => void] => {
  const [resource, setResource] = useState<Resource<T>>({ state: "loading" });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    api.get<T>(path).then(
      (data) => current && setResource({ state: "ready", data }),
      (problem: ApiProblem) => current && setResource({ state: "failed", problem }),
    );
    // A later path or reload wins; an answer to an earlier one is dropped.
    return () => {
      current = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [resource, reload];
};
