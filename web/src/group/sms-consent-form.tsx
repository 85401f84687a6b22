import type { FormEvent } from "react";
import { api } from "../api/api-client.ts";
import { apiPaths, type Member, type SmsConsent } from "../api/resources.ts";
import { SelectField, TextField } from "../ui/field.tsx";
import { textOf } from "../ui/form-values.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { useSubmit } from "../ui/use-submit.ts";

/**
 * An admin records that a member gave or withdrew consent to texts (told by phone, on paper),
 * with the version of the wording they were shown. The same state again records nothing.
 */
export const SmsConsentForm = ({
  organisationId,
  member,
  onSaved,
  onClose,
}: {
  organisationId: string;
  member: Member;
  /** Called with what happened once the API has answered. */
  onSaved: (done: string) => void;
  onClose: () => void;
}) => {
  const { problem, busy, submit } = useSubmit();
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const state = textOf(data, "state");
    void submit(async () => {
      const before = member.smsConsent;
      const saved = await api.post<SmsConsent>(apiPaths.smsConsent(organisationId, member.id), {
        state,
        wordingVersion: textOf(data, "wordingVersion"),
      });
      const unchanged = before?.state === saved.state && before.at === saved.at;
      onSaved(
        unchanged
          ? `${member.name}'s consent to texts already stood so: nothing recorded.`
          : saved.state === "given"
            ? `Recorded: ${member.name} consents to texts.`
            : `Recorded: ${member.name} gets no more texts.`,
      );
    });
  };
  return (
    <form onSubmit={send} aria-label={`Consent to texts: ${member.name}`}>
      <h3>Consent to texts: {member.name}</h3>
      {problem && (
        <ProblemNotice problem={problem} shownBeside={(f) => f === "state" || f === "wordingVersion"} />
      )}
      <SelectField
        label="Consent"
        name="state"
        defaultValue={member.smsConsent?.state === "given" ? "withdrawn" : "given"}
        error={problem?.fieldError("state")}
      >
        <option value="given">Given</option>
        <option value="withdrawn">Withdrawn</option>
      </SelectField>
      <TextField
        label="Wording version"
        name="wordingVersion"
        required
        maxLength={64}
        defaultValue={member.smsConsent?.wordingVersion ?? ""}
        hint="The version of the consent wording the member was shown, e.g. v2"
        error={problem?.fieldError("wordingVersion")}
      />
      <button type="submit" disabled={busy}>
        Record consent
      </button>
      <button type="button" onClick={onClose}>
        Cancel
      </button>
    </form>
  );
};
