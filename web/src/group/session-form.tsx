import type { FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Group, type Member, type Session } from "../api/resources.ts";
import { SelectField, TextField } from "../ui/field.tsx";
import { groupClockHint } from "../ui/format.ts";
import { optionalText, textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";

const fields = [
  "title",
  "startLocal",
  "durationMinutes",
  "venue.name",
  "venue.address",
  "onlineUrl",
  "facilitatorMemberId",
];

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
    const venueName = textOf(data, "venueName");
    const venueAddress = optionalText(data, "venueAddress");
    const duration = optionalText(data, "durationMinutes");
    void submit(async () => {
      const session = await api.post<Session>(apiPaths.sessions(organisationId, group.id), {
        title: textOf(data, "title"),
        startLocal: textOf(data, "startLocal"),
        ...(duration ? { durationMinutes: Number(duration) } : {}),
        ...(venueName || venueAddress ? { venue: { name: venueName, address: venueAddress } } : {}),
        onlineUrl: optionalText(data, "onlineUrl"),
        facilitatorMemberId: optionalText(data, "facilitatorMemberId"),
      });
      form.reset();
      onScheduled(session);
    });
  };
  const error = (field: string) => problem?.fieldError(field);
  return (
    <form onSubmit={schedule} aria-labelledby="schedule-heading" className="panel">
      <h3 id="schedule-heading">Schedule a session</h3>
      {problem && <ProblemNotice problem={problem} shownBeside={(f) => fields.includes(f)} />}
      <TextField label="Title" name="title" required maxLength={120} error={error("title")} />
      <TextField
        label="Starts"
        name="startLocal"
        type="datetime-local"
        required
        hint={groupClockHint(group.timeZone)}
        error={error("startLocal")}
      />
      <TextField
        label="Length in minutes"
        name="durationMinutes"
        type="number"
        min={15}
        max={720}
        defaultValue={90}
        error={error("durationMinutes")}
      />
      <TextField label="Venue" name="venueName" error={error("venue.name")} />
      <TextField label="Venue address" name="venueAddress" error={error("venue.address")} />
      <TextField label="Online link" name="onlineUrl" type="url" error={error("onlineUrl")} />
      <SelectField label="Facilitator" name="facilitatorMemberId" error={error("facilitatorMemberId")}>
        <option value="">Nobody yet</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </SelectField>
      <button type="submit" disabled={busy}>
        Schedule the session
      </button>
    </form>
  );
};
