import { useId, useState, type FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Member } from "../api/resources.ts";
import { SelectField, TextField } from "../ui/field.tsx";
import { textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import type { GroupRole } from "./role-resource.ts";

const fields = ["memberId", "termEndsAt", "override", "override.reason"];

/**
 * Assigns a member of the group to the role. The API refuses a member without the role's
 * training current (beside the member field); an umbrella admin may override that with a reason,
 * so only they are offered the override (the API refuses anyone else's).
 */
export const RoleHolderForm = ({
  organisationId,
  role,
  members,
  mayOverride,
  onAssigned,
}: {
  organisationId: string;
  role: GroupRole;
  members: readonly Member[];
  mayOverride: boolean;
  /** Called with the new holder's name once the API has assigned them. */
  onAssigned: (name: string) => void;
}) => {
  const [overriding, setOverriding] = useState(false);
  const overrideId = useId();
  const { problem, busy, submit } = useSubmit();
  const { name, requiredTrainingIds: training, termMonths } = role.definition;
  const candidates = members.filter((m) => !role.holders.some((h) => h.memberId === m.id));

  const assign = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const memberId = textOf(data, "memberId");
    const ends = textOf(data, "termEndsAt");
    void submit(async () => {
      await api.post<GroupRole>(apiPaths.roleHolders(organisationId, role.groupId, role.roleId), {
        memberId,
        // The browser reads the field in the user's own zone; the API takes an instant.
        ...(ends ? { termEndsAt: Number.isNaN(Date.parse(ends)) ? ends : new Date(ends).toISOString() } : {}),
        ...(overriding ? { override: { reason: textOf(data, "overrideReason") } } : {}),
      });
      onAssigned(members.find((m) => m.id === memberId)?.name ?? "The member");
    });
  };
  const error = (field: string) => problem?.fieldError(field);
  return (
    <form onSubmit={assign} aria-label={`Assign a holder to ${name}`}>
      {problem && <ProblemNotice problem={problem} shownBeside={(f) => fields.includes(f)} />}
      <SelectField
        label="Member"
        name="memberId"
        required
        defaultValue=""
        hint={training.length > 0 ? `Needs current training in ${training.join(", ")}` : undefined}
        error={error("memberId")}
      >
        <option value="">Choose a member</option>
        {candidates.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Term ends (optional)"
        name="termEndsAt"
        type="datetime-local"
        hint={`In your own time zone; if empty, ${termMonths ? `${termMonths} months from now` : "no end"}`}
        error={error("termEndsAt")}
      />
      {mayOverride && training.length > 0 && (
        <fieldset>
          <legend>Umbrella admins only</legend>
          <div className="checkbox">
            <input
              type="checkbox"
              id={overrideId}
              checked={overriding}
              onChange={(e) => setOverriding(e.target.checked)}
            />
            <label htmlFor={overrideId}>Assign without the required training</label>
          </div>
          {overriding && (
            <TextField
              label="Reason for the override"
              name="overrideReason"
              required
              maxLength={500}
              hint="Kept with the holder, e.g. where the training was done elsewhere"
              error={error("override.reason") ?? error("override")}
            />
          )}
        </fieldset>
      )}
      <button type="submit" disabled={busy}>
        Assign the member<span className="visually-hidden"> to {name}</span>
      </button>
    </form>
  );
};
