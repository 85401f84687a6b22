import { describe, expect, it } from "vitest";
import { tableAccess } from "#infra/cdk/table-access.ts";
import { routedFunction, synth } from "./synth.ts";

// Answers by text: answer-sms reads each SmsReceived and acts as an email answer would (an
// RSVP, volunteering, an offer), texting the member back or emailing the coordinators. The
// functions that ask about a vacancy now ask members who chose SMS by text too.

const s = synth();
const answering = routedFunction(s, "convene-dev-answer-sms");
const actionsOf = (statements: typeof answering.statements) => statements.flatMap((st) => st.Action);
const tableActions = (statements: typeof answering.statements) =>
  [...new Set(actionsOf(statements).filter((action) => action.startsWith("dynamodb:")))].sort();

describe("the answer-sms function", () => {
  it("has one rule on Convene's bus, for a text that is no keyword", () => {
    expect(answering.pattern.source).toEqual(["convene"]);
    expect(answering.pattern["detail-type"]).toEqual(["SmsReceived"]);
  });

  it("has the table actions table-access.ts names, and may text, email and schedule (a declined offer passes on)", () => {
    expect(tableActions(answering.statements)).toEqual([...tableAccess["answer-sms"]!.actions].sort());
    const actions = actionsOf(answering.statements);
    expect(actions).toContain("sms-voice:SendTextMessage");
    expect(actions).toContain("ses:SendEmail");
    expect(actions).toContain("scheduler:CreateSchedule");
    expect(actions.some((a) => a.startsWith("sns:") || a === "dynamodb:Scan")).toBe(false);
  });
});

describe("the functions that ask about a vacancy", () => {
  it.each(["convene-dev-call-for-volunteers", "convene-dev-fill-vacancy"])("%s may send texts", (name) => {
    expect(actionsOf(routedFunction(s, name).statements)).toContain("sms-voice:SendTextMessage");
  });
});
