// The evening, simulated: a discrete-event model of the peak on AWS, in which every request is
// one the handlers were measured making (measure.ts), every setting is the template's
// (deployed.ts) and every limit a parameter (quotas.ts). It follows each reminder event from
// its schedule to the last of its emails: Scheduler's firing rate, the bus, Lambda's queue
// (asynchronous: concurrency, throttled retries, error retries, event age; or an SQS queue:
// maximum concurrency, visibility timeout, receive count), each invocation's reads, renders,
// claims and sends (at most `sendConcurrency` at once, paced per instance where the design
// paces), SES's account rate and daily quota, the SDK's retries with their retry quota, the
// mailer's own throttle retries, and DynamoDB's per-partition throughput.

import { seededRandom } from "#infra/local/fault-injection.ts";
import type { DeployedFunction } from "./deployed.ts";
import type { MeasuredEvening, TargetUse } from "./measure.ts";
import type { Quotas } from "./quotas.ts";

export interface Scenario {
  groups: number;
  /** Share of the groups whose session is at the peak hour (19:00 local). */
  peakShare: number;
  /** Where the simulation stops; whatever is unsent then counts as lost. */
  horizonHours: number;
  seed: number;
}

export const defaultScenario = (): Scenario => ({
  groups: 10_000,
  peakShare: 1 / 3,
  horizonHours: 24,
  seed: 1,
});

