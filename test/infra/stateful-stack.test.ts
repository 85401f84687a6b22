import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { createTableInput, tableDefinition } from "#adapters/aws/dynamodb/table.ts";
import { synth } from "./synth.ts";

const s = synth();

describe("the stateful stack", () => {
  it("holds only the table", () => {
    expect(
      Object.values(s.stateful.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type),
    ).toEqual(["AWS::DynamoDB::Table"]);
  });

  it("creates the table the local runtime creates: same keys, same index", () => {
    const local = createTableInput("convene-dev");
    s.stateful.hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: "convene-dev",
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions!),
      GlobalSecondaryIndexes: [
        {
          IndexName: tableDefinition.gsi1.name,
          KeySchema: local.GlobalSecondaryIndexes![0]!.KeySchema,
          Projection: { ProjectionType: "ALL" },
        },
      ],
      StreamSpecification: { StreamViewType: local.StreamSpecification!.StreamViewType },
    });
  });

  it("is on demand, encrypted with KMS, recoverable to a point in time, expiring items by TTL, and protected from deletion", () => {
    s.stateful.hasResourceProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      SSESpecification: { SSEEnabled: true }, // KMS, with the AWS-managed key aws/dynamodb
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
      DeletionProtectionEnabled: true,
    });
    s.stateful.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
    });
  });
});
