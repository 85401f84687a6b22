import { describe, expect, it } from "vitest";
import {
  details,
  emphasis,
  heading,
  links,
  list,
  paragraph,
  phrases,
  joinWords,
  type Block,
} from "#messages/email-kit/blocks.ts";
import { firstNameOf, renderEmail, type EmailContent } from "#messages/email-kit/render-email.ts";
import { hrefs, visibleText } from "./email-reading.ts";

const hostile = `<img src=x onerror=alert(1)> & "q" 'a'`;

const email = (blocks: Block[], overrides: Partial<EmailContent> = {}): EmailContent => ({
  subject: "Subject",
  heading: "Heading",
  firstName: "Sam",
  blocks,
  footer: { reason: "You receive these emails as a member of Riverside." },
  ...overrides,
});

/** One of every kind of block, every value awkward. */
const everyBlock = (): Block[] => [
  paragraph(`A paragraph ${hostile}`),
  emphasis(`The question ${hostile}`),
  heading(`A heading ${hostile}`),
  list([`first ${hostile}`, "second"], { lead: `Lead ${hostile}:` }),
  list(["one", "two"], { numbered: true }),
  phrases(`Down for ${hostile}:`, ["tea", "chairs", `keys ${hostile}`]),
  links({ label: `Choose ${hostile}`, url: "https://convene.example/b?t=1&o=2" }),
  details(
    { label: "When", value: `Tuesday ${hostile}` },
    {
      label: "Where",
      value: "Hall",
      more: [`Join online: ${hostile}`, { label: "Join online", url: "https://meet.example/x" }],
    },
  ),
];

describe("renderEmail: the plain text", () => {
  it("greets first, keeps blocks a blank line apart and a heading on the line above its content", () => {
    const { text } = renderEmail(
      email([paragraph("Intro."), heading("How to vote"), paragraph("Reply."), paragraph("Thanks.")]),
    );
    expect(text).toBe(
      [
        "Hello Sam,",
        "",
        "Intro.",
        "",
        "How to vote",
        "Reply.",
        "",
        "Thanks.",
        "",
        "--",
        "You receive these emails as a member of Riverside.",
      ].join("\n"),
    );
  });

  it("writes lists, phrases, links and details one line each, and ends with the unsubscribe link", () => {
    const { text } = renderEmail(
      email(
        [
          list(["Hall", "Park"], { numbered: true, lead: "Reply with a number:" }),
          list(["Facilitator in Riverside"]),
          phrases("You're down for:", ["bringing refreshments", "booking the venue", "welfare"]),
          links(
            { label: "Yes", url: "https://convene.example/y" },
            { label: "No", url: "https://convene.example/n" },
          ),
          details(
            { label: "When", value: "Tuesday" },
            { label: "Where", value: "Hall", more: ["Step-free"] },
          ),
        ],
        { footer: { reason: "Why.", unsubscribeUrl: "https://convene.example/u?t=1" } },
      ),
    );
    expect(text).toContain("Reply with a number:\n1. Hall\n2. Park\n\n- Facilitator in Riverside\n\n");
    expect(text).toContain("You're down for: bringing refreshments, booking the venue and welfare.\n\n");
    expect(text).toContain("Yes: https://convene.example/y\nNo: https://convene.example/n\n\n");
    expect(text).toContain("When: Tuesday\nWhere: Hall\nStep-free\n\n--\nWhy.\n");
    expect(text.endsWith("Unsubscribe: https://convene.example/u?t=1")).toBe(true);
  });

  it("ends no line in a space, so a format=flowed reader never joins two lines", () => {
    const { text } = renderEmail(
      email([paragraph("Trailing space \nand a tab\t"), list(["item  "])], { firstName: "Sam " }),
    );
    for (const line of text.split("\n")) expect(line).toBe(line.trimEnd());
    expect(text).toContain("Trailing space\nand a tab\n");
  });

  it("greets without a name when none is known", () => {
    expect(renderEmail(email([], { firstName: "  " })).text.startsWith("Hello,\n")).toBe(true);
  });
});

