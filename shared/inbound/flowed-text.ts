/**
 * Unwraps format=flowed text (RFC 3676), as Thunderbird and Apple Mail send it: a line that
 * ends in a space continues on the next line, but only on a line of the same quote depth
 * (section 4.5), so the member's own line is never glued onto the quote above or below it.
 * Quoted lines come out as ">" per depth and a space, which the reply trimmer reads as quoted.
 */
export function unflow(text: string, deleteSpace: boolean): string {
  const lines: string[] = [];
  /** A flowed line still waiting for its continuation. */
  let open: { depth: number; text: string } | null = null;
  const close = () => {
    if (open) lines.push(open.depth === 0 ? open.text : `${">".repeat(open.depth)} ${open.text}`);
    open = null;
  };

  for (const raw of text.split(/\r?\n/)) {
    const depth = quoteDepth(raw);
    let line = raw.slice(depth);
    // Space-stuffing (section 4.4), which follows the quote marks on a quoted line.
    if (line.startsWith(" ")) line = line.slice(1);
    const signature = line === "-- ";
    const flowed = line.endsWith(" ") && !signature;
    if (flowed && deleteSpace) line = line.slice(0, -1);

    if (open !== null && (open.depth !== depth || signature)) close();
    if (open === null) open = { depth, text: line };
    else open.text += line;
    if (!flowed) close();
  }
  close();
  return lines.join("\n");
}

function quoteDepth(line: string): number {
  let depth = 0;
  while (line.charCodeAt(depth) === 0x3e /* > */) depth++;
  return depth;
}
