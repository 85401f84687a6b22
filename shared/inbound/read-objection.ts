/**
 * Whether a reply to "X will be confirmed unless someone objects" objects. Read from the first
 * line with a letter or digit, like a ballot: "I object", "Objection", "object" count; a
 * negation ("I don't object", "No objection") or a question does not.
 */
export function readObjection(typedText: string): boolean {
  const line = typedText.split(/\r?\n/).find((candidate) => /[\p{L}\p{N}]/u.test(candidate));
  if (line === undefined || line.includes("?")) return false;
  const text = ` ${line
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, " ")
    .trim()} `;
  if (/ (no|not|don't|dont|do not|never|without) /.test(text) || text.includes("n't ")) return false;
  return / (object|objection|objecting|i object) /.test(text);
}
