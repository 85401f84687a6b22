import { paths } from "../route.ts";
import { formatDate, formatInstant, formatShare, viewerTimeZone } from "../ui/format.ts";
import { Link } from "../ui/link.tsx";
import { countByLevel, filterGroups, type GroupHealthFilter } from "./group-health-filter.ts";
import type {
  AttentionLevel,
  GroupHealth,
  OrganisationOverview,
} from "#read-models/organisation-overview.ts";
import { ExpectedAttendedCell, ExpectedAttendedTable } from "./expected-attended.tsx";
import { TrendChart } from "./trend-chart.tsx";

const levelName: Record<AttentionLevel, string> = {
  urgent: "Urgent",
  warning: "Needs attention",
  ok: "Fine",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const GroupRow = ({ organisationId, group: g }: { organisationId: string; group: GroupHealth }) => (
  <tr>
    <th scope="row">
      <Link to={paths.group(organisationId, g.groupId)}>{g.name}</Link>
    </th>
    <td>
      <span className={`level level-${g.attention.level}`}>{levelName[g.attention.level]}</span>
      {g.attention.reasons.length > 0 && (
        <ul className="reasons">
          {g.attention.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
    </td>
    <td>
      {g.members}
      {g.unreachableMembers > 0 && <div className="warn">{g.unreachableMembers} unreachable</div>}
    </td>
    <td>
      {g.nextSession ? (
        <>
          {formatInstant(g.nextSession.startsAt, g.timeZone)}
          {!g.nextSession.hasFacilitator && <div className="warn">No facilitator</div>}
        </>
      ) : (
        "None scheduled"
      )}
    </td>
    <td>
      {g.vacantRoles.length === 0
        ? "None"
        : g.vacantRoles.map((r) => (
            <div key={r.roleId}>
              {r.name}
              {r.critical && <strong className="warn"> (critical)</strong>}, since{" "}
              {formatDate(r.vacantSince, g.timeZone)}
            </div>
          ))}
    </td>
    <td>
      {g.openVotes.length === 0
        ? "None"
        : g.openVotes.map((v) => (
            <div key={v.voteId}>
              “{v.question}”: {v.ballots} of {v.eligible} voted, closes{" "}
              {formatInstant(v.closesAt, g.timeZone)}
            </div>
          ))}
    </td>
    <td>{g.trainingExpiring}</td>
    <td>
      <ExpectedAttendedCell figure={g.expectedVsAttended} />
    </td>
  </tr>
);

/**
 * The organisation overview as a pure function of the API's answer and the filter: every
 * group's health (needing help first), the filter controls, and the trends of the last year.
 */
export const OverviewView = ({
  overview,
  filter,
  onFilterChange,
}: {
  overview: OrganisationOverview;
  filter: GroupHealthFilter;
  onFilterChange: (filter: GroupHealthFilter) => void;
}) => {
  const shown = filterGroups(overview.groups, filter);
  const counts = countByLevel(overview.groups);
  const trend = (pick: (t: OrganisationOverview["trends"][number]) => number | null) =>
    overview.trends.map((t) => ({ month: t.month, value: pick(t) }));
  return (
    <>
      <p>
        {plural(overview.groups.length, "group")}: {counts.urgent} urgent, {counts.warning} needing attention,{" "}
        {counts.ok} fine. Figures as of {formatInstant(overview.generatedAt, viewerTimeZone())}.
      </p>

      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Groups</h2>
        <form role="search" className="filters" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="overview-search">Search groups</label>
            <input
              id="overview-search"
              type="search"
              value={filter.search}
              onChange={(e) => onFilterChange({ ...filter, search: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="overview-level">Attention</label>
            <select
              id="overview-level"
              value={filter.level}
              onChange={(e) =>
                onFilterChange({ ...filter, level: e.target.value as GroupHealthFilter["level"] })
              }
            >
              <option value="all">All groups</option>
              <option value="urgent">Urgent</option>
              <option value="warning">Needs attention</option>
              <option value="ok">Fine</option>
            </select>
          </div>
          <div className="field checkbox">
            <input
              id="overview-vacancies"
              type="checkbox"
              checked={filter.onlyVacancies}
              onChange={(e) => onFilterChange({ ...filter, onlyVacancies: e.target.checked })}
            />
            <label htmlFor="overview-vacancies">Only groups with vacant roles</label>
          </div>
        </form>
        <p role="status">
          Showing {shown.length} of {plural(overview.groups.length, "group")}.
        </p>
        {shown.length > 0 && (
          <div className="scroll">
            <table className="health">
              <caption className="visually-hidden">Groups, needing help first</caption>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Attention</th>
                  <th scope="col">Members</th>
                  <th scope="col">Next session</th>
                  <th scope="col">Vacant roles</th>
                  <th scope="col">Open votes</th>
                  <th scope="col">Training expiring</th>
                  <th scope="col">Expected against attended (12 months)</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((g) => (
                  <GroupRow key={g.groupId} organisationId={overview.organisationId} group={g} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="trends-heading">
        <h2 id="trends-heading">The last twelve months</h2>
        <div className="charts">
          <TrendChart title="Sessions held" points={trend((t) => t.sessionsHeld)} format={String} />
          <TrendChart
            title="Attendance per session"
            points={overview.trends.map(({ month, attendance }) =>
              typeof attendance === "object" && attendance !== null
                ? { month, value: null, hidden: true }
                : { month, value: attendance },
            )}
            format={(n) => String(Math.round(n * 10) / 10)}
          />
          <TrendChart title="Vote turnout" points={trend((t) => t.voteTurnout)} format={formatShare} />
          <TrendChart title="Vacancies" points={trend((t) => t.vacancies)} format={String} />
        </div>
      </section>

      <ExpectedAttendedTable trends={overview.trends} />
    </>
  );
};
