import type { ExpectedVsAttended, MonthTrend } from "#read-models/organisation-overview.ts";
import { smallCountThreshold, type ShownCount } from "#read-models/small-counts.ts";
import { formatMonth } from "../ui/format.ts";

/** A count as the API gives it: exact, or hidden because it is small. */
export const formatShownCount = (count: ShownCount): string =>
  typeof count === "number" ? String(count) : `fewer than ${smallCountThreshold}`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One group's figure for the overview's table: yes answers against headcounts, or a dash. */
export const ExpectedAttendedCell = ({ figure }: { figure: ExpectedVsAttended | null }) =>
  figure === null ? (
    "None"
  ) : (
    <>
      {`${formatShownCount(figure.expected)} said yes, ${formatShownCount(figure.attended)} came`}
      <div className="hint">{plural(figure.sessions, "session")}</div>
    </>
  );

/**
 * Each month's sessions that asked for RSVPs and have attendance recorded: how many said yes
 * against how many came, every group together. Small counts are hidden by the API.
 */
export const ExpectedAttendedTable = ({ trends }: { trends: readonly MonthTrend[] }) => (
  <section aria-labelledby="expected-heading">
    <h2 id="expected-heading">Expected against attended</h2>
    <p className="hint">
      Sessions that asked who is coming and have their attendance recorded. Counts under {smallCountThreshold}{" "}
      are not shown, so that a small group&apos;s attendance stays its own.
    </p>
    <div className="scroll">
      <table>
        <caption className="visually-hidden">Expected against attended by month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Sessions</th>
            <th scope="col">Said yes</th>
            <th scope="col">Came</th>
          </tr>
        </thead>
        <tbody>
          {trends.map(({ month, expectedVsAttended: figure }) => (
            <tr key={month}>
              <th scope="row">{formatMonth(month)}</th>
              {figure === null ? (
                <td colSpan={3}>No sessions asked</td>
              ) : (
                <>
                  <td>{figure.sessions}</td>
                  <td>{formatShownCount(figure.expected)}</td>
                  <td>{formatShownCount(figure.attended)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  </section>
);