export interface ThrottleRetry {
  /** Total wait the mailer spends on one message's throttles before giving it up. */
  budgetMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export interface Design {
  label: string;
  /** The function that sends the reminders, as deployed in this design. */
  sender: DeployedFunction;
  /** The other functions the peak's events reach (their settings). */
  others: Record<string, DeployedFunction>;
  /** Sends in flight at once within one invocation. */
  sendConcurrency: number;
  /** SES throttles retried beyond the SDK's attempts, the claim held; undefined: given up at once. */
  throttleRetry: ThrottleRetry | undefined;
  /** Reserved concurrency of every function of the account. */
  reservedTotal: number;
}

export interface EveningOutcome {
  design: string;
  messages: number;
  sent: number;
  lost: number;
  /** Seconds from the due time to the last email sent. */
  drainSeconds: number;
  delay: { overOneMinute: number; p50Seconds: number; p95Seconds: number; maxSeconds: number };
  throttles: {
    /** SendEmail attempts SES refused: over the rate, or past the daily quota. */
    ses: number;
    /** Asynchronous invocations Lambda refused for want of concurrency. */
    lambda: number;
    /** Schedules that could not fire in their due second. */
    scheduler: number;
    /** Read and write units above one partition's throughput, summed over seconds. */
    dynamoReadUnits: number;
    dynamoWriteUnits: number;
  };
  /** The busiest key shared by the peak's groups, at its busiest second. */
  hottestPartition: { shape: string; readUnitsPerSecond: number; writeUnitsPerSecond: number } | undefined;
  invocations: Record<string, number>;
  failedInvocations: number;
  timedOut: number;
  /** Events dead-lettered or dropped, and the emails in them that were never sent. */
  deadLettered: number;
  sesQuotaUsed: number;
  sesQuotaNeeded: number;
  cost: { total: number; lines: Record<string, number> };
}

/** A binary heap of timed callbacks, earliest first (ties in insertion order). */
class Timeline {
  now = 0;
  private readonly heap: { t: number; seq: number; run: () => void }[] = [];
  private seq = 0;
  at(t: number, run: () => void): void {
    const node = { t: Math.max(t, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(node);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (h[p]!.t < node.t || (h[p]!.t === node.t && h[p]!.seq < node.seq)) break;
      h[i] = h[p]!;
      h[p] = node;
      i = p;
    }
  }
  after(ms: number, run: () => void): void {
    this.at(this.now + ms, run);
  }
  run(untilMs: number): void {
    const h = this.heap;
    while (h.length > 0) {
      const top = h[0]!;
      if (top.t > untilMs) return;
      const last = h.pop()!;
      if (h.length > 0) {
        h[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          const less = (a: number, b: number) =>
            h[a]!.t < h[b]!.t || (h[a]!.t === h[b]!.t && h[a]!.seq < h[b]!.seq);
          if (l < h.length && less(l, m)) m = l;
          if (r < h.length && less(r, m)) m = r;
          if (m === i) break;
          [h[i], h[m]] = [h[m]!, h[i]!];
          i = m;
        }
      }
      this.now = top.t;
      top.run();
    }
  }
}

interface Container {
  cold: boolean;
  cpuFreeAt: number;
  paceNextAt: number;
  /** The SDK client's retry quota (per client, so per container). */
  retryTokens: number;
}

/** Lambda concurrency: a function's own limit (reserved, or the queue's maximum) and the account's shared pool. */
class Concurrency {
  private accountInUse = 0;
  private scalingTokens: number;
  private scalingAt = 0;
  constructor(
    private readonly timeline: Timeline,
    private readonly unreserved: number,
    private readonly quotas: Quotas,
  ) {
    this.scalingTokens = quotas.lambda.scalingPer10Seconds;
  }
  pool(limit: number | undefined, shared: boolean) {
    const idle: Container[] = [];
    let busy = 0;
    const acquire = (): Container | undefined => {
      if (limit !== undefined && busy >= limit) return undefined;
      if (shared && this.accountInUse >= this.unreserved) return undefined;
      let container = idle.pop();
      if (!container) {
        if (!this.scale()) return undefined;
        container = {
          cold: true,
          cpuFreeAt: 0,
          paceNextAt: 0,
          retryTokens: this.quotas.sdk.initialRetryTokens,
        };
      }
      busy++;
      if (shared) this.accountInUse++;
      return container;
    };
    const release = (container: Container) => {
      busy--;
      if (shared) this.accountInUse--;
      idle.push(container);
    };
    return { acquire, release };
  }
  private scale(): boolean {
    const now = this.timeline.now;
    const per = this.quotas.lambda.scalingPer10Seconds;
    this.scalingTokens = Math.min(per, this.scalingTokens + ((now - this.scalingAt) / 10_000) * per);
    this.scalingAt = now;
    if (this.scalingTokens < 1) return false;
    this.scalingTokens -= 1;
    return true;
  }
}

type SesAnswer = "accepted" | "rate" | "quota";

/** SES's account: a token bucket at MaxSendRate (a second's burst) and the 24-hour quota. */
class SesAccount {
  private tokens: number;
  private at = 0;
  accepted = 0;
  refused = 0;
  constructor(
    private readonly rate: number,
    private readonly quotaLeft: number,
  ) {
    this.tokens = rate;
  }
  attempt(now: number): SesAnswer {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.accepted >= this.quotaLeft) return (this.refused++, "quota");
    if (this.tokens < 1) return (this.refused++, "rate");
    this.tokens -= 1;
    this.accepted++;
    return "accepted";
  }
}

/** Per-second load of the keys every peak group shares. */
class PartitionLoad {
  readonly bySecond = new Map<string, { read: Float64Array; write: Float64Array }>();
  constructor(private readonly seconds: number) {}
  add(shape: string, atMs: number, read: number, write: number): void {
    let s = this.bySecond.get(shape);
    if (!s)
      this.bySecond.set(
        shape,
        (s = { read: new Float64Array(this.seconds), write: new Float64Array(this.seconds) }),
      );
    const i = Math.min(this.seconds - 1, Math.floor(atMs / 1000));
    s.read[i] = s.read[i]! + read;
    s.write[i] = s.write[i]! + write;
  }
}

const isPerMessage = (shape: string) => shape.includes("#DELIVERY#");

interface PeakEvent {
  arrivedAt: number;
  /** Per email: the time SES accepted it, or NaN while unsent. */
  sentAt: Float64Array;
  errorAttempts: number;
  throttledRetries: number;
  receiveCount: number;
  visibleAt: number;
  enqueuedAt: number;
}

export const simulateEvening = (
  measured: MeasuredEvening,
  design: Design,
  quotas: Quotas,
  scenario: Scenario,
): EveningOutcome => {
  const random = seededRandom(scenario.seed);
  const timeline = new Timeline();
  const horizonMs = scenario.horizonHours * 3600_000;
  const load = new PartitionLoad(Math.ceil(horizonMs / 1000));
  const peakGroups = Math.round(scenario.groups * scenario.peakShare);
  const perGroup = (n: number) => n / measured.groups;

  const senderName = design.sender.name;
  const senderUse: TargetUse | undefined = measured.targets[senderName];
  if (!senderUse || senderUse.emails === 0)
    throw new Error(`the measured run saw no email from ${senderName}`);
  const emailsPerEvent = Math.round(senderUse.emails / senderUse.invocations);
  const messages = peakGroups * emailsPerEvent;

  const otherMail = Math.round(scenario.groups * quotas.ses.otherEmailsPerGroupDay);
  const sesQuotaNeeded = messages + otherMail;
  const quota = quotas.ses.max24HourSend ?? sesQuotaNeeded;
  const ses = new SesAccount(quotas.ses.maxSendRate, Math.max(0, quota - otherMail));

  const concurrency = new Concurrency(
    timeline,
    quotas.lambda.accountConcurrency - design.reservedTotal,
    quotas,
  );
  const invocations: Record<string, number> = {};
  const billedMs: Record<string, number> = {};
  let readUnits = 0;
  let writeUnits = 0;
  let lambdaThrottles = 0;
  let failedInvocations = 0;
  let timedOut = 0;
  let deadLettered = 0;
  let sqsRequests = 0;
  let outboxEvents = 0;

  /** The target's per-invocation units, by shape, outside the per-message keys. */
  const perInvocationUnits = (use: TargetUse) =>
    Object.entries(use.byPartition)
      .filter(([shape]) => !isPerMessage(shape))
      .map(([shape, p]) => ({
        shape,
        shared: p.sharedByGroups,
        read: p.readUnits / use.invocations,
        write: p.writeUnits / use.invocations,
      }));
  const chargeInvocation = (use: TargetUse, at: number) => {
    for (const u of perInvocationUnits(use)) {
      readUnits += u.read;
      writeUnits += u.write;
      if (u.shared) load.add(u.shape, at, u.read, u.write);
    }
    outboxEvents += use.outboxEvents / use.invocations;
  };
  const deliveryWriteUnits =
    Object.entries(senderUse.byPartition)
      .filter(([shape]) => isPerMessage(shape))
      .reduce((sum, [, p]) => sum + p.writeUnits, 0) / senderUse.emails;
  /** A claim, and its mark or release: half the per-email delivery units each. */
  const deliveryWrite = deliveryWriteUnits / 2;

  const functionOf = (name: string) => (name === senderName ? design.sender : design.others[name]!);
  const pools = new Map<string, ReturnType<Concurrency["pool"]>>();
  const poolOf = (name: string) => {
    let pool = pools.get(name);
    if (!pool) {
      const fn = functionOf(name);
      const d = fn.delivery;
      pool =
        d.kind === "queue"
          ? concurrency.pool(d.maximumConcurrency, true)
          : concurrency.pool(d.reservedConcurrency, d.reservedConcurrency === undefined);
      pools.set(name, pool);
    }
    return pool;
  };
  const cpuMsPerEmail =
    measured.renderCpuMsPerMessage *
    (quotas.lambda.oneVcpuAtMb / design.sender.memoryMb) *
    quotas.lambda.cpuSlowdown;
  const dynamoMs = quotas.dynamo.latencyMs;
  const sesMs = quotas.ses.latencyMs;
  const sdk = quotas.sdk;

  /** One invocation of the sender for one event: reads, then every email claimed and sent. */
  const invokeSender = (event: PeakEvent, container: Container, done: (ok: boolean) => void) => {
    const fn = design.sender;
    const start = timeline.now;
    invocations[senderName] = (invocations[senderName] ?? 0) + 1;
    let ended = false;
    const end = (ok: boolean) => {
      if (ended) return;
      ended = true;
      billedMs[senderName] = (billedMs[senderName] ?? 0) + (timeline.now - start);
      if (!ok) failedInvocations++;
      done(ok);
    };
    timeline.at(start + fn.timeoutSeconds * 1000, () => {
      if (!ended) {
        timedOut++;
        end(false);
      }
    });
    const cold = container.cold ? quotas.lambda.coldStartMs : 0;
    container.cold = false;
    chargeInvocation(senderUse, start);
    const readsMs = senderUse.requestsPerInvocationBeforeSending * dynamoMs;
    timeline.after(cold + readsMs, () => {
      if (ended) return;
      const n = event.sentAt.length;
      let next = 0;
      let remaining = n;
      let failed = 0;
      const finishOne = (ok: boolean) => {
        if (!ok) failed++;
        if (--remaining === 0) end(failed === 0);
        else launch();
      };
      const pace = (then: () => void) => {
        const rate = fn.sendRatePerInstance;
        if (rate === undefined) return then();
        const slot = Math.max(timeline.now, container.paceNextAt);
        container.paceNextAt = slot + 1000 / rate;
        timeline.at(slot, then);
      };
      const sendOne = (i: number) => {
        let waited = 0;
        let wrapperRetries = 0;
        const giveUp = () => {
          writeUnits += deliveryWrite; // the claim released
          timeline.after(dynamoMs, () => finishOne(false));
        };
        const cycle = () => pace(() => attempt(1));
        const attempt = (n: number) => {
          if (ended) return;
          const answer = ses.attempt(timeline.now);
          const sentAt = timeline.now;
          timeline.after(sesMs, () => {
            if (ended) return;
            if (answer === "accepted") {
              container.retryTokens = Math.min(
                sdk.initialRetryTokens,
                container.retryTokens + (n > 1 ? sdk.throttlingRetryCost : 1),
              );
              event.sentAt[i] = sentAt;
              writeUnits += deliveryWrite; // marked sent
              timeline.after(dynamoMs, () => finishOne(true));
              return;
            }
            // SES answers both with a ThrottlingException: the SDK retries either.
            if (n < sdk.maxAttempts && container.retryTokens >= sdk.throttlingRetryCost) {
              container.retryTokens -= sdk.throttlingRetryCost;
              const delay = random() * Math.min(sdk.throttlingDelayBaseMs * 2 ** (n - 1), sdk.maxDelayMs);
              timeline.after(delay, () => attempt(n + 1));
              return;
            }
            const retry = design.throttleRetry;
            if (retry && answer === "rate") {
              const delay =
                Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** wrapperRetries++) * (0.5 + random() / 2);
              if (waited + delay <= retry.budgetMs) {
                waited += delay;
                timeline.after(delay, cycle);
                return;
              }
            }
            giveUp();
          });
        };
        cycle();
      };
      const launch = () => {
        if (ended || next >= n) return;
        const i = next++;
        // Rendering shares the instance's one CPU; then the claim (a conditional write).
        const cpuStart = Math.max(timeline.now, container.cpuFreeAt);
        container.cpuFreeAt = cpuStart + cpuMsPerEmail;
        timeline.at(cpuStart + cpuMsPerEmail + dynamoMs, () => {
          if (ended) return;
          writeUnits += deliveryWrite;
          if (!Number.isNaN(event.sentAt[i]!))
            finishOne(true); // already sent: nothing to do
          else sendOne(i);
        });
      };
      for (let k = 0; k < Math.min(design.sendConcurrency, n); k++) launch();
    });
  };

