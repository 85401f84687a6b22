import { useEffect, useRef, useState } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths } from "../api/resources.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import type { GroupRole } from "./role-resource.ts";

/**
 * One holder steps down, after a confirmation in the page: the button opens it and gives the
 * focus to "Yes"; "No" closes it and gives the focus back.
 */
export const RoleStepDown = ({
  organisationId,
  role,
  memberId,
  name,
  onSteppedDown,
}: {
  organisationId: string;
  role: GroupRole;
  memberId: string;
  name: string;
  onSteppedDown: (done: string) => void;
}) => {
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const { problem, busy, submit } = useSubmit();
  const roleName = role.definition.name;
  const last = role.holders.length === 1;
  useEffect(() => {
    if (confirming) yes.current?.focus();
  }, [confirming]);

  const stepDown = () =>
    void submit(async () => {
      await api.delete(apiPaths.roleHolder(organisationId, role.groupId, role.roleId, memberId));
      setConfirming(false);
      onSteppedDown(
        last
          ? `${name} stepped down from ${roleName}: the role is vacant and the group is asked to fill it.`
          : `${name} stepped down from ${roleName}.`,
      );
    });
  const keep = () => {
    setConfirming(false);
    opener.current?.focus();
  };
  return (
    <>
      <button
        type="button"
        ref={opener}
        aria-expanded={confirming}
        onClick={() => setConfirming(!confirming)}
      >
        Step down {name}
        <span className="visually-hidden"> from {roleName}</span>
      </button>
      {confirming && (
        <div role="group" aria-label={`Confirm that ${name} steps down`} className="confirm">
          <p>
            {name} will no longer hold {roleName}.
            {last && " The role falls vacant and the group is asked to fill it."}
          </p>
          <button type="button" ref={yes} disabled={busy} onClick={stepDown}>
            Yes, step down<span className="visually-hidden"> {name}</span>
          </button>{" "}
          <button type="button" onClick={keep}>
            No, keep {name}
          </button>
        </div>
      )}
      {problem && <ProblemNotice problem={problem} />}
    </>
  );
};
