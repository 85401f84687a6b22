import { describe, expect, it } from "vitest";
import { readSmsAnswer } from "#domain/sms-answer.ts";

describe("readSmsAnswer", () => {
  it.each([
    ["Yes", "yes"],
    ["y", "yes"],
    ["yes!", "yes"],
    ["YES", "yes"],
    ["Yes I'll be there", "yes"],
    ["I can do it", "yes"],
    ["I'll do it 👍", "yes"],
    ["no sorry", "no"],
    ["No", "no"],
    ["can't", "no"],
    ["Can’t make it sorry", "no"],
    ["cant", "no"],
    ["maybe", "maybe"],
    ["Not sure", "maybe"],
  ])("reads %j as %s", (text, kind) => {
    expect(readSmsAnswer(text)).toEqual({ kind });
  });

  it.each([
    ["1", 1],
    ["2", 2],
    [" 2. ", 2],
    ["#3", 3],
  ])("reads %j as menu pick %i", (text, number) => {
    expect(readSmsAnswer(text)).toEqual({ kind: "pick", number });
  });

  it.each([
    "yes no",
    "Yes or maybe",
    "no idea",
    "who is this?",
    "I can't do it, maybe next time yes",
    "0",
    "42",
    "thanks",
    "👍",
    "",
  ])("finds no answer in %j", (text) => {
    expect(readSmsAnswer(text)).toEqual({ kind: "unreadable" });
  });
});
