import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

interface Labelled {
  label: string;
  /** The API's message for this field (problem+json `errors`), shown beside it. */
  error?: string | undefined;
  hint?: string;
}

const Described = ({ id, hint, error }: { id: string; hint?: string; error?: string | undefined }) => (
  <>
    {hint && (
      <span id={`${id}-hint`} className="hint">
        {hint}
      </span>
    )}
    {error && (
      <span id={`${id}-error`} className="field-error">
        {error}
      </span>
    )}
  </>
);

const describedBy = (id: string, hint?: string, error?: string) =>
  [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;

/** A labelled input with its hint and the API's error for it. */
export const TextField = ({
  label,
  error,
  hint,
  ...input
}: Labelled & InputHTMLAttributes<HTMLInputElement>) => {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
      <Described id={id} hint={hint} error={error} />
    </div>
  );
};

/** A labelled select with its hint and the API's error for it. */
export const SelectField = ({
  label,
  error,
  hint,
  children,
  ...select
}: Labelled & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) => {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {children}
      </select>
      <Described id={id} hint={hint} error={error} />
    </div>
  );
};
