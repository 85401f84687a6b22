import type { FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type RsvpPrivacy } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { SelectField, TextField } from "../ui/field.tsx";
import { numberOf, textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";

/**
 * The group's RSVP privacy: who sees names beside answers, and how attendance is recorded.
 * Other members never see who said yes, whatever is chosen here.
 */
export const RsvpPrivacyForm = ({
  organisationId,
  groupId,
  onSaved,
}: {
  organisationId: string;
  groupId: string;
  /** Called with what happened once the API has saved it. */
  onSaved: (done: string) => void;
}) => {
  const path = apiPaths.rsvpPrivacy(organisationId, groupId);
  const [privacy, reload] = useResource<RsvpPrivacy>(path);
  const { problem, busy, submit } = useSubmit();
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void submit(async () => {
      const saved = await api.put<RsvpPrivacy>(path, {
        names: textOf(data, "names"),
        attendance: textOf(data, "attendance"),
        // Sent as shown: left out, a save would put the group's retention back to 12 months.
        retentionMonths: numberOf(data, "retentionMonths"),
      });
      reload();
      onSaved(
        saved.names === "counts"
          ? "Saved: nobody sees names beside answers, only counts."
          : saved.names === "opt-in"
            ? "Saved: names are shown only of members who chose to show theirs."
            : "Saved: the group's facilitators and coordinators see names beside answers.",
      );
    });
  };
  if (privacy.state === "loading") return <p>Loading the group's privacy…</p>;
  if (privacy.state === "failed") return <ProblemNotice problem={privacy.problem} />;
  return (
    <form onSubmit={send} aria-label="Who is coming: privacy">
      {problem && (
        <ProblemNotice
          problem={problem}
          shownBeside={(f) => f === "names" || f === "attendance" || f === "retentionMonths"}
        />
      )}
      <SelectField
        label="Who sees names beside answers"
        name="names"
        defaultValue={privacy.data.names}
        hint="Other members never see who is coming."
        error={problem?.fieldError("names")}
      >
        <option value="organisers">Facilitators and coordinators</option>
        <option value="counts">Nobody: counts only</option>
        <option value="opt-in">Only members who choose to show their name</option>
      </SelectField>
      <SelectField
        label="How attendance is recorded"
        name="attendance"
        defaultValue={privacy.data.attendance}
        error={problem?.fieldError("attendance")}
      >
        <option value="headcount">A headcount</option>
        <option value="named">Named, by the facilitator</option>
      </SelectField>
      <TextField
        label="Months named records are kept"
        name="retentionMonths"
        type="number"
        min={1}
        max={120}
        defaultValue={privacy.data.retentionMonths}
        hint="Then only the count remains."
        error={problem?.fieldError("retentionMonths")}
      />
      <button type="submit" disabled={busy}>
        Save privacy
      </button>
    </form>
  );
};
