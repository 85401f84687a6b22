/**
 * What may go into HTML: text escaped, and links only to http(s), never `javascript:`. Shared
 * by every email and by the small pages the API serves.
 */

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an element body or a double-quoted attribute value. */
export const esc = (value: string): string => value.replace(/[&<>"']/g, (c) => entities[c] ?? c);

/** The URL, normalised, if it may become an href: only http and https (never `javascript:`). */
export function linkable(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** The URL, normalised; throws RangeError naming `what` when it may not become an href. */
export function requireLinkable(value: string, what = "the unsubscribe link"): string {
  const url = linkable(value);
  if (url === null) throw new RangeError(`${what} must be an http(s) URL`);
  return url;
}
