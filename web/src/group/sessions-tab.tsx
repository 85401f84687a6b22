import { useState } from "react";
import { apiPaths, type Group, type Items, type Member, type Session } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { formatLocal } from "../ui/format.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { PastSessions } from "./past-sessions.tsx";
import { SessionActions } from "./session-actions.tsx";
import { SessionForm } from "./session-form.tsx";

/**
 * The group's upcoming sessions, soonest first, with scheduling, rescheduling and cancelling;
 * then the recent ones, with their attendance.
 */
export const SessionsTab = ({
  organisationId,
  group,
  members,
}: {
  organisationId: string;
  group: Group;
  members: readonly Member[];
}) => {
  const [sessions, reload] = useResource<Items<Session>>(
    `${apiPaths.sessions(organisationId, group.id)}?limit=50`,
  );
  // What the last action did: a cancelled session leaves the list, so this says so.
  const [done, setDone] = useState("");
  const changed = (what: string) => {
    setDone(what);
    reload();
  };
  const nameOf = (memberId?: string) => members.find((m) => m.id === memberId)?.name;
  return (
    <>
      <p role="status">{done}</p>
      <h3>Upcoming sessions</h3>
      {sessions.state === "loading" && <p>Loading sessions…</p>}
      {sessions.state === "failed" && <ProblemNotice problem={sessions.problem} />}
      {sessions.state === "ready" && sessions.data.items.length === 0 && <p>No sessions are scheduled.</p>}
      {sessions.state === "ready" && sessions.data.items.length > 0 && (
        <div className="scroll">
          <table>
            <caption className="visually-hidden">Upcoming sessions, soonest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Session</th>
                <th scope="col">Where</th>
                <th scope="col">Facilitator</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.items.map((s) => (
                <tr key={s.id}>
                  <td>{formatLocal(s.startLocal, s.timeZone)}</td>
                  <th scope="row">{s.title}</th>
                  <td>
                    {[s.venue?.name, s.venue?.address].filter(Boolean).join(", ")}
                    {s.onlineUrl && <div>Online</div>}
                  </td>
                  <td>{nameOf(s.facilitatorMemberId) ?? <span className="warn">Nobody yet</span>}</td>
                  <td>{s.status === "cancelled" ? "Cancelled" : "Scheduled"}</td>
                  <td>
                    {s.status === "scheduled" && (
                      <SessionActions organisationId={organisationId} session={s} onChanged={changed} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SessionForm
        organisationId={organisationId}
        group={group}
        members={members}
        onScheduled={(s) =>
          changed(`Scheduled “${s.title}” for ${formatLocal(s.startLocal, s.timeZone)}; reminders follow.`)
        }
      />
      <PastSessions organisationId={organisationId} groupId={group.id} onRecorded={setDone} />
    </>
  );
};
