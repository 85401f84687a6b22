import type { ApiProblem } from "../api/api-problem.ts";

/**
 * What went wrong, said once. A form says which fields it shows errors beside (`shownBeside`);
 * the notice lists the other field errors, or, when the fields show them all, points to them.
 */
export const ProblemNotice = ({
  problem,
  shownBeside = () => false,
}: {
  problem: ApiProblem;
  shownBeside?: (field: string) => boolean;
}) => {
  const listed = problem.errors.filter((e) => !shownBeside(e.field));
  return (
    <div className="problem" role="alert">
      {problem.errors.length > 0 && listed.length === 0 ? (
        <p>
          <strong>Some fields need changing</strong>: see the messages beside them.
        </p>
      ) : (
        <p>
          <strong>{problem.title}</strong>
          {problem.detail && <> {problem.detail}</>}
        </p>
      )}
      {listed.length > 0 && (
        <ul>
          {listed.map((e) => (
            <li key={e.field}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};
