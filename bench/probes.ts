// Measuring instruments of the benchmark, all attached from outside the system under test:
// SDK middleware on the clients (requests, their latency, what they were for), the HTTP layer
// (a cross-check that no DynamoDB request escaped the middleware), and CPU time of this
// process and of the emulators' processes.

import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { ClientRequest } from "node:http";
import { performance, type EventLoopUtilization } from "node:perf_hooks";

/** One request as an SDK client sent it (one per attempt: retries count again). */
export interface RequestRecord {
  phase: string;
  client: string;
  /** The operation, e.g. PutItem, GetRecords, SendEmail. */
  command: string;
  /** What the request was for, read from its key (claim, schedule-delete, session-read, ...). */
  purpose: string;
  /** Partition key (DynamoDB) or first recipient (SES), to join claims with their sends. */
  key: string | undefined;
  start: number;
  end: number;
  ok: boolean;
}

export type Classifier = (
  command: string,
  input: Record<string, unknown>,
) => { purpose: string; key?: string };

type Args = { input: Record<string, unknown> };
type Next = (args: Args) => Promise<unknown>;
type Context = { commandName?: string };
interface WithStack {
  middlewareStack: { add(middleware: never, options: never): void; remove(name: string): boolean };
}

const middlewareName = "convene-bench-observe";

/**
 * Keeps a record of every request the observed clients send while a phase is set. The
 * middleware sits at the end of the finalizeRequest step, inside the SDK's retry loop, so
 * each attempt is one record and its times are those of the attempt (signing, waiting for a
 * socket, the round trip).
 */
export class RequestLog {
  readonly records: RequestRecord[] = [];
  phase: string | undefined;
  private readonly attached: WithStack[] = [];

  attach(client: WithStack, clientName: string, classify: Classifier): void {
    const middleware = (next: Next, context: Context) => async (args: Args) => {
      const phase = this.phase;
      if (phase === undefined) return next(args);
      const command = (context.commandName ?? "Unknown").replace(/Command$/, "");
      const { purpose, key } = classify(command, args.input);
      const record: RequestRecord = {
        phase,
        client: clientName,
        command,
        purpose,
        key,
        start: performance.now(),
        end: Number.NaN,
        ok: false,
      };
      this.records.push(record);
      try {
        const out = await next(args);
        record.ok = true;
        return out;
      } finally {
        record.end = performance.now();
      }
    };
    client.middlewareStack.add(
      middleware as never,
      { step: "finalizeRequest", priority: "low", name: middlewareName, override: true } as never,
    );
    this.attached.push(client);
  }

  detachAll(): void {
    for (const client of this.attached.splice(0)) client.middlewareStack.remove(middlewareName);
  }

  of(phase: string, client?: string | readonly string[]): RequestRecord[] {
    const clients =
      client === undefined ? undefined : new Set(typeof client === "string" ? [client] : client);
    return this.records.filter((r) => r.phase === phase && (!clients || clients.has(r.client)));
  }
}

/** A string, plain (document client) or as a DynamoDB attribute value (`{ S }`). */
export const text = (value: unknown): string | undefined => {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "S" in value && typeof value.S === "string") return value.S;
  return undefined;
};
export const field = (value: unknown, name: string): unknown =>
  value && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined;

/** Reads what a request of the single table is for; works on document and low-level input. */
export const classifyDynamo: Classifier = (command, input) => {
  // A batch write is classified by its first request (the batches here hold one kind each).
  const batch = Object.values((field(input, "RequestItems") as Record<string, unknown[]>) ?? {})[0]?.[0];
  const batchItem = field(field(batch, "PutRequest"), "Item") ?? field(field(batch, "DeleteRequest"), "Key");
  const item = field(input, "Item") ?? field(input, "Key") ?? batchItem;
  const pk = text(field(item, "PK")) ?? text(field(field(input, "ExpressionAttributeValues"), ":pk"));
  const sk = text(field(item, "SK")) ?? "";
  let purpose = "other";
  if (command === "ListTables") purpose = "commit barrier";
  else if (pk?.includes("#DELIVERY#"))
    purpose =
      command === "DeleteItem"
        ? "release claim"
        : command === "UpdateItem" || command === "BatchWriteItem"
          ? "mark sent"
          : "claim";
  else if (pk === "DELIVERY" || pk === "ARCHIVE") purpose = "bus journal";
  else if (pk === "LOCAL#SENT") purpose = "sent messages";
  else if (pk?.startsWith("LOCAL#SCHEDULE")) purpose = command === "Query" ? "due schedules" : "schedule";
  else if (sk.startsWith("SESSION#")) purpose = "session";
  else if (sk.startsWith("GROUP#")) purpose = "group";
  else if (command === "Query" && pk?.includes("#GROUP#")) purpose = "memberships";
  else if (command === "BatchGetItem") purpose = "members";
  else if (pk?.includes("#OUTBOX#")) purpose = "outbox";
  return { purpose, key: pk };
};

