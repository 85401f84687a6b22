import { useId, useState, type FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Series, type Session } from "../api/resources.ts";
import { TextField } from "../ui/field.tsx";
import { formatLocal } from "../ui/format.ts";
import { optionalText, textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import { WhenFields } from "./session-fields.tsx";

type Scope = "this" | "following" | "all";
const scopeNames: Record<Scope, string> = {
  this: "This session",
  following: "This and following",
  all: "All sessions",
};

/** The calendar's choice of which sessions an edit or a cancellation is for. */
const ScopeChoice = ({ scope, onChange }: { scope: Scope; onChange: (scope: Scope) => void }) => {
  const id = useId();
  return (
    <fieldset>
      <legend>Which sessions</legend>
      {(Object.keys(scopeNames) as Scope[]).map((s) => (
        <div className="checkbox" key={s}>
          <input
            type="radio"
            id={`${id}-${s}`}
            name="scope"
            value={s}
            checked={scope === s}
            onChange={() => onChange(s)}
          />
          <label htmlFor={`${id}-${s}`}>{scopeNames[s]}</label>
        </div>
      ))}
    </fieldset>
  );
};

/** The day before a local date, as an RRULE UNTIL date "YYYYMMDD". */
const dayBefore = (local: string) =>
  new Date(Date.parse(`${local.slice(0, 10)}T12:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10)
    .replaceAll("-", "");

/**
 * Change or cancel a session of a series as a calendar does: this session (an override), this
 * and following (the series splits; those before keep as they are), or all sessions to come.
 * Held sessions never change. Cancelling this and following ends the series before the
 * session (its rule gets an UNTIL), or ends it outright when the session is its next.
 */
export const SeriesOccurrenceActions = ({
  organisationId,
  session,
  series,
  onChanged,
}: {
  organisationId: string;
  session: Session & { series: NonNullable<Session["series"]> };
  series: Series;
  /** What happened, and (when the bus makes it true later) how the upcoming sessions will show it. */
  onChanged: (done: string, shown?: (upcoming: Session[]) => boolean) => void;
}) => {
  const [open, setOpen] = useState<"change" | "cancel">();
  const [scope, setScope] = useState<Scope>("this");
  const { problem, busy, submit } = useSubmit();
  const path = apiPaths.series(organisationId, session.groupId, series.id);
  const occurrence = session.series.originalStartLocal;
  const which = `${session.title}, ${formatLocal(session.startLocal, session.timeZone)}`;
  const told = (what: string, shown?: (upcoming: Session[]) => boolean) => {
    setOpen(undefined);
    onChanged(what, shown);
  };
  /** The series' sessions from a date on (a split's new series keeps the title). */
  const sessionsFrom = (upcoming: Session[], date: string) =>
    upcoming.filter((s) => s.series && s.title === session.title && s.startLocal.slice(0, 10) >= date);

  const change = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const startLocal = textOf(data, "startLocal");
    const duration = Number(textOf(data, "durationMinutes"));
    // Of all sessions, the time of day changes from the next one on.
    const newStart =
      scope === "all"
        ? `${(series.nextDates[0]?.startLocal ?? occurrence).slice(0, 10)}T${startLocal.slice(11)}`
        : startLocal;
    const changes = {
      ...(startLocal !== session.startLocal ? { startLocal: newStart } : {}),
      ...(duration !== session.durationMinutes ? { durationMinutes: duration } : {}),
    };
    void submit(async () => {
      await api.patch<Series>(path, { scope, ...(scope === "all" ? {} : { occurrence }), changes });
      const from = scope === "following" ? occurrence.slice(0, 10) : "";
      told(
        `Changed “${session.title}”: ${scopeNames[scope].toLowerCase()}; members get an updated invite.`,
        scope === "this"
          ? undefined
          : (upcoming) =>
              sessionsFrom(upcoming, from).every(
                (s) => s.durationMinutes === duration && s.startLocal.slice(11) === startLocal.slice(11),
              ),
      );
    });
  };

  const isNext = series.nextDates[0]?.startLocal === occurrence;
  // Ending the series takes a reason members see; an edit of its rule has none.
  const ends = scope === "all" || (scope === "following" && isNext);
  const cancel = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = optionalText(new FormData(event.currentTarget), "reason");
    void submit(async () => {
      if (scope === "this")
        await api.patch<Series>(path, { scope, occurrence, changes: { cancelled: true } });
      else if (ends) await api.post<Series>(`${path}/end`, { reason });
      else {
        // The series stops the day before: its rule ends then, with the dates added before it.
        const rule = series.rrule.replace(/;(COUNT|UNTIL)=[^;]*/g, "");
        const rdates = series.rdates.filter((d) => d < occurrence && d >= series.nextDates[0]!.startLocal);
        await api.patch<Series>(path, {
          scope: "all",
          changes: { rrule: `${rule};UNTIL=${dayBefore(occurrence)}`, rdates },
        });
      }
      told(
        `Cancelled “${session.title}”: ${scopeNames[scope].toLowerCase()}; members are told.`,
        scope === "this"
          ? undefined
          : (upcoming) => sessionsFrom(upcoming, ends ? "" : occurrence.slice(0, 10)).length === 0,
      );
    });
  };

  const toggle = (action: "change" | "cancel") => setOpen(open === action ? undefined : action);
  const error = (field: string) => problem?.fieldError(field) ?? problem?.fieldError(`changes.${field}`);
  return (
    <div className="actions">
      <button type="button" aria-expanded={open === "change"} onClick={() => toggle("change")}>
        Change<span className="visually-hidden"> {which}</span>
      </button>
      <button type="button" aria-expanded={open === "cancel"} onClick={() => toggle("cancel")}>
        Cancel<span className="visually-hidden"> {which}</span>
      </button>
      {open && problem && (
        <ProblemNotice
          problem={problem}
          shownBeside={(f) =>
            ["startLocal", "durationMinutes", "reason"].includes(f.replace(/^changes\./, ""))
          }
        />
      )}
      {open === "change" && (
        <form onSubmit={change} aria-label={`Change ${which}`}>
          <ScopeChoice scope={scope} onChange={setScope} />
          <WhenFields
            startLabel="New start"
            startHint={scope === "this" ? "" : "; its time becomes every session's"}
            timeZone={session.timeZone}
            start={session.startLocal}
            durationMinutes={session.durationMinutes}
            error={error}
          />
          <button type="submit" disabled={busy}>
            Save the change
          </button>
        </form>
      )}
      {open === "cancel" && (
        <form onSubmit={cancel} aria-label={`Cancel ${which}`}>
          <ScopeChoice scope={scope} onChange={setScope} />
          {ends && (
            <TextField
              label="Reason (members see it)"
              name="reason"
              maxLength={500}
              error={error("reason")}
            />
          )}
          <button type="submit" disabled={busy}>
            Cancel {scope === "this" ? "the session" : "the sessions"}
          </button>
        </form>
      )}
    </div>
  );
};
