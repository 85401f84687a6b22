import { describe, expect, it } from "vitest";
import { unflow } from "#inbound/flowed-text.ts";

describe("format=flowed text (RFC 3676)", () => {
  it("joins a line that ends in a space to the next one", () => {
    expect(unflow("Yes, I would like \r\nto vote for it.\r\nSecond line.", false)).toBe(
      "Yes, I would like to vote for it.\nSecond line.",
    );
  });

  it("deletes the space that flowed a line when DelSp=yes, and only then", () => {
    expect(unflow("Abst \r\nain", true)).toBe("Abstain");
    expect(unflow("Abst \r\nain", false)).toBe("Abst ain");
  });

  it("never joins lines of different quote depth (Thunderbird's reply below a flowed quote)", () => {
    expect(unflow("On 04/02/2012 06:26 PM, Megan One wrote:\r\n> Hi \r\nHello", false)).toBe(
      "On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi \nHello",
    );
    expect(unflow("Yes \r\n> Reply YES or NO \r\n> to vote", false)).toBe("Yes \n> Reply YES or NO to vote");
  });

  it("joins quoted lines of the same depth, and keeps the depth", () => {
    expect(unflow(">> a long \r\n>> quoted line\r\n> shallower", false)).toBe(
      ">> a long quoted line\n> shallower",
    );
  });

  it("removes space-stuffing, also after quote marks", () => {
    expect(unflow(" From the committee: yes\r\n>  indented quote", false)).toBe(
      "From the committee: yes\n>  indented quote",
    );
  });

  it("keeps the signature separator a line of its own", () => {
    expect(unflow("No \r\n-- \r\nSam", false)).toBe("No \n-- \nSam");
  });
});
