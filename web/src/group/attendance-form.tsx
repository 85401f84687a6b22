import { useState, type FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { maxHeadcount } from "#domain/session.ts";
import type { ApiProblem } from "../api/api-problem.ts";
import { apiPaths, type RsvpPrivacy, type RsvpSummary, type Session } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { TextField } from "../ui/field.tsx";
import { formatLocal } from "../ui/format.ts";
import { numberOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import { NamedAttendanceFields } from "./named-attendance-fields.tsx";

/**
 * Record how many came to a session that has started, or correct the count, behind one button:
 * a headcount, or, in a group that records attendance by name, who came (the count follows).
 */
export const AttendanceForm = ({
  organisationId,
  session,
  onRecorded,
}: {
  organisationId: string;
  session: Session;
  /** Called with what happened once the API has recorded it. */
  onRecorded: (done: string) => void;
}) => {
  const [open, setOpen] = useState(false);
  const { problem, busy, submit } = useSubmit();
  const which = `${session.title}, ${formatLocal(session.startLocal, session.timeZone)}`;
  const recorded = session.attendance !== undefined;

  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void submit(async () => {
      // A headcount group's form has the number field; a named one, a checkbox per member.
      const after = data.has("headcount")
        ? await api.put<Session>(
            `${apiPaths.session(organisationId, session.groupId, session.id)}/attendance`,
            {
              headcount: numberOf(data, "headcount"),
            },
          )
        : await api.put<Session>(apiPaths.attendanceNames(organisationId, session.groupId, session.id), {
            memberIds: data.getAll("memberIds"),
          });
      setOpen(false);
      const count = after.attendance?.headcount ?? 0;
      onRecorded(
        `Recorded ${count === 1 ? "1 person" : `${count} people`} at “${after.title}” of ${formatLocal(after.startLocal, after.timeZone)}.`,
      );
    });
  };

  return (
    <div className="actions">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {recorded ? "Correct attendance" : "Record attendance"}
        <span className="visually-hidden"> of {which}</span>
      </button>
      {open && problem && (
        <ProblemNotice
          problem={problem}
          shownBeside={(f) => f === "headcount" || f === "memberIds" || f.startsWith("memberIds.")}
        />
      )}
      {open && (
        <form onSubmit={send} aria-label={`Attendance of ${which}`}>
          <AttendanceFields organisationId={organisationId} session={session} problem={problem} />
          <button type="submit" disabled={busy}>
            Save attendance
          </button>
        </form>
      )}
    </div>
  );
};

/** The group's way of recording attendance (read once the form opens): a headcount, or who came. */
const AttendanceFields = ({
  organisationId,
  session,
  problem,
}: {
  organisationId: string;
  session: Session;
  problem: ApiProblem | undefined;
}) => {
  const [privacy] = useResource<RsvpPrivacy>(apiPaths.rsvpPrivacy(organisationId, session.groupId));
  if (privacy.state === "loading") return <p>Reading how the group records attendance…</p>;
  if (privacy.state === "ready" && privacy.data.attendance === "named") {
    const named = problem?.errors.find((e) => e.field === "memberIds" || e.field.startsWith("memberIds."));
    return <NamedAttendanceFields organisationId={organisationId} session={session} error={named?.message} />;
  }
  return (
    <HeadcountField
      organisationId={organisationId}
      session={session}
      error={problem?.fieldError("headcount")}
    />
  );
};

/**
 * The headcount, starting from the session's "yes" count when it asked for RSVPs and nothing is
 * recorded yet (read only once the form opens).
 */
const HeadcountField = ({
  organisationId,
  session,
  error,
}: {
  organisationId: string;
  session: Session;
  error: string | undefined;
}) => {
  const [rsvps] = useResource<RsvpSummary>(
    apiPaths.sessionRsvps(organisationId, session.groupId, session.id),
  );
  const expected = rsvps.state === "ready" && rsvps.data.asked ? rsvps.data.counts.yes : undefined;
  if (session.attendance === undefined && rsvps.state === "loading") return <p>Reading the answers…</p>;
  return (
    <TextField
      label="People who came"
      name="headcount"
      type="number"
      inputMode="numeric"
      min={0}
      max={maxHeadcount}
      step={1}
      required
      defaultValue={session.attendance?.headcount ?? expected}
      hint={
        session.attendance === undefined && expected !== undefined
          ? `A headcount: nobody is named. ${expected} said yes.`
          : "A headcount: nobody is named"
      }
      error={error}
    />
  );
};
