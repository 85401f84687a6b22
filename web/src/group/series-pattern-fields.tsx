import { useId, type ReactNode } from "react";
import { SelectField, TextField } from "../ui/field.tsx";
import { dayNames, nthChoices, weekdays, type SeriesPattern, type Weekday } from "./series-pattern.ts";

/** A whole number typed in a field; NaN when it is empty, which the API reports beside the pattern. */
const whole = (text: string) => (text === "" ? Number.NaN : Number(text));
const shown = (n: number) => (Number.isNaN(n) ? "" : n);

/** A labelled radio button or checkbox. */
const Choice = ({
  type,
  name,
  label,
  checked,
  onChange,
}: {
  type: "radio" | "checkbox";
  name: string;
  label: string;
  checked: boolean;
  onChange: () => void;
}) => {
  const id = useId();
  return (
    <div className="checkbox">
      <input type={type} id={id} name={name} checked={checked} onChange={onChange} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
};

/** A fieldset whose error (the API's, for the rule) is shown inside it and tied to it. */
const Group = ({
  legend,
  error,
  children,
}: {
  legend: string;
  error?: string | undefined;
  children: ReactNode;
}) => {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {children}
    </fieldset>
  );
};

const repeatChoices = [
  ["weekly", "Every week, or every few weeks"],
  ["monthly-weekday", "Monthly, on a weekday (such as the last Sunday)"],
  ["monthly-day", "Monthly, on a day of the month"],
] as const;

/**
 * How a series repeats and when it ends, in plain controls: weekly or every n weeks on chosen
 * days; monthly on the nth or last weekday; monthly on a day of the month; ending never, on a
 * date or after a number of sessions. The API's error for the rule is shown beside the part
 * it concerns: `endsError` beside the end, `patternError` beside the rest.
 */
export const SeriesPatternFields = ({
  pattern,
  onChange,
  patternError,
  endsError,
}: {
  pattern: SeriesPattern;
  onChange: (pattern: SeriesPattern) => void;
  patternError?: string | undefined;
  endsError?: string | undefined;
}) => {
  const set = (change: Partial<SeriesPattern>) => onChange({ ...pattern, ...change });
  const toggleDay = (day: Weekday) =>
    set({
      days: pattern.days.includes(day) ? pattern.days.filter((d) => d !== day) : [...pattern.days, day],
    });
  const unit = pattern.repeats === "weekly" ? "weeks" : "months";
  return (
    <>
      <Group legend="Repeats" error={patternError}>
        {repeatChoices.map(([value, label]) => (
          <Choice
            key={value}
            type="radio"
            name="repeats"
            label={label}
            checked={pattern.repeats === value}
            onChange={() => set({ repeats: value, interval: 1 })}
          />
        ))}
        <TextField
          label={`Every how many ${unit}`}
          type="number"
          min={1}
          max={pattern.repeats === "weekly" ? 52 : 12}
          value={shown(pattern.interval)}
          onChange={(e) => set({ interval: whole(e.target.value) })}
          hint={pattern.repeats === "weekly" ? "2 is every other week" : "1 is every month"}
        />
        {pattern.repeats === "weekly" && (
          <fieldset>
            <legend>On these days</legend>
            <div className="row">
              {weekdays.map((day) => (
                <Choice
                  key={day}
                  type="checkbox"
                  name="days"
                  label={dayNames[day]}
                  checked={pattern.days.includes(day)}
                  onChange={() => toggleDay(day)}
                />
              ))}
            </div>
          </fieldset>
        )}
        {pattern.repeats === "monthly-weekday" && (
          <div className="row">
            <SelectField
              label="Which one in the month"
              value={pattern.nth}
              onChange={(e) => set({ nth: Number(e.target.value) })}
            >
              {nthChoices.map(([nth, word]) => (
                <option key={nth} value={nth}>
                  {word}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Weekday"
              value={pattern.weekday}
              onChange={(e) => set({ weekday: e.target.value as Weekday })}
            >
              {weekdays.map((day) => (
                <option key={day} value={day}>
                  {dayNames[day]}
                </option>
              ))}
            </SelectField>
          </div>
        )}
        {pattern.repeats === "monthly-day" && (
          <TextField
            label="Day of the month"
            type="number"
            min={1}
            max={31}
            value={shown(pattern.monthDay)}
            onChange={(e) => set({ monthDay: whole(e.target.value) })}
            hint="Months without that day are skipped"
          />
        )}
      </Group>
      <Group legend="Ends" error={endsError}>
        <Choice
          type="radio"
          name="ends"
          label="Never"
          checked={pattern.ends === "never"}
          onChange={() => set({ ends: "never" })}
        />
        <Choice
          type="radio"
          name="ends"
          label="On a date"
          checked={pattern.ends === "on"}
          onChange={() => set({ ends: "on" })}
        />
        {pattern.ends === "on" && (
          <TextField
            label="Last date"
            type="date"
            required
            value={pattern.until}
            onChange={(e) => set({ until: e.target.value })}
          />
        )}
        <Choice
          type="radio"
          name="ends"
          label="After a number of sessions"
          checked={pattern.ends === "after"}
          onChange={() => set({ ends: "after" })}
        />
        {pattern.ends === "after" && (
          <TextField
            label="How many sessions"
            type="number"
            min={1}
            max={1000}
            required
            value={shown(pattern.count)}
            onChange={(e) => set({ count: whole(e.target.value) })}
          />
        )}
      </Group>
    </>
  );
};
