import { useEffect, useRef, useState } from "react";
import type { ActivityItem } from "#read-models/group-activity.ts";
import { api } from "../api/api-client.ts";
import type { ApiProblem } from "../api/api-problem.ts";
import {
  apiPaths,
  type ActivityPage,
  type Items,
  type Member,
  type Session,
  type Vote,
} from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { ActivityTable } from "./activity-table.tsx";
import type { ActivityNames } from "./activity-words.ts";

const pageSize = 25;

/** A role as GET …/roles answers it; only its name is needed here. */
interface GroupRole {
  roleId: string;
  definition: { name: string };
}

/**
 * The titles of the sessions the log names, each read once by id (a cancelled session is no
 * longer in the upcoming list, but still reads by id); null for one that cannot be read.
 */
const useSessionTitles = (organisationId: string, groupId: string, sessionIds: readonly string[]) => {
  const [titles, setTitles] = useState<ReadonlyMap<string, string | null>>(new Map());
  const asked = useRef(new Set<string>());
  const wanted = [...new Set(sessionIds)].sort().join(" ");
  useEffect(() => {
    for (const id of wanted.split(" ")) {
      if (!id || asked.current.has(id)) continue;
      asked.current.add(id);
      api.get<Session>(apiPaths.session(organisationId, groupId, id)).then(
        (session) => setTitles((known) => new Map(known).set(id, session.title)),
        () => setTitles((known) => new Map(known).set(id, null)),
      );
    }
  }, [organisationId, groupId, wanted]);
  return titles;
};

/**
 * The group's activity log, newest first, in the group's time zone, a page at a
 * time. The log holds ids; names come from the members the page has already loaded and from
 * the group's sessions, votes and roles, all rendered as text by React.
 */
export const ActivityTab = ({
  organisationId,
  groupId,
  timeZone,
  members,
  reloadMembers,
}: {
  organisationId: string;
  groupId: string;
  timeZone: string;
  members: readonly Member[];
  /** The group page's members, read again as the log is: someone who joined since is named. */
  reloadMembers: () => void;
}) => {
  useEffect(reloadMembers, [reloadMembers]);
  const path = apiPaths.activity(organisationId, groupId);
  const [first] = useResource<ActivityPage>(`${path}?limit=${pageSize}`);
  const [roles] = useResource<Items<GroupRole>>(apiPaths.roles(organisationId, groupId));
  const [votes] = useResource<Items<Vote>>(apiPaths.votes(organisationId, groupId));
  const [older, setOlder] = useState<ActivityPage>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderProblem, setOlderProblem] = useState<ApiProblem>();
  // After "Load older activity", the first row it added takes the focus, so reading goes on there.
  const [focusRow, setFocusRow] = useState<number>();
  const firstNewRow = useRef<HTMLTableRowElement>(null);
  useEffect(() => firstNewRow.current?.focus(), [focusRow]);

  const items: ActivityItem[] = first.state === "ready" ? [...first.data.items, ...(older?.items ?? [])] : [];
  const next = older ? older.next : first.state === "ready" ? first.data.next : undefined;
  const sessionTitles = useSessionTitles(
    organisationId,
    groupId,
    items.flatMap((item) => (item.sessionId ? [item.sessionId] : [])),
  );

  if (first.state === "loading") return <p>Loading activity…</p>;
  if (first.state === "failed") return <ProblemNotice problem={first.problem} />;
  if (items.length === 0) return <p>Nothing has happened in the group yet.</p>;

  const names: ActivityNames = {
    member: (id) => members.find((m) => m.id === id)?.name,
    session: (id) => sessionTitles.get(id) ?? undefined,
    vote: (id) => (votes.state === "ready" ? votes.data.items.find((v) => v.id === id)?.question : undefined),
    role: (id) =>
      roles.state === "ready" ? roles.data.items.find((r) => r.roleId === id)?.definition.name : undefined,
  };

  const loadOlder = async () => {
    if (!next || loadingOlder) return;
    setLoadingOlder(true);
    setOlderProblem(undefined);
    try {
      const page = await api.get<ActivityPage>(
        `${path}?limit=${pageSize}&before=${encodeURIComponent(next)}`,
      );
      setOlder((known) => ({ items: [...(known?.items ?? []), ...page.items], next: page.next }));
      setFocusRow(items.length);
    } catch (problem) {
      setOlderProblem(problem as ApiProblem);
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <>
      <p role="status">
        Showing {items.length === 1 ? "1 event" : `${items.length} events`}, newest first.
        {!next && " That is everything the log keeps (400 days)."}
      </p>
      <ActivityTable
        items={items}
        names={names}
        timeZone={timeZone}
        focusRow={focusRow}
        focusRef={firstNewRow}
      />
      {olderProblem && <ProblemNotice problem={olderProblem} />}
      {next && (
        // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
        <button type="button" onClick={() => void loadOlder()} aria-disabled={loadingOlder}>
          {loadingOlder ? "Loading older activity…" : "Load older activity"}
        </button>
      )}
    </>
  );
};
