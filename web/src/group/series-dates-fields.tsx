import { TextField } from "../ui/field.tsx";

/**
 * A list of dates a series skips (the rule's own, by day) or adds (a day and time of their
 * own), each with its remove button and the API's error for it (`exdates.0`, `rdates.2`).
 */
export const SeriesDatesFields = ({
  legend,
  noun,
  type,
  dates,
  onChange,
  errorOf,
  hint,
}: {
  legend: string;
  /** What one entry is called in labels: "Date skipped", "Date added". */
  noun: string;
  type: "date" | "datetime-local";
  dates: string[];
  onChange: (dates: string[]) => void;
  errorOf: (index: number) => string | undefined;
  hint: string;
}) => (
  <fieldset>
    <legend>{legend}</legend>
    <p className="hint">{hint}</p>
    {dates.map((date, i) => (
      <div className="row" key={i}>
        <TextField
          label={`${noun} ${i + 1}`}
          type={type}
          required
          value={date}
          onChange={(e) => onChange(dates.map((d, j) => (j === i ? e.target.value : d)))}
          error={errorOf(i)}
        />
        <button type="button" onClick={() => onChange(dates.filter((_, j) => j !== i))}>
          Remove {noun.toLowerCase()} {i + 1}
        </button>
      </div>
    ))}
    <button type="button" onClick={() => onChange([...dates, ""])}>
      Add a {noun.toLowerCase()}
    </button>
  </fieldset>
);
