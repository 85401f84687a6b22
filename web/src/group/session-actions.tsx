import { useState, type FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Session } from "../api/resources.ts";
import { TextField } from "../ui/field.tsx";
import { formatLocal } from "../ui/format.ts";
import { optionalText, textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import { WhenFields } from "./session-fields.tsx";

/** Reschedule or cancel one session, each behind a button that opens its small form. */
export const SessionActions = ({
  organisationId,
  session,
  onChanged,
}: {
  organisationId: string;
  session: Session;
  /** Called with what happened, e.g. "Cancelled …", once the API has done it. */
  onChanged: (done: string) => void;
}) => {
  const [open, setOpen] = useState<"reschedule" | "cancel">();
  const { problem, busy, submit } = useSubmit();
  const path = apiPaths.session(organisationId, session.groupId, session.id);
  const which = `${session.title}, ${formatLocal(session.startLocal, session.timeZone)}`;

  const send = (action: "reschedule" | "cancel") => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const duration = optionalText(data, "durationMinutes");
    void submit(async () => {
      const after = await api.post<Session>(
        `${path}/${action}`,
        action === "reschedule"
          ? {
              startLocal: textOf(data, "startLocal"),
              ...(duration ? { durationMinutes: Number(duration) } : {}),
            }
          : { reason: optionalText(data, "reason") },
      );
      setOpen(undefined);
      onChanged(
        action === "reschedule"
          ? `Moved “${after.title}” to ${formatLocal(after.startLocal, after.timeZone)}; members get an updated invite.`
          : `Cancelled “${after.title}” of ${formatLocal(after.startLocal, after.timeZone)}; members are told.`,
      );
    });
  };
  const toggle = (action: "reschedule" | "cancel") => setOpen(open === action ? undefined : action);
  const error = (field: string) => problem?.fieldError(field);

  return (
    <div className="actions">
      <button type="button" aria-expanded={open === "reschedule"} onClick={() => toggle("reschedule")}>
        Reschedule<span className="visually-hidden"> {which}</span>
      </button>
      <button type="button" aria-expanded={open === "cancel"} onClick={() => toggle("cancel")}>
        Cancel<span className="visually-hidden"> {which}</span>
      </button>
      {open && problem && (
        <ProblemNotice
          problem={problem}
          shownBeside={(f) => ["startLocal", "durationMinutes", "reason"].includes(f)}
        />
      )}
      {open === "reschedule" && (
        <form onSubmit={send("reschedule")} aria-label={`Reschedule ${which}`}>
          <WhenFields
            startLabel="New start"
            timeZone={session.timeZone}
            start={session.startLocal}
            durationMinutes={session.durationMinutes}
            error={error}
          />
          <button type="submit" disabled={busy}>
            Move the session
          </button>
        </form>
      )}
      {open === "cancel" && (
        <form onSubmit={send("cancel")} aria-label={`Cancel ${which}`}>
          <TextField label="Reason (members see it)" name="reason" maxLength={500} error={error("reason")} />
          <button type="submit" disabled={busy}>
            Cancel the session
          </button>
        </form>
      )}
    </div>
  );
};
