import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { readConfig } from "#infra/cdk/config.ts";

const config = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe("the CDK context", () => {
  it("has a documented default for every setting, so a clean clone synthesises", () => {
    expect(config({})).toEqual({
      stage: "dev",
      region: "eu-west-2",
      sendingDomain: "convene.example.org",
      replyDomain: "reply.convene.example.org",
      fromAddress: "reminders@convene.example.org",
      logRetentionDays: 30,
      archiveRetentionDays: 30,
      senderConcurrency: 2,
      sesMaxSendRate: 14,
    });
  });

  it("takes values from the command line as strings (-c key=value)", () => {
    expect(
      config({ stage: "prod", senderConcurrency: "4", logRetentionDays: "90", sesMaxSendRate: "50.5" }),
    ).toMatchObject({
      stage: "prod",
      senderConcurrency: 4,
      logRetentionDays: 90,
      sesMaxSendRate: 50.5,
    });
  });

  it("names every invalid setting", () => {
    expect(() =>
      config({ stage: "Prod!", region: "london", logRetentionDays: "31", sesMaxSendRate: "0" }),
    ).toThrow(
      /stage: .*; region: .*; logRetentionDays: must be a CloudWatch Logs retention period.*; sesMaxSendRate: /,
    );
  });
});