  /** One invocation of a function that sends nothing at the peak: its reads, then done. */
  const invokeOther = (name: string, container: Container, done: (ok: boolean) => void) => {
    const use = measured.targets[name]!;
    const start = timeline.now;
    invocations[name] = (invocations[name] ?? 0) + 1;
    const cold = container.cold ? quotas.lambda.coldStartMs : 0;
    container.cold = false;
    chargeInvocation(use, start);
    const ms = cold + use.requestsPerInvocationBeforeSending * dynamoMs;
    timeline.after(ms, () => {
      billedMs[name] = (billedMs[name] ?? 0) + ms;
      done(true);
    });
  };

  const lose = () => deadLettered++;

  /** Lambda's asynchronous queue: throttled events wait (1 s doubling to 5 min), errors are retried twice. */
  const deliverAsync = (
    name: string,
    event: PeakEvent,
    run: (c: Container, done: (ok: boolean) => void) => void,
  ) => {
    const fn = functionOf(name);
    if (fn.delivery.kind !== "async") throw new Error("not asynchronous");
    const { retries, maxEventAgeSeconds } = fn.delivery;
    const pool = poolOf(name);
    const tryInvoke = () => {
      if (timeline.now - event.arrivedAt > maxEventAgeSeconds * 1000) return lose();
      const container = pool.acquire();
      if (!container) {
        lambdaThrottles++;
        const wait = Math.min(
          quotas.lambda.throttledRetryMaxSeconds,
          quotas.lambda.throttledRetryFirstSeconds * 2 ** event.throttledRetries++,
        );
        timeline.after(wait * 1000 * (0.5 + random() / 2), tryInvoke);
        return;
      }
      run(container, (ok) => {
        pool.release(container);
        if (ok) return;
        if (event.errorAttempts >= retries) return lose();
        const wait = quotas.lambda.errorRetryWaitsSeconds[event.errorAttempts++] ?? 120;
        event.throttledRetries = 0;
        timeline.after(wait * 1000, tryInvoke);
      });
    };
    tryInvoke();
  };

