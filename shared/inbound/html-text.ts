import { decodeHTML } from "entities/decode";

/**
 * The text of an HTML reply, laid out as the plain-text part of the same reply would be: a
 * line per block and <br>, a blank line between paragraphs, "> " before every line of a
 * <blockquote> (which the reply trimmer reads as quoted), a line of dashes for <hr> (where
 * Outlook starts the quoted message), list items with " * " or " 1. ", link text without its
 * target, and no images, styles, scripts or <head>. Character references are decoded by
 * `entities`, the decoder of htmlparser2.
 *
 * Written here because html-to-text (with htmlparser2, a CSS selector engine and two entity
 * tables) weighs 190 KB in the function's bundle, and a reply needs only this layout. The
 * markup is scanned once, tag by tag, the way an HTML tokenizer does (no tree is built), so
 * the time is linear in the length of the HTML whatever its nesting.
 */
export function htmlToText(html: string): string {
  const out = plainText();
  let inHead = false;
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf("<", position);
    const textEnd = open < 0 ? html.length : open;
    if (textEnd > position) {
      const text = html.slice(position, textEnd);
      // Text that is not whitespace ends the <head>, as a missing </head> would.
      if (inHead && /[^ \t\n\r\f]/.test(text)) inHead = false;
      if (!inHead) out.text(decodeHTML(text));
    }
    if (open < 0) break;

    const next = html[open + 1] ?? "";
    if (html.startsWith("<!--", open)) {
      const end = html.indexOf("-->", open + 4);
      position = end < 0 ? html.length : end + 3;
      continue;
    }
    if (!/[a-zA-Z/!?]/.test(next)) {
      // A "<" that starts no tag is text.
      if (!inHead) out.text("<");
      position = open + 1;
      continue;
    }
    const close = tagEnd(html, open + 1);
    // A tag cut off by the end of the HTML is dropped, as an HTML tokenizer drops it.
    if (close < 0) break;
    position = close + 1;
    // Doctypes, <![CDATA[…]]>, <![if …]> and <?…> are bogus comments in HTML.
    const tag = /^<(\/?)([a-zA-Z][^\s/>]*)/.exec(html.slice(open, Math.min(close + 1, open + 80)));
    if (!tag) continue;
    const closing = tag[1] === "/";
    const name = (tag[2] ?? "").toLowerCase();

    if (rawTextElements.has(name) && !closing) {
      // Its content is not markup; none of these elements holds text a member typed.
      const end = new RegExp(`</${name}[\\s/>]`, "gi");
      end.lastIndex = position;
      const found = end.exec(html);
      const after = found ? html.indexOf(">", found.index) : -1;
      position = after < 0 ? html.length : after + 1;
      continue;
    }
    if (name === "head") {
      inHead = !closing;
      continue;
    }
    if (inHead) {
      if (headElements.has(name)) continue;
      inHead = false; // any other element starts the body
    }
    out.element(name, closing);
  }
  return out.result();
}

/**
 * Where the tag starting at `from` ends: its ">", skipping the ones inside quoted attribute
 * values; -1 when the HTML ends first. Bogus comments (<!…>, <?…>) end at the first ">".
 */
function tagEnd(html: string, from: number): number {
  if (html[from] === "!" || html[from] === "?") return html.indexOf(">", from);
  let previous = "";
  for (let i = from; i < html.length; i++) {
    const c = html[i];
    if (c === ">") return i;
    if ((c === '"' || c === "'") && previous === "=") {
      i = html.indexOf(c, i + 1);
      if (i < 0) return -1;
    } else if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r" && c !== "\f") {
      previous = c ?? "";
    }
  }
  return -1;
}

/** Elements whose content is not markup (HTML's raw text and escapable raw text elements). */
const rawTextElements = new Set("script style title textarea xmp iframe noembed noframes".split(" "));
/** Elements that may stand in <head>; any other one ends it. */
const headElements = new Set("meta link base basefont bgsound noscript template".split(" "));
/** Blocks set off by a blank line. */
const paragraphs = new Set("p h1 h2 h3 h4 h5 h6 blockquote pre ul ol dl table address figure".split(" "));
/** Blocks on lines of their own. */
const blocks = new Set(
  "div li tr dt dd caption article aside section header footer nav main form fieldset legend center details summary figcaption".split(
    " ",
  ),
);
/** Quote marks beyond this depth add nothing: the line reads as quoted already. */
const maxQuoteMarks = 32;

