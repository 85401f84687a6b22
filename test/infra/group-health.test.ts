import { describe, expect, it } from "vitest";
import { groupHealthEventTypes } from "#use-cases/overview/track-group-health.ts";
import { functionNamesById, routedFunction, synth } from "./synth.ts";

// The overview's projection is the first function that only keeps aggregates: it reads
// widely, writes only its own items (UpdateItem, and PutItem for the trend markers), sends
// nothing and deletes nothing. These pin that down beside the generic checks.

const s = synth();
const { id, fn, pattern, statements } = routedFunction(s, "convene-dev-track-group-health");

describe("the track-group-health projection", () => {
  it("has one rule on Convene's bus for exactly the events its use case handles", () => {
    expect(pattern.source).toEqual(["convene"]);
    expect([...pattern["detail-type"]].sort()).toEqual([...groupHealthEventTypes].sort());
    expect(functionNamesById(s)[id]).toBe("convene-dev-track-group-health");
  });

  it("may read the table and GSI1, update and put items, and nothing else beyond its logs and dead letters", () => {
    const actions = statements.flatMap((st) => st.Action).sort();
    expect(actions).toEqual(
      [
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:Query", // on GSI1
        "dynamodb:UpdateItem",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        // Lambda's on-failure destination: the route's dead-letter queue.
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:SendMessage",
      ].sort(),
    );
    const onIndex = statements.filter((st) => JSON.stringify(st.Resource).includes("/index/"));
    expect(onIndex.map((st) => st.Action)).toEqual([["dynamodb:Query"]]);
  });

  it("is given the table's name only", () => {
    const variables = Object.keys((fn.Properties!.Environment as { Variables: object }).Variables).filter(
      (name) => !name.startsWith("POWERTOOLS_") && name !== "NODE_OPTIONS",
    );
    expect(variables).toEqual(["TABLE_NAME"]);
  });
});
