import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../src/export/csv.ts";
import { membersCsv } from "../src/group/members-csv.ts";
import type { Member } from "../src/api/resources.ts";

describe("CSV cells", () => {
  it("quotes every cell and doubles the quotes inside", () => {
    expect(csvCell("Ann")).toBe('"Ann"');
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("")).toBe('""');
  });

  it.each([
    ["=1+1", `"'=1+1"`],
    ["+447700900123", `"'+447700900123"`],
    ["-2", `"'-2"`],
    ["@SUM(A1:A2)", `"'@SUM(A1:A2)"`],
    ["\t=cmd", `"'\t=cmd"`],
    ["\r=cmd", `"'\r=cmd"`],
    ['=HYPERLINK("http://x.example","y")', `"'=HYPERLINK(""http://x.example"",""y"")"`],
  ])("neutralises a cell that starts like a formula: %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("leaves a formula character that is not the first one alone", () => {
    expect(csvCell("a=b")).toBe('"a=b"');
    expect(csvCell("ann+1@example.org")).toBe('"ann+1@example.org"');
  });

  it("writes rows with CRLF line ends", () => {
    expect(toCsv([["a", "b"], ["c"]])).toBe('"a","b"\r\n"c"\r\n');
  });
});

describe("the members export", () => {
  const member = (over: Partial<Member>): Member => ({
    id: "m1",
    name: "Ann Adams",
    email: "ann@example.org",
    reminders: [{ channel: "email", offsetMinutes: 2880 }],
    unsubscribed: [],
    ...over,
  });

  it("has a header and one inert row per member", () => {
    const csv = membersCsv([
      member({ phone: "+447700900123", quietHours: { start: "21:00", end: "08:00" } }),
      member({
        name: "=cmd|' /C calc'!A0",
        email: "-x@example.org",
        reminders: [
          { channel: "email", offsetMinutes: 1440 },
          { channel: "sms", offsetMinutes: 120 },
        ],
        unsubscribed: ["sms"],
      }),
    ]);
    expect(csv.split("\r\n")).toEqual([
      '"Name","Email","Phone","Reminders","Quiet hours","Unsubscribed from"',
      '"Ann Adams","ann@example.org","\'+447700900123","email 2 days before","21:00–08:00",""',
      `"'=cmd|' /C calc'!A0","'-x@example.org","","email 1 day before; sms 2 hours before","","sms"`,
      "",
    ]);
  });
});
