import { useState, type FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Group, type Member, type Vote, type VoteKind } from "../api/resources.ts";
import { SelectField, TextField } from "../ui/field.tsx";
import { groupClockHint } from "../ui/format.ts";
import { numberOf, textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";
import { ThresholdField, thresholdOf } from "./threshold-field.tsx";
import { closingInstant } from "./vote-close.ts";

const fields = [
  "question",
  "kind",
  "options",
  "candidateMemberIds",
  "closesAt",
  "quorum",
  "threshold",
  "secrecy",
];

/** Opens a vote of the group: every member gets a ballot by email and answers by replying. */
export const VoteForm = ({
  organisationId,
  group,
  members,
  onOpened,
}: {
  organisationId: string;
  group: Group;
  members: readonly Member[];
  onOpened: (vote: Vote) => void;
}) => {
  const [kind, setKind] = useState<VoteKind>("proposal");
  const { problem, busy, submit } = useSubmit();
  const open = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const closes = textOf(data, "closesAt");
    void submit(async () => {
      const vote = await api.post<Vote>(apiPaths.votes(organisationId, group.id), {
        question: textOf(data, "question"),
        kind,
        ...(kind === "choice"
          ? {
              options: textOf(data, "options")
                .split("\n")
                .map((o) => o.trim())
                .filter(Boolean),
            }
          : {}),
        ...(kind === "election" ? { candidateMemberIds: data.getAll("candidates").map(String) } : {}),
        closesAt: closingInstant(closes, group.timeZone),
        quorum: numberOf(data, "quorum") / 100,
        threshold: thresholdOf(data),
        secrecy: textOf(data, "secrecy"),
        reminderMinutesBeforeClose: numberOf(data, "reminderMinutesBeforeClose"),
      });
      form.reset();
      setKind("proposal");
      onOpened(vote);
    });
  };
  const error = (field: string) => problem?.fieldError(field);
  return (
    <form onSubmit={open} aria-labelledby="open-vote-heading" className="panel">
      <h3 id="open-vote-heading">Open a vote</h3>
      {problem && (
        <ProblemNotice
          problem={problem}
          shownBeside={(f) => fields.includes(f) || f.startsWith("options.")}
        />
      )}
      <TextField label="Question" name="question" required maxLength={500} error={error("question")} />
      <SelectField
        label="Kind of vote"
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as VoteKind)}
        error={error("kind")}
      >
        <option value="proposal">A proposal: yes, no or abstain</option>
        <option value="choice">A choice between options</option>
        <option value="election">An election between members</option>
      </SelectField>
      {kind === "choice" && (
        <div className="field">
          <label htmlFor="vote-options">Options, one per line</label>
          <textarea
            id="vote-options"
            name="options"
            rows={4}
            required
            aria-invalid={error("options") ? true : undefined}
            aria-describedby={error("options") ? "vote-options-error" : undefined}
          />
          {(error("options") ?? problem?.errors.find((e) => e.field.startsWith("options."))) && (
            <span id="vote-options-error" className="field-error">
              {error("options") ?? problem?.errors.find((e) => e.field.startsWith("options."))?.message}
            </span>
          )}
        </div>
      )}
      {kind === "election" && (
        <fieldset>
          <legend>Candidates (two or more)</legend>
          {error("candidateMemberIds") && <p className="field-error">{error("candidateMemberIds")}</p>}
          {members.map((m) => (
            <div className="checkbox" key={m.id}>
              <input type="checkbox" id={`candidate-${m.id}`} name="candidates" value={m.id} />
              <label htmlFor={`candidate-${m.id}`}>{m.name}</label>
            </div>
          ))}
        </fieldset>
      )}
      <TextField
        label="Closes"
        name="closesAt"
        type="datetime-local"
        required
        hint={groupClockHint(group.timeZone)}
        error={error("closesAt")}
      />
      <SelectField
        label="Remind members who have not voted"
        name="reminderMinutesBeforeClose"
        defaultValue={1440}
        error={error("reminderMinutesBeforeClose")}
      >
        <option value={1440}>1 day before the close</option>
        <option value={720}>12 hours before the close</option>
        <option value={120}>2 hours before the close</option>
        <option value={0}>No reminder</option>
      </SelectField>
      <div className="row">
        <TextField
          label="Quorum (% of members who must vote)"
          name="quorum"
          type="number"
          min={0}
          max={100}
          defaultValue={50}
          error={error("quorum")}
        />
      </div>
      <ThresholdField error={error("threshold")} />
      <SelectField label="Ballot" name="secrecy" defaultValue="secret" error={error("secrecy")}>
        <option value="secret">Secret: nobody sees who chose what</option>
        <option value="open">Open: choices are shown by name</option>
      </SelectField>
      <button type="submit" disabled={busy}>
        Open the vote
      </button>
    </form>
  );
};
