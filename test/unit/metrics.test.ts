import { Metrics as Powertools } from "@aws-lambda-powertools/metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cloudWatchMetrics } from "#adapters/aws/cloudwatch-metrics.ts";
import { localMetrics } from "#adapters/local/local-metrics.ts";

// The AWS adapter is Powertools itself: its EMF lines are read back as CloudWatch would.
const emfLines = () => {
  const lines: Record<string, unknown>[] = [];
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    for (const line of String(chunk).split("\n").filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });
  return { lines, restore: () => write.mockRestore() };
};

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [field: string]: unknown;
}

describe("CloudWatch metrics (Powertools EMF)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("publishes a count with its dimension at once, in the Convene namespace", () => {
    const { lines, restore } = emfLines();
    const powertools = new Powertools({ namespace: "Convene", serviceName: "receive-reply" });
    cloudWatchMetrics(powertools).count("RepliesRefused", { reason: "not-a-member" });
    restore();
    expect(lines).toHaveLength(1);
    const emf = lines[0] as Emf;
    const directive = emf._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe("Convene");
    expect(directive.Metrics.map((m) => m.Name)).toEqual(["RepliesRefused"]);
    expect(directive.Dimensions[0]).toEqual(expect.arrayContaining(["service", "reason"]));
    expect(emf).toMatchObject({ RepliesRefused: 1, reason: "not-a-member", service: "receive-reply" });
  });

  it("stores counts without dimensions until the invocation publishes them, summed", () => {
    const { lines, restore } = emfLines();
    const powertools = new Powertools({ namespace: "Convene", serviceName: "close-vote" });
    const metrics = cloudWatchMetrics(powertools);
    metrics.count("BallotsCounted", {}, 3);
    metrics.count("BallotsCounted", {});
    const beforePublish = lines.length;
    powertools.publishStoredMetrics();
    restore();
    expect(beforePublish).toBe(0);
    expect(lines).toHaveLength(1);
    const values = (lines[0] as Emf)["BallotsCounted"];
    expect([values].flat().reduce((sum: number, v) => sum + Number(v), 0)).toBe(4);
  });
});

describe("local metrics", () => {
  it("counts per metric and dimensions, and a snapshot is a copy", () => {
    const metrics = localMetrics();
    metrics.count("MessagesSent", { channel: "email" });
    metrics.count("MessagesSent", { channel: "email" }, 2);
    metrics.count("MessagesSent", { channel: "sms" });
    metrics.count("BallotsCounted", {});
    const snapshot = metrics.snapshot();
    expect(snapshot).toEqual([
      { metric: "BallotsCounted", dimensions: {}, value: 1 },
      { metric: "MessagesSent", dimensions: { channel: "email" }, value: 3 },
      { metric: "MessagesSent", dimensions: { channel: "sms" }, value: 1 },
    ]);
    snapshot[1]!.value = 99;
    expect(metrics.snapshot()[1]!.value).toBe(3);
  });
});