  /** An SQS queue polled by the event source mapping: at most `maximumConcurrency` at once, oldest first. */
  const queues = new Map<string, { enqueue(event: PeakEvent): void }>();
  const queueOf = (name: string, run: (e: PeakEvent, c: Container, done: (ok: boolean) => void) => void) => {
    let queue = queues.get(name);
    if (queue) return queue;
    const fn = functionOf(name);
    if (fn.delivery.kind !== "queue") throw new Error("not queued");
    if (fn.delivery.batchSize !== 1) throw new Error("the model takes one event per batch");
    const { visibilityTimeoutSeconds, maxReceiveCount, retentionSeconds } = fn.delivery;
    const pool = poolOf(name);
    const waiting: PeakEvent[] = [];
    let head = 0;
    /** Events failed and waiting out their visibility timeout, sorted when one is added. */
    const hidden: PeakEvent[] = [];
    let unsorted = false;
    const poll = () => {
      for (;;) {
        if (unsorted) hidden.sort((a, b) => a.visibleAt - b.visibleAt || a.enqueuedAt - b.enqueuedAt);
        unsorted = false;
        const retry = hidden[0] && hidden[0].visibleAt <= timeline.now ? hidden[0] : undefined;
        const fresh = head < waiting.length ? waiting[head] : undefined;
        const event = retry && (!fresh || retry.enqueuedAt <= fresh.enqueuedAt) ? retry : fresh;
        if (!event) return;
        if (timeline.now - event.enqueuedAt > retentionSeconds * 1000) {
          if (event === retry) hidden.shift();
          else head++;
          lose();
          continue;
        }
        const container = pool.acquire();
        if (!container) return;
        if (event === retry) hidden.shift();
        else head++;
        event.receiveCount++;
        sqsRequests += 1; // the receive (the poll that found it)
        const receivedAt = timeline.now;
        run(event, container, (ok) => {
          pool.release(container);
          if (ok)
            sqsRequests += 1; // the delete
          else if (event.receiveCount >= maxReceiveCount) lose();
          else {
            event.visibleAt = receivedAt + visibilityTimeoutSeconds * 1000;
            hidden.push(event);
            unsorted = true;
            timeline.at(event.visibleAt, poll);
          }
          poll();
        });
      }
    };
    queue = {
      enqueue(event) {
        sqsRequests += 1; // EventBridge's SendMessage
        event.enqueuedAt = timeline.now;
        waiting.push(event);
        poll();
      },
    };
    queues.set(name, queue);
    return queue;
  };

