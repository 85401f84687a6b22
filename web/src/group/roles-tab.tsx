import { useState } from "react";
import { apiPaths, type Group, type Items, type LeadershipModel, type Member } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import type { SignedInUser } from "../sign-in/signed-in-user.ts";
import { formatInstant } from "../ui/format.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { RoleActions } from "./role-actions.tsx";
import type { GroupRole } from "./role-resource.ts";
import { RoleTakeUpForm } from "./role-take-up-form.tsx";

/** How a vacancy with volunteers is filled where nobody appoints. */
const fillsItself: Partial<Record<LeadershipModel, string>> = {
  collective:
    "This group leads collectively: a single volunteer is confirmed unless a member objects, and several are put to a vote.",
  rotating: "This group rotates its roles: a vacancy is offered to the next member in the rotation.",
};

/**
 * The group's roles, who holds them, and their vacancies, with what the umbrella admin and the
 * group's coordinators may do: take up a catalogue role, assign a holder, step one down, and
 * appoint a volunteer where the group has a designated leader.
 */
export const RolesTab = ({
  user,
  organisationId,
  group,
  members,
}: {
  user: SignedInUser;
  organisationId: string;
  group: Group;
  members: readonly Member[];
}) => {
  const { id: groupId, timeZone, leadershipModel: model } = group;
  const [roles, reload] = useResource<Items<GroupRole>>(apiPaths.roles(organisationId, groupId));
  const [takingUp, setTakingUp] = useState(false);
  // What the last action did, said once for screen readers too.
  const [done, setDone] = useState("");
  const changed = (what: string) => {
    setDone(what);
    reload();
  };
  const mayOverride = user.role === "umbrella-admin";
  const names = (people: { memberId: string }[]) =>
    people.map((p) => members.find((m) => m.id === p.memberId)?.name ?? "a former member").join(", ");
  const items = roles.state === "ready" ? roles.data.items : [];

  return (
    <>
      <div className="toolbar">
        <button type="button" aria-expanded={takingUp} onClick={() => setTakingUp(!takingUp)}>
          Take up a role
        </button>
        <button type="button" onClick={reload}>
          Refresh the roles
        </button>
      </div>
      {takingUp && roles.state === "ready" && (
        <RoleTakeUpForm
          organisationId={organisationId}
          groupId={groupId}
          taken={items.map((r) => r.roleId)}
          onTakenUp={(role) => {
            setTakingUp(false);
            changed(`The group took up ${role.definition.name}; it is vacant until someone holds it.`);
          }}
          onClose={() => setTakingUp(false)}
        />
      )}
      <p role="status">{done}</p>
      {roles.state === "loading" && <p>Loading roles…</p>}
      {roles.state === "failed" && <ProblemNotice problem={roles.problem} />}
      {roles.state === "ready" && items.length === 0 && <p>The group has taken up no roles yet.</p>}
      {fillsItself[model] && items.some((r) => r.volunteers.length > 0) && (
        <p className="hint">{fillsItself[model]}</p>
      )}
      {items.length > 0 && (
        <div className="scroll">
          <table>
            <caption className="visually-hidden">Roles of the group</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Held by</th>
                <th scope="col">Vacant since</th>
                <th scope="col">Volunteers</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((role) => (
                <tr key={role.roleId}>
                  <th scope="row">
                    {role.definition.name}
                    {role.definition.critical && <span className="warn"> (critical)</span>}
                  </th>
                  <td>
                    {names(role.holders) || "Nobody"}
                    {role.maxHolders > 1 && ` (up to ${role.maxHolders})`}
                  </td>
                  <td>{role.vacantSince ? formatInstant(role.vacantSince, timeZone) : ""}</td>
                  <td>{names(role.volunteers)}</td>
                  <td>
                    <RoleActions
                      organisationId={organisationId}
                      role={role}
                      members={members}
                      mayOverride={mayOverride}
                      mayAppoint={model === "designated"}
                      onChanged={changed}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
};
