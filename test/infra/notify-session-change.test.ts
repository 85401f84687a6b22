import { describe, expect, it } from "vitest";
import { routedFunction, synth } from "./synth.ts";

// A change's texts that must wait for the group's quiet hours to end are scheduled by
// notify-session-change (SessionChangeTextDue), which sends them when the schedule fires.

const s = synth();
const notifying = routedFunction(s, "convene-dev-notify-session-change");
const actions = notifying.statements.flatMap((st) => st.Action);

describe("the notify-session-change function", () => {
  it("hears of changes and of the texts it held", () => {
    expect(notifying.pattern.source).toEqual(["convene"]);
    expect([...notifying.pattern["detail-type"]].sort()).toEqual([
      "SessionCancelled",
      "SessionChangeTextDue",
      "SessionRescheduled",
    ]);
  });

  it("may schedule, email and text, and nothing of the inbound side", () => {
    expect(actions).toContain("scheduler:CreateSchedule");
    expect(actions).toContain("iam:PassRole");
    expect(actions).toContain("ses:SendEmail");
    expect(actions).toContain("sms-voice:SendTextMessage");
    expect(actions.some((a) => a.startsWith("sns:") || a === "dynamodb:Scan")).toBe(false);
  });
});