  const deliver = (name: string, event: PeakEvent) => {
    const fn = functionOf(name);
    const run =
      name === senderName
        ? (e: PeakEvent, c: Container, done: (ok: boolean) => void) => invokeSender(e, c, done)
        : (_e: PeakEvent, c: Container, done: (ok: boolean) => void) => invokeOther(name, c, done);
    if (fn.delivery.kind === "queue") queueOf(name, run).enqueue(event);
    else deliverAsync(name, event, (c, done) => run(event, c, done));
  };

  // Scheduler fires every peak group's schedules at the due instant, at most so many a second;
  // each puts its event on the bus, whose rule hands it to the target.
  const due = Object.entries(measured.dueEvents).flatMap(([key, count]) => {
    const target = key.split(" → ")[1]!;
    return Array.from({ length: Math.round(perGroup(count)) }, () => target);
  });
  const senderEvents: PeakEvent[] = [];
  const fired = peakGroups * due.length;
  const rate = quotas.scheduler.invocationsPerSecond;
  let k = 0;
  for (let g = 0; g < peakGroups; g++) {
    for (const target of due) {
      const at =
        Math.floor(k / rate) * 1000 + ((k % rate) * 1000) / rate + quotas.eventBridge.deliveryLatencyMs;
      k++;
      const event: PeakEvent = {
        arrivedAt: at,
        sentAt: new Float64Array(target === senderName ? emailsPerEvent : 0).fill(Number.NaN),
        errorAttempts: 0,
        throttledRetries: 0,
        receiveCount: 0,
        visibleAt: 0,
        enqueuedAt: at,
      };
      if (target === senderName) senderEvents.push(event);
      timeline.at(at, () => deliver(target, event));
    }
  }
  timeline.run(horizonMs);

