import { apiPaths, type RsvpSummary } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";

/**
 * A session's answers in the sessions tab: yes / maybe / no / waiting counts for a session that
 * asks, and the names of those coming only when the API gives them (the group's privacy).
 */
export const SessionRsvps = ({
  organisationId,
  groupId,
  sessionId,
}: {
  organisationId: string;
  groupId: string;
  sessionId: string;
}) => {
  const [rsvps] = useResource<RsvpSummary>(apiPaths.sessionRsvps(organisationId, groupId, sessionId));
  if (rsvps.state === "loading") return <span className="hint">…</span>;
  if (rsvps.state === "failed") return <span className="hint">Not available</span>;
  const { asked, capacity, counts, answers } = rsvps.data;
  if (!asked) return <span className="hint">Not asked</span>;
  const coming = answers?.filter((a) => a.answer === "yes" && a.place === "going").map((a) => a.name);
  return (
    <>
      <span aria-label="Answers">
        {counts.yes} yes · {counts.maybe} maybe · {counts.no} no · {counts.waiting} waiting
        {capacity !== undefined && ` (${capacity} places)`}
      </span>
      {coming && coming.length > 0 && <div className="hint">Coming: {coming.sort().join(", ")}</div>}
    </>
  );
};
