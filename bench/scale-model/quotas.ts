// The AWS limits and behaviours the scale model runs against, as parameters: each default
// says where it comes from. The SDK's retry settings are read from the SDK itself; the
// deployed settings (timeouts, concurrency, queues, retries) from the template (deployed.ts).

import { DEFAULT_MAX_ATTEMPTS, INITIAL_RETRY_TOKENS, MAXIMUM_RETRY_DELAY, Retry } from "@smithy/core/retry";

export interface Quotas {
  ses: {
    /** SendQuota.MaxSendRate: emails a second for the account (GetAccount). */
    maxSendRate: number;
    /**
     * SendQuota.Max24HourSend: emails in any 24 hours; undefined sizes it to the day's need
     * (the evening plus the rest of the day's mail), which the model reports.
     */
    max24HourSend: number | undefined;
    /** Emails a group sends on other days' business in the same 24 hours (ballots, results…). */
    otherEmailsPerGroupDay: number;
    /** One SendEmail round trip from Lambda. */
    latencyMs: number;
  };
  lambda: {
    /** Concurrent executions of the account (Region). */
    accountConcurrency: number;
    /** New execution environments a function may add, per 10 seconds. */
    scalingPer10Seconds: number;
    /** An asynchronous event throttled for want of concurrency is retried after 1 s, doubling to 5 min. */
    throttledRetryFirstSeconds: number;
    throttledRetryMaxSeconds: number;
    /** Lambda's waits before the retries of a failed asynchronous invocation. */
    errorRetryWaitsSeconds: readonly number[];
    /** Initialisation of a new execution environment (module load and clients). */
    coldStartMs: number;
    /** Memory at which a function has one full vCPU; below it CPU is proportional. */
    oneVcpuAtMb: number;
    /** Lambda's CPU against this machine's for the same work (1: as fast). */
    cpuSlowdown: number;
  };
  dynamo: {
    /** Per partition: read and write capacity units a second. */
    partitionReadUnits: number;
    partitionWriteUnits: number;
    latencyMs: number;
  };
  scheduler: { invocationsPerSecond: number };
  eventBridge: {
    putEventsPerSecond: number;
    invocationsPerSecond: number;
    /** From an event on the bus to its target's invocation (or queue). */
    deliveryLatencyMs: number;
  };
  /** The AWS SDK's standard retry mode, as the installed SDK has it. */
  sdk: {
    maxAttempts: number;
    throttlingDelayBaseMs: number;
    maxDelayMs: number;
    initialRetryTokens: number;
    throttlingRetryCost: number;
  };
  /** US dollars, as docs/deploy.md's monthly estimate prices them (US East list prices). */
  prices: {
    lambdaGbSecond: number;
    dynamoWriteUnit: number;
    dynamoReadUnit: number;
    sesEmail: number;
    schedulerInvocation: number;
    busEvent: number;
    sqsRequest: number;
  };
}

export const defaultQuotas = (): Quotas => ({
  ses: {
    // The issue's account: SES no longer publishes a fixed production quota ("varies based on
    // your use case", SES quotas page); 14 a second (and 50,000 a day) were the long-quoted
    // starting figures. Read yours with `aws sesv2 get-account --query SendQuota`.
    maxSendRate: 14,
    max24HourSend: undefined,
    // docs/deploy.md's workload: 85 vote emails a group-month, spread over 30 days.
    otherEmailsPerGroupDay: 85 / 30,
    latencyMs: 80,
  },
  lambda: {
    accountConcurrency: 1000, // Lambda quotas: default concurrent executions per Region
    scalingPer10Seconds: 1000, // Lambda scaling: 1,000 environments every 10 s per function
    throttledRetryFirstSeconds: 1, // "How Lambda handles errors and retries with asynchronous invocation"
    throttledRetryMaxSeconds: 300,
    errorRetryWaitsSeconds: [60, 120], // the same page; infra/cdk/sending-lease.ts counts on them
    coldStartMs: 600, // assumed: bench's cold module load (≈300 ms) plus the runtime's start
    oneVcpuAtMb: 1769, // Lambda memory and computing power
    cpuSlowdown: 1,
  },
  dynamo: { partitionReadUnits: 3000, partitionWriteUnits: 1000, latencyMs: 8 },
  scheduler: { invocationsPerSecond: 1000 }, // Scheduler quotas: invocations throttle limit
  // EventBridge quotas vary by Region; 2,400 and 2,250 are below eu-west-2's (assumed; check
  // Service Quotas). Neither binds: Scheduler fires at most 1,000 a second.
  eventBridge: { putEventsPerSecond: 2400, invocationsPerSecond: 2250, deliveryLatencyMs: 300 },
  sdk: {
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    throttlingDelayBaseMs: Retry.throttlingDelay(),
    maxDelayMs: MAXIMUM_RETRY_DELAY,
    initialRetryTokens: INITIAL_RETRY_TOKENS,
    throttlingRetryCost: Retry.throttlingCost(),
  },
  prices: {
    lambdaGbSecond: 0.0000133334,
    dynamoWriteUnit: 0.625 / 1e6,
    dynamoReadUnit: 0.125 / 1e6,
    sesEmail: 0.1 / 1000,
    schedulerInvocation: 1 / 1e6,
    busEvent: 1 / 1e6,
    sqsRequest: 0.4 / 1e6,
  },
});
