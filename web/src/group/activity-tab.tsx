import { apiPaths } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { formatInstant } from "../ui/format.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";

// No issue defines the group's activity feed yet; this tab asks GET …/groups/{g}/activity and
// says "not available yet" until something answers there.
interface ActivityItem {
  id?: string;
  at?: string;
  summary?: string;
}

/** What happened in the group lately, once the API serves it. */
export const ActivityTab = ({ organisationId, groupId }: { organisationId: string; groupId: string }) => {
  const [activity] = useResource<{ items?: ActivityItem[] }>(apiPaths.activity(organisationId, groupId));
  if (activity.state === "loading") return <p>Loading activity…</p>;
  if (activity.state === "failed")
    return activity.problem.status === 404 ? (
      <p className="not-yet">Activity is not available yet.</p>
    ) : (
      <ProblemNotice problem={activity.problem} />
    );
  const items = activity.data.items ?? [];
  if (items.length === 0) return <p>Nothing has happened in the group yet.</p>;
  return (
    <ol className="activity">
      {items.map((item, i) => (
        <li key={item.id ?? i}>
          {item.at && <time dateTime={item.at}>{formatInstant(item.at, "UTC")} UTC</time>} {item.summary}
        </li>
      ))}
    </ol>
  );
};