/** The text being laid out: finished lines, the line being written and the breaks owed. */
function plainText() {
  const lines: string[] = [];
  /** The line being written (its quote marks and list marker, then its text); null between lines. */
  let line: { marks: string; text: string } | null = null;
  /** Line breaks owed before the next text by the blocks that ended or began since it. */
  let owed = 0;
  /** The shallowest quote depth since the breaks became owed: blank lines owed carry its marks. */
  let owedDepth = 0;
  /** Whether a space separates the next text from the line's text. */
  let space = false;
  /** What starts the first line of a list item. */
  let marker = "";
  let quoteDepth = 0;
  let preformatted = 0;
  const lists: { ordered: boolean; count: number }[] = [];

  const quoteMarks = (depth: number) => "> ".repeat(Math.min(depth, maxQuoteMarks));

  const endLine = () => {
    if (line !== null) lines.push(line.text === "" ? line.marks.trimEnd() : line.marks + line.text);
    line = null;
    space = false;
  };

  const payOwedBreaks = () => {
    if (owed === 0) return;
    const blank = quoteMarks(Math.min(owedDepth, quoteDepth)).trimEnd();
    endLine();
    for (let i = 1; i < owed; i++) lines.push(blank);
    owed = 0;
  };

  const breakBefore = (count: number) => {
    if (lines.length === 0 && line === null) return; // no blank lines at the top
    if (owed === 0) owedDepth = quoteDepth;
    owed = Math.max(owed, count);
    space = false;
  };

  const write = (text: string) => {
    payOwedBreaks();
    line ??= { marks: quoteMarks(quoteDepth), text: "" };
    if (line.text === "") {
      line.marks += marker;
      marker = "";
    }
    line.text += (space && line.text !== "" ? " " : "") + text;
    space = false;
  };

  /** <br>: the line ends, and the next one is begun even if nothing is written on it. */
  const lineBreak = () => {
    payOwedBreaks();
    endLine();
    line = { marks: quoteMarks(quoteDepth), text: "" };
  };

  return {
    element(name: string, closing: boolean): void {
      if (name === "br") return lineBreak();
      if (name === "hr") {
        breakBefore(2);
        write("-".repeat(32));
        return breakBefore(2);
      }
      if (name === "td" || name === "th") {
        space = Boolean(line?.text);
        return;
      }
      if (paragraphs.has(name)) breakBefore(2);
      else if (blocks.has(name)) breakBefore(1);
      else return; // inline: <a>, <span>, <b>, <img>, <font>, <o:p>, …

      const step = closing ? -1 : 1;
      if (name === "blockquote") {
        quoteDepth = Math.max(0, quoteDepth + step);
        owedDepth = Math.min(owedDepth, quoteDepth);
      }
      if (name === "pre") preformatted = Math.max(0, preformatted + step);
      if (name === "ul" || name === "ol") {
        if (closing) lists.pop();
        else lists.push({ ordered: name === "ol", count: 0 });
      }
      if (name === "li" && !closing) {
        const list = lists.at(-1);
        marker = list?.ordered ? ` ${++list.count}. ` : " * ";
      }
    },

    text(decoded: string): void {
      if (preformatted > 0) {
        decoded.split(/\r?\n/).forEach((segment, i) => {
          if (i > 0) lineBreak();
          if (segment !== "") write(segment);
        });
        return;
      }
      const collapsed = decoded.replace(/[ \t\n\r\f]+/g, " ");
      // Only HTML's whitespace collapses: a no-break space (&nbsp;) is text.
      const words = collapsed.replace(/^ /, "").replace(/ $/, "");
      if (collapsed.startsWith(" ") && line?.text) space = true;
      if (words !== "") write(words);
      if (collapsed.endsWith(" ") && line?.text) space = true;
    },

    result(): string {
      endLine();
      return lines.join("\n");
    },
  };
}
