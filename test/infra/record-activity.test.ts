import { describe, expect, it } from "vitest";
import { activityEventTypes } from "#read-models/group-activity.ts";
import { functionNamesById, routedFunction, synth } from "./synth.ts";

// The activity log's projection writes one item per event and reads nothing: its role may put
// items in the table and nothing else there. These pin that down beside the generic checks.

const s = synth();
const { id, fn, pattern, statements } = routedFunction(s, "convene-dev-record-activity");

describe("the record-activity projection", () => {
  it("has one rule on Convene's bus for exactly the events the log records", () => {
    expect(pattern.source).toEqual(["convene"]);
    expect([...pattern["detail-type"]].sort()).toEqual([...activityEventTypes].sort());
    expect(functionNamesById(s)[id]).toBe("convene-dev-record-activity");
  });

  it("may put items in the table, and nothing else beyond its logs and dead letters", () => {
    const actions = statements.flatMap((st) => st.Action).sort();
    expect(actions).toEqual(
      [
        "dynamodb:PutItem",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        // Lambda's on-failure destination: the route's dead-letter queue.
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:SendMessage",
      ].sort(),
    );
    const put = statements.find((st) => st.Action.includes("dynamodb:PutItem"))!;
    expect(JSON.stringify(put.Resource)).not.toContain("/index/");
  });

  it("is given the table's name only", () => {
    const variables = Object.keys((fn.Properties!.Environment as { Variables: object }).Variables).filter(
      (name) => !name.startsWith("POWERTOOLS_") && name !== "NODE_OPTIONS",
    );
    expect(variables).toEqual(["TABLE_NAME"]);
  });
});
