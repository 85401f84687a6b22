import { describe, expect, it } from "vitest";
import type { DeployedFunction } from "../../bench/scale-model/deployed.ts";
import { keyShape, type MeasuredEvening, type TargetUse } from "../../bench/scale-model/measure.ts";
import { defaultQuotas } from "../../bench/scale-model/quotas.ts";
import { simulateEvening, type Design } from "../../bench/scale-model/simulate.ts";

// The scale model's simulation on a small evening whose answer is known: a queue drained at a
// paced rate takes messages ÷ rate and meets no throttle; the same fan-outs unpaced, two at a
// time with sixteen sends each, meet SES's rate at once.

const use = (over: Partial<TargetUse>): TargetUse => ({
  invocations: 1,
  failures: 0,
  emails: 0,
  requests: 0,
  byCommand: {},
  readUnits: 0,
  writeUnits: 0,
  byPartition: {},
  outboxEvents: 0,
  requestsPerInvocationBeforeSending: 0,
  ...over,
});

/** One group's evening: a reminder event of 25 emails (reads on the shared key), a facilitator check. */
const measured: MeasuredEvening = {
  groups: 1,
  members: 25,
  dueEvents: {
    "SessionReminderDue → send-session-reminders": 1,
    "FacilitatorCheckDue → check-facilitator": 1,
  },
  schedulesFired: 2,
  targets: {
    "send-session-reminders": use({
      emails: 25,
      requests: 54,
      readUnits: 16,
      writeUnits: 50,
      requestsPerInvocationBeforeSending: 4,
      byPartition: {
        "ORG#·": { items: 26, readUnits: 13, writeUnits: 0, sharedByGroups: true },
        "ORG#·#GROUP#·": { items: 2, readUnits: 3, writeUnits: 0, sharedByGroups: false },
        "ORG#·#DELIVERY#·": { items: 50, readUnits: 0, writeUnits: 50, sharedByGroups: false },
      },
    }),
    "check-facilitator": use({
      requests: 2,
      readUnits: 2,
      requestsPerInvocationBeforeSending: 2,
      byPartition: { "ORG#·#GROUP#·": { items: 2, readUnits: 2, writeUnits: 0, sharedByGroups: false } },
    }),
  },
  renderCpuMsPerMessage: 1.5,
  capacityReported: true,
};

const fn = (name: string, over: Partial<DeployedFunction> = {}): DeployedFunction => ({
  name,
  timeoutSeconds: 75,
  memoryMb: 256,
  delivery: { kind: "async", retries: 2, maxEventAgeSeconds: 6 * 3600, reservedConcurrency: undefined },
  sendRatePerInstance: undefined,
  sendingLeaseSeconds: 90,
  ...over,
});

const design = (label: string, sender: DeployedFunction, throttled: boolean): Design => ({
  label,
  sender,
  others: { "check-facilitator": fn("check-facilitator", { timeoutSeconds: 30 }) },
  sendConcurrency: 16,
  throttleRetry: throttled ? { budgetMs: 10_000, firstDelayMs: 1_000, maxDelayMs: 4_000 } : undefined,
  reservedTotal: 2,
});

const scenario = { groups: 300, peakShare: 1, horizonHours: 24, seed: 7 };

describe("the scale model's evening", () => {
  it("drains a paced queue at its rate, with nothing lost and no throttle met", () => {
    const queued = fn("send-session-reminders", {
      delivery: {
        kind: "queue",
        maximumConcurrency: 2,
        batchSize: 1,
        visibilityTimeoutSeconds: 450,
        maxReceiveCount: 10,
        retentionSeconds: 4 * 86400,
      },
      sendRatePerInstance: 5.6,
    });
    const out = simulateEvening(measured, design("after", queued, true), defaultQuotas(), scenario);
    expect(out.messages).toBe(7500);
    expect(out.lost).toBe(0);
    expect(out.throttles.ses).toBe(0);
    expect(out.throttles.lambda).toBe(0);
    // 7,500 emails at 11.2 a second: about 670 s.
    expect(out.drainSeconds).toBeGreaterThan(7500 / 11.2);
    expect(out.drainSeconds).toBeLessThan((7500 / 11.2) * 1.05);
    expect(out.invocations["send-session-reminders"]).toBe(300);
    expect(out.hottestPartition?.shape).toBe("ORG#·");
  });

  it("meets SES's rate and Lambda's concurrency at once when the fan-outs are neither queued nor paced", () => {
    const asynchronous = fn("send-session-reminders", {
      delivery: { kind: "async", retries: 2, maxEventAgeSeconds: 6 * 3600, reservedConcurrency: 2 },
    });
    const out = simulateEvening(measured, design("before", asynchronous, false), defaultQuotas(), scenario);
    expect(out.throttles.ses).toBeGreaterThan(1000);
    expect(out.throttles.lambda).toBeGreaterThan(100);
    expect(out.failedInvocations).toBeGreaterThan(0);
    expect(out.sent + out.lost).toBe(out.messages);
  });

  it("loses what the daily quota cannot take, whatever the design", () => {
    const quotas = defaultQuotas();
    quotas.ses.max24HourSend = 5000;
    quotas.ses.otherEmailsPerGroupDay = 0;
    const queued = fn("send-session-reminders", {
      delivery: {
        kind: "queue",
        maximumConcurrency: 2,
        batchSize: 1,
        visibilityTimeoutSeconds: 450,
        maxReceiveCount: 3,
        retentionSeconds: 4 * 86400,
      },
      sendRatePerInstance: 5.6,
    });
    const out = simulateEvening(measured, design("after", queued, true), quotas, scenario);
    expect(out.sent).toBe(5000);
    expect(out.lost).toBe(2500);
    expect(out.deadLettered).toBeGreaterThan(0);
  });
});

describe("a key's shape", () => {
  it("keeps the kinds and replaces every run of ids, so keys of one kind compare equal", () => {
    expect(keyShape("ORG#o-1")).toBe("ORG#·");
    expect(keyShape("ORG#o-1#GROUP#g-2")).toBe("ORG#·#GROUP#·");
    expect(keyShape("ORG#o-1#DELIVERY#s-1#v1#m-3#email#2880m")).toBe("ORG#·#DELIVERY#·");
    expect(keyShape("ORG#o-1#GROUP#g-2#SESSIONS")).toBe("ORG#·#GROUP#·#SESSIONS");
  });
});
