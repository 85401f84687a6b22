import { describe, expect, it } from "vitest";
import { htmlToText } from "#inbound/html-text.ts";

describe("an HTML reply laid out as text", () => {
  it("puts blocks and <br> on lines of their own, with a blank line between paragraphs", () => {
    expect(htmlToText("<div>Yes</div><div>Sam</div>")).toBe("Yes\nSam");
    expect(htmlToText("<p>Yes</p>\n\n<p>Sam</p>")).toBe("Yes\n\nSam");
    expect(htmlToText("Yes<br>Sam<br><br>Sent from my phone")).toBe("Yes\nSam\n\nSent from my phone");
  });

  it("collapses HTML whitespace but keeps a no-break space", () => {
    expect(htmlToText("  <span>Option</span>\n\t <b>two</b>  ")).toBe("Option two");
    expect(htmlToText("<b>From:</b>&nbsp;<a href='mailto:x@y'>Alex</a>")).toBe("From:\u00a0Alex");
  });

  it("quotes every line of a blockquote, nested ones twice", () => {
    expect(
      htmlToText(
        '<div dir="ltr">Yes</div><div class="gmail_quote">On Mon, Convene wrote:<blockquote>Reply YES<br>or NO<blockquote>older</blockquote></blockquote></div>After',
      ),
    ).toBe("Yes\nOn Mon, Convene wrote:\n\n> Reply YES\n> or NO\n>\n> > older\n\nAfter");
  });

  it("draws a line of dashes for <hr>, where Outlook starts the quoted message", () => {
    expect(htmlToText("<p>2</p><hr><p><b>From:</b> Convene</p>")).toBe(
      `2\n\n${"-".repeat(32)}\n\nFrom: Convene`,
    );
  });

  it("writes list items with their markers", () => {
    expect(htmlToText("<ul><li>Tea</li><li>Cake</li></ul><ol><li>One</li><li>Two</li></ol>")).toBe(
      " * Tea\n * Cake\n\n 1. One\n 2. Two",
    );
  });

  it("keeps the whitespace of <pre>", () => {
    expect(htmlToText("<pre>Yes\n  indented</pre>")).toBe("Yes\n  indented");
  });

  it("separates table cells and puts rows on lines", () => {
    expect(htmlToText("<table><tr><td>From:</td><td>Convene</td></tr><tr><td>Sent:</td></tr></table>")).toBe(
      "From: Convene\nSent:",
    );
  });

  it("decodes named, legacy and numeric character references, and &#150; as windows-1252 does", () => {
    expect(htmlToText("Caf&eacute; &amp; cr&egrave;me &copy 2025 &#8220;Yes&#x201D; &#150; &lt;b&gt;")).toBe(
      "Café & crème © 2025 \u201cYes\u201d \u2013 <b>",
    );
  });

  it("drops link targets, images, <head>, styles, scripts, titles and comments", () => {
    const html =
      '<html><head><title>Re: Vote</title><meta charset="utf-8"><style>p{color:red}</style></head>' +
      '<body><!--[if gte mso 9]><xml><o:shapedefaults/></xml><![endif]--><p>Option <a href="https://x.test/2">two</a>' +
      '<img src="cid:sig" alt="logo"><script>document.write("<p>x</p>")</script></p></body></html>';
    expect(htmlToText(html)).toBe("Option two");
  });

  it("ends a <head> that is never closed where the body's content starts", () => {
    expect(htmlToText("<head><meta charset=utf-8><div>Yes</div>")).toBe("Yes");
  });

  it("reads a '>' inside a quoted attribute value as part of the tag", () => {
    expect(htmlToText('<span title="a > b">Yes</span>')).toBe("Yes");
  });

  it("reads a '<' that starts no tag as text, and drops a tag cut off at the end", () => {
    expect(htmlToText("1 < 2 <b>Yes</b> <a href=")).toBe("1 < 2 Yes");
  });

  it("takes time linear in the length of the HTML, whatever its nesting", () => {
    const hostile = `Yes${"<blockquote><div>".repeat(100_000)}x${"<a title='".repeat(50_000)}`;
    const started = performance.now();
    const text = htmlToText(hostile);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(text.split("\n")[0]).toBe("Yes");
  });
});
