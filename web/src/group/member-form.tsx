import { useState, type FormEvent } from "react";
import type { Member, ReminderPreference } from "../api/resources.ts";
import { TextField } from "../ui/field.tsx";
import { optionalText, textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import { RemindersEditor } from "./reminders-editor.tsx";

/** What the form sends: a new member's details, or an edit where null clears phone or quiet hours. */
export interface MemberDetails {
  name: string;
  email: string;
  phone: string | null;
  reminders: ReminderPreference[];
  quietHours: { start: string; end: string } | null;
}

const fields = ["name", "email", "phone", "quietHours", "quietHours.start", "quietHours.end"];
const shownByEditor = (field: string) => field === "reminders" || field.startsWith("reminders.");

/** Adds a member or edits one: name, contact details, reminder preferences and quiet hours. */
export const MemberForm = ({
  heading,
  member,
  submitLabel,
  onSave,
  onClose,
}: {
  heading: string;
  member?: Member;
  submitLabel: string;
  onSave: (details: MemberDetails) => Promise<void>;
  onClose: () => void;
}) => {
  const [reminders, setReminders] = useState<ReminderPreference[]>(
    member?.reminders ?? [{ channel: "email", offsetMinutes: 2_880 }],
  );
  const { problem, busy, submit } = useSubmit();
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const start = textOf(data, "quietStart");
    const end = textOf(data, "quietEnd");
    void submit(() =>
      onSave({
        name: textOf(data, "name"),
        email: textOf(data, "email"),
        phone: optionalText(data, "phone") ?? null,
        reminders,
        quietHours: start || end ? { start, end } : null,
      }),
    );
  };
  const error = (field: string) => problem?.fieldError(field);
  return (
    <form onSubmit={save} aria-label={heading} className="panel">
      <h3>{heading}</h3>
      {problem && (
        <ProblemNotice problem={problem} shownBeside={(f) => fields.includes(f) || shownByEditor(f)} />
      )}
      <TextField label="Name" name="name" required defaultValue={member?.name} error={error("name")} />
      <TextField
        label="Email"
        name="email"
        type="email"
        required
        defaultValue={member?.email}
        error={error("email")}
      />
      <TextField
        label="Mobile phone"
        name="phone"
        type="tel"
        hint="In international form, e.g. +447700900123; needed for SMS reminders"
        defaultValue={member?.phone}
        error={error("phone")}
      />
      <RemindersEditor reminders={reminders} onChange={setReminders} problem={problem} />
      <fieldset>
        <legend>Quiet hours (no SMS between)</legend>
        <div className="row">
          <TextField
            label="From"
            name="quietStart"
            type="time"
            defaultValue={member?.quietHours?.start}
            error={error("quietHours.start") ?? error("quietHours")}
          />
          <TextField
            label="Until"
            name="quietEnd"
            type="time"
            defaultValue={member?.quietHours?.end}
            error={error("quietHours.end")}
          />
        </div>
      </fieldset>
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>{" "}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </form>
  );
};
