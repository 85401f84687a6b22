// CSV that a spreadsheet opens as data, never as a formula (OWASP "CSV injection"): every cell
// is quoted, quotes doubled, and a cell that starts like a formula gets a leading apostrophe.

const formulaStart = /^[=+\-@\t\r]/;

export const csvCell = (value: string): string => {
  const inert = formulaStart.test(value) ? `'${value}` : value;
  return `"${inert.replace(/"/g, '""')}"`;
};

/** Rows as RFC 4180 text: comma-separated, CRLF line ends, the first row the header. */
export const toCsv = (rows: readonly (readonly string[])[]): string =>
  rows.map((row) => row.map(csvCell).join(",") + "\r\n").join("");
