/**
 * The house layout every member email shares: one accessible HTML page (language, title,
 * headings, no images or tables, underlined links, dark text on white), a plain-text twin
 * with the same facts, and a footer saying why the member gets it and how to stop.
 */

/** An email ready for the Mailer port: the same facts in plain text and in HTML. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

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

// Dark text on white (about 17:1), links in a blue of about 7:1 and always underlined, so
// the message reads the same with images and styles blocked.
export const styles = {
  body: "margin:0;padding:24px;background-color:#ffffff;color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5",
  h1: "font-size:24px;line-height:1.3;margin:0 0 16px",
  h2: "font-size:18px;line-height:1.3;margin:24px 0 4px",
  link: "color:#0645ad;text-decoration:underline",
  footer: "margin-top:32px;padding-top:16px;border-top:1px solid #767676;color:#3d3d3d;font-size:14px",
} as const;

/** The whole HTML document; `title` is escaped here, `main` and `footer` are HTML already. */
export function page(title: string, main: string[], footer: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${esc(title)}</title>`,
    "</head>",
    `<body style="${styles.body}">`,
    "<main>",
    ...main,
    "</main>",
    footer,
    "</body>",
    "</html>",
  ].join("\n");
}

/**
 * The plain-text footer. Without an unsubscribe link (a message the member must get, such as
 * the answer to their own reply) it says only why they receive it.
 */
export function footerText(groupName: string, unsubscribeUrl?: string): string[] {
  return [
    "--",
    `You receive these emails as a member of ${groupName}.`,
    ...(unsubscribeUrl === undefined ? [] : [`Unsubscribe: ${unsubscribeUrl}`]),
  ];
}

/** The HTML footer, the twin of footerText; `unsubscribeUrl` must come from requireLinkable. */
export function footerHtml(groupName: string, unsubscribeUrl?: string): string {
  return [
    `<footer style="${styles.footer}">`,
    `<p>You receive these emails as a member of ${esc(groupName)}.</p>`,
    ...(unsubscribeUrl === undefined
      ? []
      : [`<p><a href="${esc(unsubscribeUrl)}" style="${styles.link}">Unsubscribe from these emails</a></p>`]),
    "</footer>",
  ].join("\n");
}

/** An underlined link; `url` must come from linkable or requireLinkable. */
export const linkHtml = (url: string, label: string): string =>
  `<a href="${esc(url)}" style="${styles.link}">${esc(label)}</a>`;

export const greeting = (firstName: string): string =>
  firstName.trim() ? `Hello ${firstName.trim()},` : "Hello,";

/** Subjects travel in a header: no line breaks. */
export const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, " ").trim();

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