describe("renderEmail: the HTML", () => {
  it("escapes every value, the heading, the footer and the title included", () => {
    const { html } = renderEmail(
      email(everyBlock(), {
        subject: `Subject ${hostile}`,
        heading: `Heading ${hostile}`,
        footer: { reason: `Reason ${hostile}` },
      }),
    );
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;a&#39;");
    const outsideTags = html.replace(/<(\/?[a-z0-9]+|!DOCTYPE)(\s[^<>]*)?>/gi, "");
    expect(outsideTags).not.toMatch(/[<>]/);
    expect(outsideTags).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
    expect(html).toContain(`<title>Subject &lt;img`);
  });

  it("shows every fact of the text, and links exactly the text's URLs", () => {
    const { text, html } = renderEmail(
      email(everyBlock(), { footer: { reason: "Why.", unsubscribeUrl: "https://convene.example/u" } }),
    );
    const shown = visibleText(html);
    for (const fact of [
      `A paragraph ${hostile}`,
      `The question ${hostile}`,
      `A heading ${hostile}`,
      `Lead ${hostile}:`,
      `first ${hostile}`,
      `keys ${hostile}`,
      `Choose ${hostile}`,
      `Tuesday ${hostile}`,
      `Join online: ${hostile}`,
      "Why.",
    ]) {
      expect(text).toContain(fact);
      expect(shown).toContain(fact);
    }
    const urls = ["https://convene.example/b?t=1&o=2", "https://meet.example/x", "https://convene.example/u"];
    expect(hrefs(html)).toEqual(urls);
    for (const url of urls) expect(text).toContain(url);
  });

  it("is an accessible page: one h1, headings, lists, underlined links, no images or tables", () => {
    const { html } = renderEmail(email(everyBlock()));
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(html).toMatch(/<h2[^>]*>When<\/h2>\n<p>Tuesday/);
    expect(html).toContain("<ol><li>one</li><li>two</li></ol>");
    expect(html).toContain("<p>Down for &lt;img");
    expect(html).toMatch(/<ul><li>tea<\/li><li>chairs<\/li><li>keys /);
    expect(html).toMatch(/<main>[\s\S]*<\/main>\n<footer/);
    expect(html).not.toMatch(/<(img|table|picture|svg|video)\b/i);
    for (const link of html.match(/<a\s[^>]*>/g) ?? []) expect(link).toContain("text-decoration:underline");
  });

  it("sets one call to action apart, and lists several", () => {
    const one = renderEmail(email([links({ label: "Go", url: "https://convene.example/go" })])).html;
    expect(one).toMatch(/<p><a href="https:\/\/convene.example\/go"[^>]*>Go<\/a><\/p>/);
    const two = renderEmail(
      email([
        links(
          { label: "Yes", url: "https://convene.example/y" },
          { label: "No", url: "https://convene.example/n" },
        ),
      ]),
    ).html;
    expect(two).toMatch(/<ul><li><a [^>]*>Yes<\/a><\/li><li><a [^>]*>No<\/a><\/li><\/ul>/);
  });
});

describe("renderEmail: what it refuses", () => {
  it.each([
    ["a link", () => links({ label: "Go", url: "javascript:alert(1)" })],
    [
      "a detail's link",
      () => details({ label: "Where", value: "Online", more: [{ label: "Join", url: "data:x" }] }),
    ],
  ])("refuses %s that is not http(s)", (_what, block) => {
    expect(block).toThrow(RangeError);
  });

  it("refuses an unsubscribe link that is not http(s)", () => {
    expect(() =>
      renderEmail(email([], { footer: { reason: "Why.", unsubscribeUrl: "javascript:void(0)" } })),
    ).toThrow(RangeError);
  });

  it("keeps line breaks out of the subject", () => {
    const { subject, html } = renderEmail(email([], { subject: " Two\r\nlines\n" }));
    expect(subject).toBe("Two lines");
    expect(html).toContain("<title>Two lines</title>");
  });
});

describe("the words around names", () => {
  it("greets a member by the first word of their name", () => {
    expect(firstNameOf({ name: "  Ann Marie Smith " })).toBe("Ann");
  });

  it("joins words as a sentence does", () => {
    expect([[], ["a"], ["a", "b"], ["a", "b", "c"]].map((words) => joinWords(words))).toEqual([
      "",
      "a",
      "a and b",
      "a, b and c",
    ]);
  });
});
