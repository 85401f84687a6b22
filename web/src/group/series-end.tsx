import { useState, type FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Series } from "../api/resources.ts";
import { TextField } from "../ui/field.tsx";
import { optionalText } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";

/** Ends a series behind a button: it makes no more sessions, and those still to come are cancelled. */
export const SeriesEnd = ({
  organisationId,
  groupId,
  series,
  onEnded,
}: {
  organisationId: string;
  groupId: string;
  series: Series;
  onEnded: (done: string) => void;
}) => {
  const [open, setOpen] = useState(false);
  const { problem, busy, submit } = useSubmit();
  const end = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void submit(async () => {
      const ended = await api.post<Series>(`${apiPaths.series(organisationId, groupId, series.id)}/end`, {
        reason: optionalText(data, "reason"),
      });
      setOpen(false);
      onEnded(
        `Ended the series “${ended.title}”; its sessions still to come are cancelled and members are told.`,
      );
    });
  };
  return (
    <div className="actions">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        End series<span className="visually-hidden"> {series.title}</span>
      </button>
      {open && problem && <ProblemNotice problem={problem} shownBeside={(f) => f === "reason"} />}
      {open && (
        <form onSubmit={end} aria-label={`End the series ${series.title}`}>
          <p>Its sessions still to come are cancelled; those held keep their attendance.</p>
          <TextField
            label="Reason (members see it)"
            name="reason"
            maxLength={500}
            error={problem?.fieldError("reason")}
          />
          <button type="submit" disabled={busy}>
            End the series
          </button>
        </form>
      )}
    </div>
  );
};
