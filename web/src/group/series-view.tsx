import type { Member, Series, Session } from "../api/resources.ts";
import { formatLocal } from "../ui/format.ts";
import { SeriesEnd } from "./series-end.tsx";
import { SeriesOccurrenceActions } from "./series-occurrence-actions.tsx";

/**
 * One series as coordinators read it: the rule in words ("Every Tuesday at 19:00, London
 * time"), its status, where and who, its next five dates, and its sessions already scheduled,
 * each with the actions of any session; an active one can be ended.
 */
export const SeriesView = ({
  organisationId,
  series,
  sessions,
  members,
  onChanged,
}: {
  organisationId: string;
  series: Series;
  /** Its upcoming sessions, soonest first. */
  sessions: readonly Session[];
  members: readonly Member[];
  /** What happened, and (when the bus makes it true later) how the upcoming sessions will show it. */
  onChanged: (done: string, shown?: (upcoming: Session[]) => boolean) => void;
}) => {
  const facilitator = members.find((m) => m.id === series.facilitatorMemberId)?.name;
  const where = [series.venue?.name, series.venue?.address, series.onlineUrl && "online"].filter(Boolean);
  const headingId = `series-${series.id}`;
  return (
    <article aria-labelledby={headingId} className="panel">
      <h4 id={headingId}>{series.title}</h4>
      <p>
        {series.ruleInWords}. <strong>{series.status === "active" ? "Active" : "Ended"}</strong>
      </p>
      {where.length > 0 && <p>At {where.join(", ")}.</p>}
      <p>Facilitator: {facilitator ?? "whoever holds the facilitator role"}.</p>
      {series.nextDates.length > 0 && (
        <>
          <p id={`${headingId}-next`}>Next dates:</p>
          <ol aria-labelledby={`${headingId}-next`}>
            {series.nextDates.map((d) => (
              <li key={d.startLocal}>{formatLocal(d.startLocal, series.timeZone)}</li>
            ))}
          </ol>
        </>
      )}
      {sessions.length > 0 && (
        <details>
          <summary>
            Its {sessions.length} scheduled session{sessions.length === 1 ? "" : "s"}
          </summary>
          <div className="scroll">
            <table>
              <caption className="visually-hidden">
                Scheduled sessions of {series.title}, soonest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{formatLocal(s.startLocal, s.timeZone)}</th>
                    <td>{s.status === "cancelled" ? "Cancelled" : "Scheduled"}</td>
                    <td>
                      {s.status === "scheduled" && s.series && series.status === "active" && (
                        <SeriesOccurrenceActions
                          organisationId={organisationId}
                          session={{ ...s, series: s.series }}
                          series={series}
                          onChanged={onChanged}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {series.status === "active" && (
        <SeriesEnd
          organisationId={organisationId}
          groupId={series.groupId}
          series={series}
          onEnded={(done) =>
            onChanged(done, (upcoming) => !upcoming.some((s) => s.series?.seriesId === series.id))
          }
        />
      )}
    </article>
  );
};
