/** A form field's text, trimmed; "" when absent. */
export const textOf = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === "string" ? value.trim() : "";
};

/** A form field's text, or undefined when left empty (so the API applies its default or none). */
export const optionalText = (data: FormData, name: string): string | undefined =>
  textOf(data, name) || undefined;

/** A number field; NaN when empty or not a number, which the API reports as a field error. */
export const numberOf = (data: FormData, name: string): number => {
  const text = textOf(data, name);
  return text === "" ? Number.NaN : Number(text);
};
