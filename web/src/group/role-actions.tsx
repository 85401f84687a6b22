import { useState } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Member } from "../api/resources.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import { RoleHolderForm } from "./role-holder-form.tsx";
import { openPlaces, type GroupRole } from "./role-resource.ts";
import { RoleStepDown } from "./role-step-down.tsx";

/**
 * What can be done with one role: assign a holder while it has an open place, step a holder
 * down, and (in a group with a designated leader) appoint one of the volunteers for its vacancy.
 */
export const RoleActions = ({
  organisationId,
  role,
  members,
  mayOverride,
  mayAppoint,
  onChanged,
}: {
  organisationId: string;
  role: GroupRole;
  members: readonly Member[];
  /** An umbrella admin: may assign without the required training, with a reason. */
  mayOverride: boolean;
  /** The group's leadership is designated: its leader (or a coordinator) chooses among volunteers. */
  mayAppoint: boolean;
  /** Called with what happened, e.g. "Appointed …", once the API has done it. */
  onChanged: (done: string) => void;
}) => {
  const [assigning, setAssigning] = useState(false);
  const { problem, busy, submit } = useSubmit();
  const roleName = role.definition.name;
  const nameOf = (memberId: string) => members.find((m) => m.id === memberId)?.name ?? "A former member";

  const appoint = (memberId: string) =>
    void submit(async () => {
      await api.post(apiPaths.roleAppointment(organisationId, role.groupId, role.roleId), { memberId });
      onChanged(`Appointed ${nameOf(memberId)} to ${roleName}.`);
    });

  return (
    <div className="actions role-actions">
      {openPlaces(role) > 0 && (
        <button type="button" aria-expanded={assigning} onClick={() => setAssigning(!assigning)}>
          Assign a holder<span className="visually-hidden"> to {roleName}</span>
        </button>
      )}
      {role.holders.map((h) => (
        <RoleStepDown
          key={h.memberId}
          organisationId={organisationId}
          role={role}
          memberId={h.memberId}
          name={nameOf(h.memberId)}
          onSteppedDown={onChanged}
        />
      ))}
      {mayAppoint &&
        role.volunteers.map((v) => (
          <button key={v.memberId} type="button" disabled={busy} onClick={() => appoint(v.memberId)}>
            Appoint {nameOf(v.memberId)}
            <span className="visually-hidden"> to {roleName}</span>
          </button>
        ))}
      {problem && <ProblemNotice problem={problem} />}
      {assigning && openPlaces(role) > 0 && (
        <RoleHolderForm
          organisationId={organisationId}
          role={role}
          members={members}
          mayOverride={mayOverride}
          onAssigned={(name) => {
            setAssigning(false);
            onChanged(`${name} now holds ${roleName}.`);
          }}
        />
      )}
    </div>
  );
};
