import { describe, expect, it } from "vitest";
import { tableAccess } from "#infra/cdk/table-access.ts";
import { routedFunction, synth } from "./synth.ts";

// Who is coming: confirm-rsvp emails each recorded answer once; offer-place emails a freed
// place's offer, schedules its end, passes it on when the schedule fires (OfferLapsed), and
// gives up the places of a member who left the group (MemberLeftGroup).

const s = synth();
const confirming = routedFunction(s, "convene-dev-confirm-rsvp");
const offering = routedFunction(s, "convene-dev-offer-place");
const tableActions = (statements: typeof confirming.statements) =>
  [
    ...new Set(statements.flatMap((st) => st.Action).filter((action) => action.startsWith("dynamodb:"))),
  ].sort();
const actionsOf = (statements: typeof confirming.statements) => statements.flatMap((st) => st.Action);

describe("the confirm-rsvp function", () => {
  it("has one rule on Convene's bus, for an answer recorded", () => {
    expect(confirming.pattern.source).toEqual(["convene"]);
    expect(confirming.pattern["detail-type"]).toEqual(["RsvpRecorded"]);
  });

  it("has the table actions table-access.ts names, sends email and schedules nothing", () => {
    expect(tableActions(confirming.statements)).toEqual([...tableAccess["confirm-rsvp"]!.actions].sort());
    expect(actionsOf(confirming.statements)).toContain("ses:SendEmail");
    expect(actionsOf(confirming.statements).some((a) => a.startsWith("scheduler:"))).toBe(false);
  });
});

describe("the offer-place function", () => {
  it("has one rule on Convene's bus, for a place offered, an offer's end and a member leaving", () => {
    expect(offering.pattern.source).toEqual(["convene"]);
    expect([...offering.pattern["detail-type"]].sort()).toEqual([
      "MemberLeftGroup",
      "OfferLapsed",
      "PlaceOffered",
    ]);
  });

  it("may query the group's sessions to come by start (GSI1), for a member who left", () => {
    const onIndex = offering.statements.filter((st) => JSON.stringify(st.Resource).includes("/index/"));
    expect(onIndex.flatMap((st) => st.Action)).toEqual(["dynamodb:Query"]);
    expect(JSON.stringify(onIndex[0]!.Resource)).toMatch(/\/index\/GSI1"/);
    expect(tableActions(offering.statements)).toContain("dynamodb:DeleteItem");
  });

  it("has the table actions table-access.ts names, sends email and may create schedules", () => {
    expect(tableActions(offering.statements)).toEqual([...tableAccess["offer-place"]!.actions].sort());
    expect(tableActions(offering.statements)).toContain("dynamodb:ConditionCheckItem");
    const actions = actionsOf(offering.statements);
    expect(actions).toContain("ses:SendEmail");
    expect(actions).toContain("scheduler:CreateSchedule");
  });
});
