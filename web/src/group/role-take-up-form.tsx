import { useState, type FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Items } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { SelectField, TextField } from "../ui/field.tsx";
import { optionalText, textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import type { GroupRole, RoleDefinition } from "./role-resource.ts";

const fields = ["roleId", "maxHolders"];

/** What the catalogue says of a role, as the role field's hint. */
const about = (role: RoleDefinition) =>
  [
    role.description,
    role.critical && "Critical: a vacancy alerts the umbrella admins.",
    role.requiredTrainingIds.length > 0 &&
      `Needs current training in ${role.requiredTrainingIds.join(", ")}.`,
  ]
    .filter(Boolean)
    .join(" ");

/** The group takes up a role from the organisation's catalogue; it is vacant until someone holds it. */
export const RoleTakeUpForm = ({
  organisationId,
  groupId,
  taken,
  onTakenUp,
  onClose,
}: {
  organisationId: string;
  groupId: string;
  /** The ids of the roles the group has already. */
  taken: readonly string[];
  onTakenUp: (role: GroupRole) => void;
  onClose: () => void;
}) => {
  const [catalogue] = useResource<Items<RoleDefinition>>(apiPaths.roleCatalogue(organisationId));
  const [roleId, setRoleId] = useState("");
  const { problem, busy, submit } = useSubmit();
  const available =
    catalogue.state === "ready" ? catalogue.data.items.filter((d) => !taken.includes(d.id)) : [];
  const chosen = available.find((d) => d.id === roleId);

  const takeUp = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const maxHolders = optionalText(data, "maxHolders");
    void submit(async () => {
      const role = await api.post<GroupRole>(apiPaths.roles(organisationId, groupId), {
        roleId: textOf(data, "roleId"),
        ...(maxHolders ? { maxHolders: Number(maxHolders) } : {}),
      });
      onTakenUp(role);
    });
  };
  const error = (field: string) => problem?.fieldError(field);
  return (
    <form onSubmit={takeUp} aria-labelledby="take-up-heading" className="panel">
      <h3 id="take-up-heading">Take up a role</h3>
      {problem && <ProblemNotice problem={problem} shownBeside={(f) => fields.includes(f)} />}
      {catalogue.state === "loading" && <p>Loading the organisation's roles…</p>}
      {catalogue.state === "failed" && <ProblemNotice problem={catalogue.problem} />}
      {catalogue.state === "ready" && available.length === 0 && (
        <p>The group has taken up every role in the organisation's catalogue.</p>
      )}
      {available.length > 0 && (
        <>
          <SelectField
            label="Role"
            name="roleId"
            required
            value={roleId}
            onChange={(e) => setRoleId(e.target.value)}
            hint={chosen && about(chosen)}
            error={error("roleId")}
          >
            <option value="">Choose a role</option>
            {available.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="How many members may hold it at once"
            name="maxHolders"
            type="number"
            min={1}
            max={10}
            defaultValue={1}
            error={error("maxHolders")}
          />
          <button type="submit" disabled={busy}>
            Take up the role
          </button>{" "}
        </>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </form>
  );
};
