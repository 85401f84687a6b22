import { esc, requireLinkable } from "./html-safety.ts";

/**
 * The blocks every email is built from. Each block is written once in both forms side by
 * side, lines of plain text and HTML with every value escaped, so the two bodies always carry
 * the same facts; renderEmail lays the blocks out with the greeting, heading and footer. A
 * function bundles only the kinds of block its emails use.
 *
 * A new email is a file shared/messages/<flow>/<what>-email.ts whose render function returns
 * renderEmail({ subject, heading, firstName, blocks, footer }) and does nothing else: signing
 * links and addressing stay beside it, sending lives in shared/delivery/.
 */
export interface Block {
  readonly text: readonly string[];
  readonly html: readonly string[];
  /** A section heading: in text, its content follows on the very next line. */
  readonly heading?: true;
}

/** A call to action: "label: url" in text, an underlined link in HTML. Only http(s) is accepted. */
export interface Link {
  label: string;
  url: string;
}

/** A named fact of the message: "When: …" in text, a small heading above its value in HTML. */
export interface Detail {
  label: string;
  value: string;
  /** Further lines under the same name, such as where to join online. */
  more?: readonly (string | Link)[];
}

// Links in a blue of about 7:1 on white and always underlined, so they never rely on colour
// alone and read the same with styles blocked.
const linkStyle = "color:#0645ad;text-decoration:underline";
const h2Style = "font-size:18px;line-height:1.3;margin:24px 0 4px";

const p = (html: string): string => `<p>${html}</p>`;
const h2 = (text: string): string => `<h2 style="${h2Style}">${esc(text)}</h2>`;
const listHtml = (tag: "ol" | "ul", html: readonly string[]): string =>
  `<${tag}>${html.map((item) => `<li>${item}</li>`).join("")}</${tag}>`;

/** The href, normalised; refused (RangeError) unless http(s). */
const hrefOf = (link: Link): string => requireLinkable(link.url, "a link in the email");
export const anchor = (link: Link): string =>
  `<a href="${esc(hrefOf(link))}" style="${linkStyle}">${esc(link.label)}</a>`;
const linkText = (link: Link): string => `${link.label}: ${hrefOf(link)}`;

export const paragraph = (text: string): Block => ({ text: [text], html: [p(esc(text))] });

/** The thing at stake (a question, a role), set apart. */
export const emphasis = (text: string): Block => ({
  text: [text],
  html: [p(`<strong>${esc(text)}</strong>`)],
});

export const heading = (text: string): Block => ({ text: [text], html: [h2(text)], heading: true });

/** Items after an optional lead-in; numbered where the reader answers with a number. */
export const list = (
  items: readonly string[],
  { numbered = false, lead }: { numbered?: boolean; lead?: string } = {},
): Block => ({
  text: [
    ...(lead === undefined ? [] : [lead]),
    ...items.map((item, at) => (numbered ? `${at + 1}. ${item}` : `- ${item}`)),
  ],
  html: [...(lead === undefined ? [] : [p(esc(lead))]), listHtml(numbered ? "ol" : "ul", items.map(esc))],
});

/** Short phrases completing a lead-in: one sentence in text ("You're down for: a and b."). */
export const phrases = (lead: string, items: readonly string[]): Block => ({
  text: [`${lead} ${joinWords(items)}.`],
  html: [p(esc(lead)), listHtml("ul", items.map(esc))],
});

/** One call to action stands alone in HTML; several are a list of choices. */
export const links = (...links: readonly Link[]): Block => ({
  text: links.map(linkText),
  html: links.length === 1 ? [p(anchor(links[0]!))] : [listHtml("ul", links.map(anchor))],
});

/** Consecutive details, one line each in text. */
export const details = (...details: readonly Detail[]): Block => {
  const more = (d: Detail) => d.more ?? [];
  return {
    text: details.flatMap((d) => [
      `${d.label}: ${d.value}`,
      ...more(d).map((line) => (typeof line === "string" ? line : linkText(line))),
    ]),
    html: details.flatMap((d) => [
      h2(d.label),
      p(esc(d.value)),
      ...more(d).map((line) => p(typeof line === "string" ? esc(line) : anchor(line))),
    ]),
  };
};

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** The usual footer reason: the recipient is a member of the group the email is about. */
export const asMemberOf = (groupName: string): string =>
  `You receive these emails as a member of ${groupName}.`;
