import type { Member } from "#domain/member.ts";
import { anchor, paragraph, type Block } from "./blocks.ts";
import { esc, requireLinkable } from "./html-safety.ts";

/**
 * Lays an email's blocks out in both forms. The HTML is one accessible page (language, title,
 * headings, no images or tables, underlined links, dark text on white); the plain text is its
 * twin, each block a blank line from the next, no line ending in a space (which a
 * format=flowed reader would join to the next line).
 */

export interface EmailContent {
  subject: string;
  heading: string;
  /** Who is greeted; blank greets without a name ("Hello,"). */
  firstName: string;
  blocks: readonly Block[];
  footer: Footer;
}

export interface Footer {
  /** Why the recipient gets it, as a sentence: see asMemberOf. */
  reason: string;
  /** The signed unsubscribe link (http or https); absent on messages the recipient always gets. */
  unsubscribeUrl?: string | undefined;
}

/** An email ready for the Mailer port: the same facts in plain text and in HTML. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(email: EmailContent): RenderedEmail {
  // Subjects travel in a header: no line breaks.
  const subject = email.subject.replace(/[\r\n]+/g, " ").trim();
  const name = email.firstName.trim();
  const blocks = [paragraph(name ? `Hello ${name},` : "Hello,"), ...email.blocks];
  const { reason, unsubscribeUrl } = email.footer;
  const unsubscribe = unsubscribeUrl === undefined ? undefined : requireLinkable(unsubscribeUrl);

  const text = blocks.flatMap((block, at) => [
    // A heading stands on the line above its content; other blocks are a blank line apart.
    ...(at > 0 && !blocks[at - 1]!.heading ? [""] : []),
    ...block.text,
  ]);
  text.push("", "--", reason, ...(unsubscribe === undefined ? [] : [`Unsubscribe: ${unsubscribe}`]));

  // Dark text on white (about 17:1); the footer's grey about 11:1.
  const html = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${esc(subject)}</title>`,
    "</head>",
    '<body style="margin:0;padding:24px;background-color:#ffffff;color:#1b1b1b;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">',
    "<main>",
    `<h1 style="font-size:24px;line-height:1.3;margin:0 0 16px">${esc(email.heading)}</h1>`,
    ...blocks.flatMap((block) => block.html),
    "</main>",
    '<footer style="margin-top:32px;padding-top:16px;border-top:1px solid #767676;color:#3d3d3d;font-size:14px">',
    `<p>${esc(reason)}</p>`,
    ...(unsubscribe === undefined
      ? []
      : [`<p>${anchor({ label: "Unsubscribe from these emails", url: unsubscribe })}</p>`]),
    "</footer>",
    "</body>",
    "</html>",
  ];

  return {
    subject,
    text: text
      .join("\n")
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n"),
    html: html.join("\n"),
  };
}

/** The first word of a member's name, to greet them by. */
export const firstNameOf = (member: Pick<Member, "name">): string =>
  member.name.trim().split(/\s+/)[0] ?? member.name;
