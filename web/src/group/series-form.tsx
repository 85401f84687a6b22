import { useRef, useState, type FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Group, type Member, type Series, type SeriesInput } from "../api/resources.ts";
import { TextField } from "../ui/field.tsx";
import { formatLocal, groupClockHint } from "../ui/format.ts";
import { textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import { SeriesDatesFields } from "./series-dates-fields.tsx";
import { SeriesPatternFields } from "./series-pattern-fields.tsx";
import { logisticsOf, PlaceAndFacilitatorFields, sessionFieldNames, WhenFields } from "./session-fields.tsx";
import { initialPattern, patternFrom, rruleOf } from "./series-pattern.ts";

const shownBeside = (field: string) =>
  sessionFieldNames.includes(field) || field === "rrule" || /^(exdates|rdates)\.\d+$/.test(field);
/** The rule's errors about its end (UNTIL, COUNT) go beside "Ends"; the others beside "Repeats". */
const aboutTheEnd = (message: string) => /\b(UNTIL|COUNT)\b/.test(message);

/**
 * Makes a series of the group's sessions: what a session has (title, first date and time on the
 * group's clock, length, venue or link, facilitator) and how it repeats, in plain controls
 * that build the RRULE. "Check the dates" asks the API for the rule in words and the next five
 * dates, writing nothing; "Save the series" is offered only for what was checked, and any
 * change asks for a new check.
 */
export const SeriesForm = ({
  organisationId,
  group,
  members,
  onSaved,
}: {
  organisationId: string;
  group: Group;
  members: readonly Member[];
  onSaved: (series: Series) => void;
}) => {
  const form = useRef<HTMLFormElement>(null);
  const [pattern, setPattern] = useState(initialPattern);
  // Until the coordinator picks a pattern, it follows the first date (its weekday, its week of the month).
  const [patternChosen, setPatternChosen] = useState(false);
  const [skipped, setSkipped] = useState<string[]>([]);
  const [added, setAdded] = useState<string[]>([]);
  const [preview, setPreview] = useState<Series>();
  const { problem, busy, submit } = useSubmit();

  const bodyOf = (element: HTMLFormElement): SeriesInput => {
    const data = new FormData(element);
    const startLocal = textOf(data, "startLocal");
    return {
      title: textOf(data, "title"),
      startLocal,
      ...logisticsOf(data),
      rrule: rruleOf(pattern),
      // A date skipped is one of the rule's: that day at the series' time.
      exdates: skipped.map((date) => `${date}T${startLocal.slice(11, 16)}`),
      rdates: added,
    };
  };

  const check = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = bodyOf(event.currentTarget);
    void submit(async () => {
      setPreview(await api.post<Series>(apiPaths.seriesPreview(organisationId, group.id), body));
    });
  };
  const save = () => {
    const body = bodyOf(form.current!);
    void submit(async () => {
      const series = await api.post<Series>(apiPaths.seriesList(organisationId, group.id), body);
      form.current?.reset();
      setPattern(initialPattern);
      setPatternChosen(false);
      setSkipped([]);
      setAdded([]);
      setPreview(undefined);
      onSaved(series);
    });
  };
  // Whatever changes, the dates checked no longer stand for the form.
  const changed = (event: FormEvent<HTMLFormElement>) => {
    setPreview(undefined);
    const input = event.target as HTMLInputElement;
    if (input.name === "startLocal" && !patternChosen)
      setPattern(patternFrom(input.value.slice(0, 10), pattern));
  };
  const listChanged = (set: (dates: string[]) => void) => (dates: string[]) => {
    setPreview(undefined);
    set(dates);
  };
  const error = (field: string) => problem?.fieldError(field);
  const rruleError = error("rrule");

  return (
    <form ref={form} onSubmit={check} onChange={changed} aria-labelledby="series-heading" className="panel">
      <h3 id="series-heading">New series</h3>
      <p className="hint">
        Sessions on a pattern: the next 13 weeks' are scheduled at once, with their reminders, and more follow
        as the weeks pass.
      </p>
      {problem && <ProblemNotice problem={problem} shownBeside={shownBeside} />}
      <TextField label="Title" name="title" required maxLength={120} error={error("title")} />
      <WhenFields
        startLabel="First session"
        startHint="; every session starts at this time"
        timeZone={group.timeZone}
        durationMinutes={90}
        error={error}
      />
      <PlaceAndFacilitatorFields
        members={members}
        nobody="Whoever holds the facilitator role"
        error={error}
      />
      <SeriesPatternFields
        pattern={pattern}
        onChange={(p) => {
          setPatternChosen(true);
          setPattern(p);
        }}
        patternError={rruleError && !aboutTheEnd(rruleError) ? rruleError : undefined}
        endsError={rruleError && aboutTheEnd(rruleError) ? rruleError : undefined}
      />
      <SeriesDatesFields
        legend="Dates skipped"
        noun="Date skipped"
        type="date"
        dates={skipped}
        onChange={listChanged(setSkipped)}
        errorOf={(i) => error(`exdates.${i}`)}
        hint="Days the rule gives on which the group does not meet, such as a holiday"
      />
      <SeriesDatesFields
        legend="Dates added"
        noun="Date added"
        type="datetime-local"
        dates={added}
        onChange={listChanged(setAdded)}
        errorOf={(i) => error(`rdates.${i}`)}
        hint={`Extra sessions beside the rule's, at most one a day; ${groupClockHint(group.timeZone)}`}
      />
      <button type="submit" disabled={busy}>
        Check the dates
      </button>
      <div aria-live="polite">
        {preview && (
          <section aria-labelledby="series-preview-heading" className="preview">
            <h4 id="series-preview-heading">Before saving</h4>
            <p>{preview.ruleInWords}</p>
            <p>The next five dates:</p>
            <ol>
              {preview.nextDates.map((d) => (
                <li key={d.startLocal}>{formatLocal(d.startLocal, group.timeZone)}</li>
              ))}
            </ol>
            <button type="button" disabled={busy} onClick={save}>
              Save the series
            </button>
          </section>
        )}
      </div>
    </form>
  );
};
