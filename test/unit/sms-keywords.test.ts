import { describe, expect, it } from "vitest";
import { maxInboundSmsLength, optOutKeywords, readInboundSms } from "#domain/sms-keywords.ts";

describe("readInboundSms", () => {
  it.each([
    "STOP",
    "Stop",
    "stop",
    "sToP",
    "STOP.",
    "Stop!",
    " stop",
    "stop\n",
    "\t STOP \r\n",
    "stop please",
    "STOP sending me these",
    "Stop, thanks",
    '"STOP"',
    "(stop)",
    "...stop",
    "🛑 STOP",
    "ＳＴＯＰ",
  ])("reads %j as STOP", (body) => {
    expect(readInboundSms(body)).toEqual({ kind: "opt-out", keyword: "STOP" });
  });

  it.each(optOutKeywords.map((k) => [k]))("reads each opt-out word AWS requires: %s", (keyword) => {
    expect(readInboundSms(keyword)).toEqual({ kind: "opt-out", keyword });
    expect(readInboundSms(` ${keyword.toLowerCase()}.`)).toEqual({ kind: "opt-out", keyword });
  });

  it.each([
    ["Arrêt", "ARRET"],
    ["arret svp", "ARRET"],
    ["opt out", "OPT-OUT"],
    ["Opt-Out please", "OPT-OUT"],
    ["optout", "OPTOUT"],
    ["Unsubscribe me", "UNSUBSCRIBE"],
    ["td", "TD"],
    ["Cancel.", "CANCEL"],
  ])("reads %j as %s", (body, keyword) => {
    expect(readInboundSms(body)).toEqual({ kind: "opt-out", keyword });
  });

  it.each([
    "stopping",
    "Stopped by to say hi",
    "non-stop",
    "please stop",
    "I want to stop",
    "S T O P",
    "STO P",
    "endless",
    "optional",
    "opt outside",
    "tdy",
    "quite",
  ])("does not read %j as an opt-out", (body) => {
    expect(readInboundSms(body)).toEqual({ kind: "answer", text: body.trim() });
  });

  it.each(["HELP", "help", "Help?", " help me", "HELP!!"])("reads %j as HELP", (body) => {
    expect(readInboundSms(body)).toEqual({ kind: "help" });
  });

  it.each(["helpful", "I need help"])("does not read %j as HELP", (body) => {
    expect(readInboundSms(body).kind).toBe("answer");
  });

  it.each([
    ["START", "START"],
    ["start", "START"],
    ["Start again please", "START"],
    ["UNSTOP", "UNSTOP"],
    ["unstop.", "UNSTOP"],
  ])("reads %j as opting in with %s", (body, keyword) => {
    expect(readInboundSms(body)).toEqual({ kind: "opt-in", keyword });
  });

  it.each(["started", "restart", "unstoppable"])("does not read %j as opting in", (body) => {
    expect(readInboundSms(body).kind).toBe("answer");
  });

  it("passes anything else on trimmed, as written", () => {
    expect(readInboundSms("  Yes, I can do it \n")).toEqual({ kind: "answer", text: "Yes, I can do it" });
    expect(readInboundSms("no")).toEqual({ kind: "answer", text: "no" });
    expect(readInboundSms("2")).toEqual({ kind: "answer", text: "2" });
  });

  it("keeps non-GSM texts (emoji, other scripts) as answers unchanged", () => {
    expect(readInboundSms("👍")).toEqual({ kind: "answer", text: "👍" });
    expect(readInboundSms(" Да, приду ")).toEqual({ kind: "answer", text: "Да, приду" });
    expect(readInboundSms("是的")).toEqual({ kind: "answer", text: "是的" });
    expect(readInboundSms("?")).toEqual({ kind: "answer", text: "?" });
  });

  it.each(["", " ", "\n\t ", "\u00a0"])("reads the blank text %j as empty", (body) => {
    expect(readInboundSms(body)).toEqual({ kind: "empty" });
  });

  it("reads a text of 1,600 characters, and refuses a longer one", () => {
    const longest = `yes ${"x".repeat(maxInboundSmsLength - 4)}`;
    expect(readInboundSms(longest)).toEqual({ kind: "answer", text: longest });
    expect(readInboundSms(`STOP${"!".repeat(maxInboundSmsLength - 4)}`)).toEqual({
      kind: "opt-out",
      keyword: "STOP",
    });
    expect(readInboundSms(`${longest}y`)).toEqual({ kind: "too-long", length: maxInboundSmsLength + 1 });
  });

  it("counts length in characters, not UTF-16 units: 1,600 emoji are one text", () => {
    expect(readInboundSms("😀".repeat(maxInboundSmsLength)).kind).toBe("answer");
    expect(readInboundSms("😀".repeat(maxInboundSmsLength + 1))).toEqual({
      kind: "too-long",
      length: maxInboundSmsLength + 1,
    });
  });
});
