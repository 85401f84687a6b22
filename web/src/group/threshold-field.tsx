import { useEffect, useId, useRef, useState } from "react";
import { describeThreshold, thresholdFromPercent, type ThresholdRule } from "#domain/vote-threshold.ts";
import { TextField } from "../ui/field.tsx";
import { textOf } from "../ui/form-values.ts";

/**
 * What carries the vote, in words a coordinator reads: the common rules by name, or "at least"
 * a percentage typed (66.67 is read as two-thirds, as the API reads 0.6667). A simple
 * majority is its own rule, "more than half", so "at least 50%" and "more than half" never
 * get confused.
 */
const rules: Record<string, { label: string; rule?: ThresholdRule }> = {
  majority: { label: "More than half (a simple majority)", rule: { kind: "majority" } },
  "two-thirds": { label: "At least two-thirds", rule: { kind: "at-least", numerator: 2, denominator: 3 } },
  "three-quarters": {
    label: "At least three-quarters",
    rule: { kind: "at-least", numerator: 3, denominator: 4 },
  },
  all: { label: "All of them (unanimous)", rule: { kind: "at-least", numerator: 1, denominator: 1 } },
  share: { label: "At least a percentage I choose" },
};

/**
 * The threshold the form asks for, as the API takes it; null when the percentage typed is not
 * one from 0 to 100, which the API reports beside the field.
 */
export const thresholdOf = (data: FormData): ThresholdRule | null => {
  const picked = rules[textOf(data, "thresholdRule")];
  if (picked?.rule) return picked.rule;
  return thresholdFromPercent(textOf(data, "thresholdPercent")) ?? null;
};

/** The threshold's fields: the rule, and the percentage when the coordinator sets their own. */
export const ThresholdField = ({ error }: { error?: string | undefined }) => {
  const [picked, setPicked] = useState("majority");
  const [typed, setTyped] = useState("");
  const select = useRef<HTMLSelectElement>(null);
  const id = useId();
  // The form resets after a vote opens; the percentage field goes with its rule.
  useEffect(() => {
    const form = select.current?.form;
    const reset = () => {
      setPicked("majority");
      setTyped("");
    };
    form?.addEventListener("reset", reset);
    return () => form?.removeEventListener("reset", reset);
  }, []);
  const custom = picked === "share";
  const reading = custom ? thresholdFromPercent(typed) : undefined;
  return (
    <>
      <div className="field">
        <label htmlFor={id}>Votes needed to carry</label>
        <select
          id={id}
          ref={select}
          name="thresholdRule"
          value={picked}
          onChange={(e) => setPicked(e.target.value)}
          aria-describedby={error && !custom ? `${id}-hint ${id}-error` : `${id}-hint`}
          aria-invalid={error && !custom ? true : undefined}
        >
          {Object.entries(rules).map(([value, { label }]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <span id={`${id}-hint`} className="hint">
          Of the votes for or against: abstentions count towards turnout only.
        </span>
        {error && !custom && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
      {custom && (
        <TextField
          label="At least this % of the votes"
          name="thresholdPercent"
          inputMode="decimal"
          required
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          hint={
            reading
              ? `Needs ${describeThreshold(reading)} of the votes.`
              : "A percentage from 0 to 100; 66.67 means two-thirds."
          }
          error={error}
        />
      )}
    </>
  );
};
