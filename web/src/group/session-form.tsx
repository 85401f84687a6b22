import type { FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Group, type Member, type Session } from "../api/resources.ts";
import { TextField } from "../ui/field.tsx";
import { textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import { logisticsOf, PlaceAndFacilitatorFields, sessionFieldNames, WhenFields } from "./session-fields.tsx";

/** Schedules a session of the group; members' reminders follow from their preferences. */
export const SessionForm = ({
  organisationId,
  group,
  members,
  onScheduled,
}: {
  organisationId: string;
  group: Group;
  members: readonly Member[];
  onScheduled: (session: Session) => void;
}) => {
  const { problem, busy, submit } = useSubmit();
  const schedule = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void submit(async () => {
      const session = await api.post<Session>(apiPaths.sessions(organisationId, group.id), {
        title: textOf(data, "title"),
        startLocal: textOf(data, "startLocal"),
        ...logisticsOf(data),
      });
      form.reset();
      onScheduled(session);
    });
  };
  const error = (field: string) => problem?.fieldError(field);
  return (
    <form onSubmit={schedule} aria-labelledby="schedule-heading" className="panel">
      <h3 id="schedule-heading">Schedule a session</h3>
      {problem && <ProblemNotice problem={problem} shownBeside={(f) => sessionFieldNames.includes(f)} />}
      <TextField label="Title" name="title" required maxLength={120} error={error("title")} />
      <WhenFields startLabel="Starts" timeZone={group.timeZone} durationMinutes={90} error={error} />
      <PlaceAndFacilitatorFields members={members} nobody="Nobody yet" error={error} />
      <button type="submit" disabled={busy}>
        Schedule the session
      </button>
    </form>
  );
};
