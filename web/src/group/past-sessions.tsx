import { apiPaths, type Items, type Session } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { formatLocal } from "../ui/format.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { AttendanceForm } from "./attendance-form.tsx";

/** The group's sessions that have started, latest first, with how many came to each. */
export const PastSessions = ({
  organisationId,
  groupId,
  onRecorded,
}: {
  organisationId: string;
  groupId: string;
  onRecorded: (done: string) => void;
}) => {
  const [sessions, reload] = useResource<Items<Session>>(
    `${apiPaths.sessions(organisationId, groupId)}?when=past&limit=10`,
  );
  const recorded = (done: string) => {
    onRecorded(done);
    reload();
  };
  return (
    <>
      <h3>Recent sessions</h3>
      {sessions.state === "loading" && <p>Loading recent sessions…</p>}
      {sessions.state === "failed" && <ProblemNotice problem={sessions.problem} />}
      {sessions.state === "ready" && sessions.data.items.length === 0 && <p>No session has been held yet.</p>}
      {sessions.state === "ready" && sessions.data.items.length > 0 && (
        <div className="scroll">
          <table>
            <caption className="visually-hidden">Recent sessions, latest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Session</th>
                <th scope="col">Attendance</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.items.map((s) => (
                <tr key={s.id}>
                  <td>{formatLocal(s.startLocal, s.timeZone)}</td>
                  <th scope="row">{s.title}</th>
                  <td>
                    {s.attendance ? s.attendance.headcount : <span className="warn">Not recorded</span>}
                  </td>
                  <td>
                    <AttendanceForm organisationId={organisationId} session={s} onRecorded={recorded} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
};
