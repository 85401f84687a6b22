import { describe, expect, it } from "vitest";
import { readRsvp } from "#inbound/read-rsvp.ts";

describe("reading a reply to 'are you coming?'", () => {
  it.each([
    ["Yes", "yes"],
    ["yes please!", "yes"],
    ["Yes, see you there", "yes"],
    ["I'll be there", "yes"],
    ["I will be there, thanks", "yes"],
    ["Count me in", "yes"],
    ["Yesss", "yes"],
    ["I'll come", "yes"],
    ["No", "no"],
    ["Sorry, can't make it", "no"],
    ["I'm afraid I can't come", "no"],
    ["I won't be there", "no"],
    ["I will not be there", "no"],
    ["Not coming this week", "unreadable"],
    ["Apologies", "no"],
    ["Maybe", "maybe"],
    ["Not sure yet", "unreadable"],
    ["not sure", "maybe"],
    ["Might be there", "maybe"],
    ["Perhaps", "maybe"],
  ])("%j → %s", (typed, expected) => {
    const reading = readRsvp(`${typed}\n\nOn Monday, Convene wrote:\n> Will you come?`);
    if (expected === "unreadable") expect(reading).toEqual({ kind: "unreadable" });
    else expect(reading).toEqual({ kind: "choice", value: expected });
  });

  it("does not read 'not coming' as coming, nor 'not sure' as no", () => {
    expect(readRsvp("Not coming")).toEqual({ kind: "choice", value: "no" });
    expect(readRsvp("Not sure")).toEqual({ kind: "choice", value: "maybe" });
  });

  it("calls a reply that says both yes and no ambiguous, in the answers' order", () => {
    expect(readRsvp("Yes. No, sorry")).toEqual({ kind: "ambiguous", candidates: ["yes", "no"] });
    expect(readRsvp("maybe or yes")).toEqual({ kind: "ambiguous", candidates: ["yes", "maybe"] });
  });

  it("reads only an answer that leads the first typed line", () => {
    expect(readRsvp("Thanks for organising. Yes")).toEqual({ kind: "unreadable" });
    expect(readRsvp("\n\n  \nYes\nNo")).toEqual({ kind: "choice", value: "yes" });
    expect(readRsvp("ok")).toEqual({ kind: "unreadable" });
    expect(readRsvp("No problem")).toEqual({ kind: "unreadable" });
    expect(readRsvp("   \n")).toEqual({ kind: "empty" });
  });
});
