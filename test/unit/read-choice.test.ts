import { describe, expect, it } from "vitest";
import { readChoice, readVolunteering } from "#inbound/read-choice.ts";

const proposal = { kind: "proposal" } as const;
const venues = { kind: "choice", options: ["Community Centre", "Library", "Online"] } as const;

describe("a proposal: yes, no or abstain", () => {
  it.each([
    "yes",
    "Yes",
    "YES",
    "Yes!",
    "yes.",
    "YES please",
    "Yes please!",
    "Y",
    "yeah",
    "Yep",
    "yup",
    "Yesss",
    "I vote yes",
    "My vote is yes",
    "Yes, I agree",
    "I agree",
    "Agreed.",
    "In favour",
    "Yes 👍",
    "\u201cYes\u201d",
    "Yes, see you on Thursday",
    "Yes, no problem",
    "Yes thanks",
    "Hi, yes",
  ])("%j reads yes", (typed) => {
    expect(readChoice(typed, proposal)).toEqual({ kind: "choice", value: "yes" });
  });

  it.each([
    "no",
    "No.",
    "NO!",
    "No thanks",
    "No, thank you",
    "Nope",
    "n",
    "I vote no",
    "Against",
    "I disagree",
    "Not in favour",
    "nooo",
  ])("%j reads no", (typed) => {
    expect(readChoice(typed, proposal)).toEqual({ kind: "choice", value: "no" });
  });

  it.each(["abstain", "Abstain.", "I abstain", "I'll abstain", "I\u2019m abstaining", "Abstention"])(
    "%j reads abstain",
    (typed) => {
      expect(readChoice(typed, proposal)).toEqual({ kind: "choice", value: "abstain" });
    },
  );

  it.each([
    ["yes and no", ["yes", "no"]],
    ["yes. no", ["yes", "no"]],
    ["Yes/No", ["yes", "no"]],
    ["yes or no", ["yes", "no"]],
    ["No - abstain", ["no", "abstain"]],
    ["Yes! No, abstain", ["yes", "no", "abstain"]],
  ])("%j is ambiguous", (typed, candidates) => {
    expect(readChoice(typed, proposal)).toEqual({ kind: "ambiguous", candidates });
  });

  it.each([
    "maybe",
    "ok",
    "Sure",
    "aye",
    "+1",
    "👍",
    "No idea",
    "no vote",
    "Not sure",
    "I think so",
    "Yes if the venue is cheaper",
    "I don't agree",
    "2",
    "…",
  ])("%j is unreadable", (typed) => {
    expect(readChoice(typed, proposal)).toEqual({ kind: "unreadable" });
  });

  it.each(["", "   ", "\n\n \t\n"])("%j is empty", (typed) => {
    expect(readChoice(typed, proposal)).toEqual({ kind: "empty" });
  });

  it("reads the first line only: the answer is there, what follows is explanation", () => {
    expect(readChoice("Yes\nNo, on second thoughts", proposal)).toEqual({ kind: "choice", value: "yes" });
    expect(readChoice("Hello\nYes", proposal)).toEqual({ kind: "unreadable" });
  });

  it("skips blank lines and lines with no letter or digit before the first line", () => {
    expect(readChoice("\n\n   \n---\n  No  \n", proposal)).toEqual({ kind: "choice", value: "no" });
  });
});

describe("a choice vote: an option's number or name", () => {
  it.each([
    "2",
    "#2",
    "2.",
    "(2)",
    "Option 2",
    "option #2",
    "Option two",
    "number 2",
    "Two",
    "two please",
    "2 please",
    "I'd prefer 2",
    "Library",
    "library!",
    "The library please",
    "LIBRARY",
    "2 Library",
    "2 - the library",
  ])("%j reads Library", (typed) => {
    expect(readChoice(typed, venues)).toEqual({ kind: "choice", value: "Library" });
  });

  it("matches a name across case and punctuation, as whole words", () => {
    expect(readChoice("community-centre", venues)).toEqual({ kind: "choice", value: "Community Centre" });
    expect(readChoice("Online.", venues)).toEqual({ kind: "choice", value: "Online" });
    expect(readChoice("Party", { kind: "choice", options: ["Art", "Music"] })).toEqual({
      kind: "unreadable",
    });
  });

  it("prefers the longest name, so one option's name inside another's is not a second choice", () => {
    const options = ["Centre", "Community Centre"];
    expect(readChoice("Community Centre", { kind: "choice", options })).toEqual({
      kind: "choice",
      value: "Community Centre",
    });
  });

  it("reads numbers inside an option's name as part of the name", () => {
    const options = ["Tuesday 7pm", "Thursday 6 pm"];
    expect(readChoice("Thursday 6 pm", { kind: "choice", options })).toEqual({
      kind: "choice",
      value: "Thursday 6 pm",
    });
    expect(readChoice("2", { kind: "choice", options })).toEqual({ kind: "choice", value: "Thursday 6 pm" });
  });

  it("reads a number word only after 'option' or 'number', or on its own", () => {
    expect(readChoice("One", venues)).toEqual({ kind: "choice", value: "Community Centre" });
    expect(readChoice("the one in town", venues)).toEqual({ kind: "unreadable" });
  });

  it.each([
    ["1 library", ["Community Centre", "Library"]],
    ["1 or 2", ["Community Centre", "Library"]],
    ["2, 3", ["Library", "Online"]],
    ["Library or online", ["Library", "Online"]],
    ["Option 3, not the community centre", ["Community Centre", "Online"]],
  ])("%j is ambiguous", (typed, candidates) => {
    expect(readChoice(typed, venues)).toEqual({ kind: "ambiguous", candidates });
  });

  it.each(["4", "0", "option 7", "2 or 12", "Whatever suits", "yes"])("%j is unreadable", (typed) => {
    expect(readChoice(typed, venues)).toEqual({ kind: "unreadable" });
  });

  it("is empty when nothing was typed", () => {
    expect(readChoice("  \n", venues)).toEqual({ kind: "empty" });
  });

  it("reads the first line only", () => {
    expect(readChoice("2\nActually 3 is closer", venues)).toEqual({ kind: "choice", value: "Library" });
  });

  it("gives the option as the ballot wrote it", () => {
    expect(readChoice("CAFÉ NERO", { kind: "choice", options: ["Library", "Café Nero"] })).toEqual({
      kind: "choice",
      value: "Café Nero",
    });
  });
});

describe("volunteering for a role", () => {
  it.each([
    "volunteer",
    "I volunteer",
    "I volunteer!",
    "I'll do it",
    "I\u2019ll do it",
    "I can do it",
    "I will do it",
    "Count me in",
    "Yes, count me in",
    "Happy to volunteer",
    "I'd like to volunteer",
  ])("%j volunteers", (typed) => {
    expect(readVolunteering(typed)).toBe(true);
  });

  it.each([
    "I can't do it",
    "I can\u2019t do it",
    "I cannot do it",
    "Sorry, I won't volunteer",
    "Not me",
    "Could I volunteer?",
    "Who will volunteer",
    "Someone else should volunteer",
    "No",
    "Thanks for asking",
    "",
    "Thanks\nI'll do it",
  ])("%j does not", (typed) => {
    expect(readVolunteering(typed)).toBe(false);
  });
});
