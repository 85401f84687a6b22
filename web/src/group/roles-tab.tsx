import { apiPaths, type Member } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { formatInstant } from "../ui/format.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";

/** A role as GET …/groups/{g}/roles (issue 5) answers it; only what this tab shows. */
interface GroupRole {
  roleId: string;
  holders: { memberId: string }[];
  maxHolders: number;
  vacantSince?: string;
  definition: { name: string; critical: boolean };
  volunteers?: { memberId: string }[];
}

/** The group's roles, who holds them, and their vacancies; "not available yet" while the API has no such route. */
export const RolesTab = ({
  organisationId,
  groupId,
  timeZone,
  members,
}: {
  organisationId: string;
  groupId: string;
  timeZone: string;
  members: readonly Member[];
}) => {
  const [roles] = useResource<{ items: GroupRole[] }>(apiPaths.roles(organisationId, groupId));
  const names = (people: { memberId: string }[] = []) =>
    people.map((p) => members.find((m) => m.id === p.memberId)?.name ?? "a former member").join(", ");
  if (roles.state === "loading") return <p>Loading roles…</p>;
  if (roles.state === "failed")
    return roles.problem.status === 404 ? (
      <p className="not-yet">Roles and vacancies are not available yet.</p>
    ) : (
      <ProblemNotice problem={roles.problem} />
    );
  if (roles.data.items.length === 0) return <p>The group has taken up no roles yet.</p>;
  return (
    <div className="scroll">
      <table>
        <caption className="visually-hidden">Roles of the group</caption>
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Held by</th>
            <th scope="col">Vacant since</th>
            <th scope="col">Volunteers</th>
          </tr>
        </thead>
        <tbody>
          {roles.data.items.map((role) => (
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
