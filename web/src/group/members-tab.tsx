import { useState } from "react";
import { api } from "../api/api-client.ts";
import { ApiProblem } from "../api/api-problem.ts";
import { apiPaths, type Group, type Items, type Member } from "../api/resources.ts";
import type { Resource } from "../api/use-resource.ts";
import { downloadText } from "../export/download.ts";
import type { SignedInUser } from "../sign-in/signed-in-user.ts";
import { formatOffset } from "../ui/format.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { MemberForm, type MemberDetails } from "./member-form.tsx";
import { membersCsv } from "./members-csv.ts";
import { SmsConsentForm } from "./sms-consent-form.tsx";
import { textsState } from "./texts-state.ts";

/** The group's members: add, edit preferences (umbrella admins: the API allows only them), remove, export. */
export const MembersTab = ({
  user,
  organisationId,
  group,
  members,
  onChanged,
}: {
  user: SignedInUser;
  organisationId: string;
  group: Group;
  members: Resource<Items<Member>>;
  onChanged: () => void;
}) => {
  const [form, setForm] = useState<{ kind: "add" } | { kind: "edit" | "consent"; member: Member }>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [done, setDone] = useState("");
  const mayEdit = user.role === "umbrella-admin";

  const add = async ({ phone, quietHours, ...details }: MemberDetails) => {
    const member = await api.post<Member>(apiPaths.members(organisationId), {
      ...details,
      ...(phone ? { phone } : {}),
      ...(quietHours ? { quietHours } : {}),
    });
    await api.put(apiPaths.membership(organisationId, group.id, member.id));
    setForm(undefined);
    setDone(`Added ${member.name} to the group.`);
    onChanged();
  };
  const edit = (member: Member) => async (details: MemberDetails) => {
    await api.patch<Member>(apiPaths.member(organisationId, member.id), details);
    setForm(undefined);
    setDone(`Saved ${details.name}'s details.`);
    onChanged();
  };
  const remove = async (member: Member) => {
    if (!confirm(`Remove ${member.name} from ${group.name}? They stay in the organisation.`)) return;
    setProblem(undefined);
    try {
      await api.delete(apiPaths.membership(organisationId, group.id, member.id));
      setDone(`Removed ${member.name} from the group.`);
      onChanged();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, "Removing the member failed"));
    }
  };
  const exportCsv = () => {
    if (members.state !== "ready") return;
    downloadText(`${group.name} members.csv`, membersCsv(members.data.items), "text/csv;charset=utf-8");
  };

  return (
    <>
      <div className="toolbar">
        <button type="button" aria-expanded={form?.kind === "add"} onClick={() => setForm({ kind: "add" })}>
          Add a member
        </button>
        <button type="button" onClick={exportCsv} disabled={members.state !== "ready"}>
          Download the members as CSV
        </button>
      </div>
      {form?.kind === "add" && (
        <MemberForm
          heading="Add a member"
          submitLabel="Add the member"
          onSave={add}
          onClose={() => setForm(undefined)}
        />
      )}
      {form?.kind === "consent" && (
        <SmsConsentForm
          key={form.member.id}
          organisationId={organisationId}
          member={form.member}
          onSaved={(saved) => {
            setForm(undefined);
            setDone(saved);
            onChanged();
          }}
          onClose={() => setForm(undefined)}
        />
      )}
      {form?.kind === "edit" && (
        <MemberForm
          key={form.member.id}
          heading={`Edit ${form.member.name}`}
          member={form.member}
          submitLabel="Save the changes"
          onSave={edit(form.member)}
          onClose={() => setForm(undefined)}
        />
      )}
      <p role="status">{done}</p>
      {problem && <ProblemNotice problem={problem} />}
      {members.state === "loading" && <p>Loading members…</p>}
      {members.state === "failed" && <ProblemNotice problem={members.problem} />}
      {members.state === "ready" && members.data.items.length === 0 && <p>The group has no members yet.</p>}
      {members.state === "ready" && members.data.items.length > 0 && (
        <div className="scroll">
          <table>
            <caption className="visually-hidden">Members of {group.name}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Phone</th>
                <th scope="col">Reminders</th>
                <th scope="col">Quiet hours</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {members.data.items.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.name}</th>
                  <td>
                    {m.email}
                    {m.emailUndeliverable && (
                      <div className="warn">
                        {m.emailUndeliverable.reason === "complained"
                          ? "Reported our email as spam: none is sent"
                          : "Bounced: no email arrives here"}
                      </div>
                    )}
                  </td>
                  <td>
                    {m.phone}
                    <TextsState member={m} timeZone={group.timeZone} />
                  </td>
                  <td>
                    {m.reminders
                      .map(
                        (r) =>
                          `${r.channel === "sms" ? "SMS" : "Email"} ${formatOffset(r.offsetMinutes)} before`,
                      )
                      .join(", ") || "None"}
                    {m.unsubscribed.length > 0 && (
                      <div className="warn">Unsubscribed from {m.unsubscribed.join(" and ")}</div>
                    )}
                  </td>
                  <td>{m.quietHours ? `${m.quietHours.start}–${m.quietHours.end}` : ""}</td>
                  <td className="actions">
                    {mayEdit && (
                      <button type="button" onClick={() => setForm({ kind: "edit", member: m })}>
                        Edit<span className="visually-hidden"> {m.name}</span>
                      </button>
                    )}
                    {mayEdit && m.phone && (
                      <button type="button" onClick={() => setForm({ kind: "consent", member: m })}>
                        Consent to texts<span className="visually-hidden"> of {m.name}</span>
                      </button>
                    )}
                    <button type="button" onClick={() => void remove(m)}>
                      Remove<span className="visually-hidden"> {m.name}</span>
                    </button>
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

/** Under the number: whether texts may be sent to it, and whether it failed. */
const TextsState = ({ member, timeZone }: { member: Member; timeZone: string }) => {
  const { consent, failure } = textsState(member, timeZone);
  return (
    <>
      {consent && <div>{consent}</div>}
      {failure && <div className="warn">{failure}</div>}
    </>
  );
};