export const classifyStreams: Classifier = () => ({ purpose: "stream" });

export const classifySes: Classifier = (_command, input) => {
  const to = field(field(input, "Destination"), "ToAddresses");
  return { purpose: "send", key: Array.isArray(to) && typeof to[0] === "string" ? to[0] : undefined };
};

// --- concurrency --------------------------------------------------------------------------

export interface Interval {
  start: number;
  end: number;
}

export interface Concurrency {
  /** Time-weighted mean of intervals open at once, over [from, to]. */
  mean: number;
  /** Most intervals open at one instant. */
  peak: number;
}

export const concurrencyOf = (intervals: readonly Interval[], from: number, to: number): Concurrency => {
  const span = to - from;
  if (span <= 0 || intervals.length === 0) return { mean: 0, peak: 0 };
  let busy = 0;
  const events: [number, number][] = [];
  for (const { start, end } of intervals) {
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (e <= s) continue;
    busy += e - s;
    events.push([s, 1], [e, -1]);
  }
  // Ends before starts at the same instant, so back-to-back intervals do not count as overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of events) {
    open += delta;
    if (open > peak) peak = open;
  }
  return { mean: busy / span, peak };
};

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
}

export const latencyOf = (intervals: readonly Interval[]): LatencySummary => {
  const d = intervals.map((i) => i.end - i.start).sort((a, b) => a - b);
  if (d.length === 0) return { count: 0, meanMs: 0, p50Ms: 0, p95Ms: 0 };
  const at = (q: number) => d[Math.min(d.length - 1, Math.floor(q * d.length))]!;
  return {
    count: d.length,
    meanMs: d.reduce((s, x) => s + x, 0) / d.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
  };
};

// --- the HTTP layer -----------------------------------------------------------------------

/**
 * Counts every HTTP request this process starts towards one host:port, whichever client
 * sends it, by its X-Amz-Target operation. It cannot see retries' reasons or purposes; it is
 * there to prove that the middleware saw every request.
 */
export class HttpCounter {
  counting = false;
  readonly byOperation = new Map<string, number>();
  private readonly listener = (message: unknown) => {
    if (!this.counting) return;
    const request = (message as { request?: ClientRequest }).request;
    if (!request || request.getHeader("host") !== this.host) return;
    const target = String(request.getHeader("x-amz-target") ?? "unknown");
    const operation = target.slice(target.indexOf(".") + 1);
    this.byOperation.set(operation, (this.byOperation.get(operation) ?? 0) + 1);
  };

  constructor(private readonly host: string) {
    subscribe("http.client.request.start", this.listener);
  }

  get total(): number {
    return [...this.byOperation.values()].reduce((s, n) => s + n, 0);
  }

  close(): void {
    unsubscribe("http.client.request.start", this.listener);
  }
}

// --- CPU ----------------------------------------------------------------------------------

let clockTicks: number | undefined;
const ticksPerSecond = (): number => {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
};

/** User + system CPU milliseconds of a process (Linux /proc), undefined elsewhere. */
const processCpuMs = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return undefined;
  }
};

export interface CpuSnapshot {
  at: number;
  self: NodeJS.CpuUsage;
  elu: EventLoopUtilization;
  children: Record<string, number | undefined>;
}

export interface CpuUse {
  /** CPU seconds per process over the interval (bench = this process: runtime, handlers, SDK clients). */
  seconds: Record<string, number | undefined>;
  /** Share of the interval this process's event loop was busy (1 = never idle). */
  eventLoopUtilisation: number;
}

export class CpuProbe {
  constructor(private readonly children: Record<string, number | undefined>) {}

  snapshot(): CpuSnapshot {
    return {
      at: performance.now(),
      self: process.cpuUsage(),
      elu: performance.eventLoopUtilization(),
      children: Object.fromEntries(
        Object.entries(this.children).map(([name, pid]) => [
          name,
          pid === undefined ? undefined : processCpuMs(pid),
        ]),
      ),
    };
  }

  since(before: CpuSnapshot): CpuUse {
    const now = this.snapshot();
    const self = process.cpuUsage(before.self);
    const seconds: Record<string, number | undefined> = { bench: (self.user + self.system) / 1e6 };
    for (const [name, ms] of Object.entries(now.children)) {
      const was = before.children[name];
      seconds[name] = ms === undefined || was === undefined ? undefined : (ms - was) / 1000;
    }
    return {
      seconds,
      eventLoopUtilisation: performance.eventLoopUtilization(now.elu, before.elu).utilization,
    };
  }
}