  // --- outcome ---------------------------------------------------------------------------
  const delays: number[] = [];
  for (const e of senderEvents) for (const t of e.sentAt) if (!Number.isNaN(t)) delays.push(t / 1000);
  delays.sort((a, b) => a - b);
  const quantile = (q: number) =>
    delays.length === 0 ? 0 : delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!;
  let hottest: EveningOutcome["hottestPartition"];
  let throttledRead = 0;
  let throttledWrite = 0;
  for (const [shape, s] of load.bySecond) {
    const read = Math.max(...s.read);
    const write = Math.max(...s.write);
    if (!hottest || read + write > hottest.readUnitsPerSecond + hottest.writeUnitsPerSecond)
      hottest = { shape, readUnitsPerSecond: read, writeUnitsPerSecond: write };
    for (const r of s.read) throttledRead += Math.max(0, r - quotas.dynamo.partitionReadUnits);
    for (const w of s.write) throttledWrite += Math.max(0, w - quotas.dynamo.partitionWriteUnits);
  }
  const gbSeconds = Object.entries(billedMs).reduce(
    (sum, [name, ms]) => sum + (ms / 1000) * (functionOf(name).memoryMb / 1024),
    0,
  );
  const p = quotas.prices;
  const lines: Record<string, number> = {
    "SES emails": ses.accepted * p.sesEmail,
    "Lambda GB-seconds": gbSeconds * p.lambdaGbSecond,
    "DynamoDB requests": readUnits * p.dynamoReadUnit + writeUnits * p.dynamoWriteUnit,
    "Scheduler invocations": fired * p.schedulerInvocation,
    "Events on the bus": (fired + outboxEvents) * p.busEvent,
    "SQS requests": sqsRequests * p.sqsRequest,
  };
  return {
    design: design.label,
    messages,
    sent: delays.length,
    lost: messages - delays.length,
    drainSeconds: delays.length === 0 ? 0 : delays[delays.length - 1]!,
    delay: {
      overOneMinute: delays.filter((d) => d > 60).length,
      p50Seconds: quantile(0.5),
      p95Seconds: quantile(0.95),
      maxSeconds: delays.length === 0 ? 0 : delays[delays.length - 1]!,
    },
    throttles: {
      ses: ses.refused,
      lambda: lambdaThrottles,
      scheduler: Math.max(0, fired - rate),
      dynamoReadUnits: throttledRead,
      dynamoWriteUnits: throttledWrite,
    },
    hottestPartition: hottest,
    invocations,
    failedInvocations,
    timedOut,
    deadLettered,
    sesQuotaUsed: ses.accepted + otherMail,
    sesQuotaNeeded,
    cost: { total: Object.values(lines).reduce((a, b) => a + b, 0), lines },
  };
};
