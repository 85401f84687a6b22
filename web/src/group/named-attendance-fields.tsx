import {
  apiPaths,
  type AttendanceNames,
  type Items,
  type Member,
  type RsvpSummary,
  type Session,
} from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";

/**
 * The group's members as checkboxes, for a group that records who came: ticked as recorded
 * while the names are kept, or else, before anything is recorded, as those who said yes and
 * hold a place (read only once the form opens). Their ids go as `memberIds`.
 */
export const NamedAttendanceFields = ({
  organisationId,
  session,
  error,
}: {
  organisationId: string;
  session: Session;
  error: string | undefined;
}) => {
  const { groupId, id } = session;
  const [members] = useResource<Items<Member>>(apiPaths.groupMembers(organisationId, groupId));
  const [rsvps] = useResource<RsvpSummary>(apiPaths.sessionRsvps(organisationId, groupId, id));
  const [kept] = useResource<AttendanceNames>(apiPaths.attendanceNames(organisationId, groupId, id));
  if (members.state === "failed") return <ProblemNotice problem={members.problem} />;
  if (kept.state === "failed") return <ProblemNotice problem={kept.problem} />;
  if (members.state === "loading" || kept.state === "loading" || rsvps.state === "loading")
    return <p>Reading who was expected…</p>;
  const recorded = kept.data.memberIds ?? [];
  // Names are shown beside answers only as the group's privacy allows: none, none ticked.
  const saidYes =
    rsvps.state === "ready"
      ? (rsvps.data.answers ?? [])
          .filter((a) => a.answer === "yes" && a.place !== "waiting")
          .map((a) => a.memberId)
      : [];
  const ticked = new Set(recorded.length > 0 || session.attendance ? recorded : saidYes);
  const faded = session.attendance !== undefined && session.attendance.headcount > 0 && recorded.length === 0;
  const errorId = `attendance-names-${id}-error`;
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>Who came</legend>
      <p className="hint">
        {faded
          ? `A count of ${session.attendance!.headcount} is recorded; no names are kept for it.`
          : recorded.length > 0 || session.attendance
            ? "As recorded. Only the group's organisers see these names; they fade to a count after the group's retention."
            : saidYes.length > 0
              ? `Ticked: the ${saidYes.length === 1 ? "member" : `${saidYes.length} members`} who said yes.`
              : "Only the group's organisers see these names; they fade to a count after the group's retention."}
      </p>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {members.data.items.map((m) => (
        <div className="checkbox" key={m.id}>
          <input
            type="checkbox"
            id={`came-${id}-${m.id}`}
            name="memberIds"
            value={m.id}
            defaultChecked={ticked.has(m.id)}
          />
          <label htmlFor={`came-${id}-${m.id}`}>{m.name}</label>
        </div>
      ))}
    </fieldset>
  );
};
