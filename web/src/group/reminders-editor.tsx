import type { ApiProblem } from "../api/api-problem.ts";
import type { Channel, ReminderPreference } from "../api/resources.ts";
import { SelectField } from "../ui/field.tsx";
import { formatOffset } from "../ui/format.ts";

// The API takes 5 minutes to 30 days; these are the usual choices, plus whatever a member has.
const usualOffsets = [10_080, 2_880, 1_440, 720, 180, 120, 60, 30];
export const maxReminders = 6;

/** A member's reminders: which channel, how long before a session; up to six. */
export const RemindersEditor = ({
  reminders,
  onChange,
  problem,
}: {
  reminders: ReminderPreference[];
  onChange: (reminders: ReminderPreference[]) => void;
  problem?: ApiProblem | undefined;
}) => {
  const set = (index: number, change: Partial<ReminderPreference>) =>
    onChange(reminders.map((r, i) => (i === index ? { ...r, ...change } : r)));
  return (
    <fieldset>
      <legend>Reminders before each session</legend>
      {problem?.fieldError("reminders") && <p className="field-error">{problem.fieldError("reminders")}</p>}
      {reminders.length === 0 && <p>No reminders: this member hears of sessions only when they change.</p>}
      {reminders.map((reminder, i) => {
        const offsets = usualOffsets.includes(reminder.offsetMinutes)
          ? usualOffsets
          : [...usualOffsets, reminder.offsetMinutes].sort((a, b) => b - a);
        return (
          <div className="row" key={i}>
            <SelectField
              label={`Reminder ${i + 1}: channel`}
              value={reminder.channel}
              onChange={(e) => set(i, { channel: e.target.value as Channel })}
              error={problem?.fieldError(`reminders.${i}.channel`)}
            >
              <option value="email">Email</option>
              <option value="sms">SMS</option>
            </SelectField>
            <SelectField
              label={`Reminder ${i + 1}: how long before`}
              value={reminder.offsetMinutes}
              onChange={(e) => set(i, { offsetMinutes: Number(e.target.value) })}
              error={problem?.fieldError(`reminders.${i}.offsetMinutes`)}
            >
              {offsets.map((minutes) => (
                <option key={minutes} value={minutes}>
                  {formatOffset(minutes)}
                </option>
              ))}
            </SelectField>
            <button type="button" onClick={() => onChange(reminders.filter((_, j) => j !== i))}>
              Remove reminder {i + 1}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        disabled={reminders.length >= maxReminders}
        onClick={() => onChange([...reminders, { channel: "email", offsetMinutes: 2_880 }])}
      >
        Add a reminder
      </button>
    </fieldset>
  );
};
