// What one group's evening costs, measured: a small real run through the local platform (the
// same handlers and stores as on Lambda) that seeds a few groups, lets the reminders and the
// facilitator checks of 48 hours before fall due, and counts, per route target, what the
// handlers did: invocations, DynamoDB requests with the capacity DynamoDB Local reports for
// each (by partition-key shape, and whether one key served several groups), emails sent and
// events written to the outbox. The scale model multiplies these; it invents no request count.

import { AsyncLocalStorage } from "node:async_hooks";
import type { EventHandler } from "#bus/bus-event.ts";
import type { RunningPlatform } from "#infra/local/platform.ts";
import { renderMessages } from "../floor.ts";
import { field, text } from "../probes.ts";
import { seed } from "../seed.ts";

/** What one partition-key shape received from one target's handlers. */
export interface PartitionUse {
  /** Items read or written (a BatchGetItem of 25 keys is 25). */
  items: number;
  readUnits: number;
  writeUnits: number;
  /** Whether one key of this shape served more than one group: all groups at the peak share it. */
  sharedByGroups: boolean;
}

export interface TargetUse {
  /** Handler calls, retries included. */
  invocations: number;
  failures: number;
  /** SendEmail requests the SES emulator accepted. */
  emails: number;
  requests: number;
  byCommand: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** By the key's shape, ids replaced by `·`: `ORG#·`, `ORG#·#GROUP#·`, `ORG#·#DELIVERY#·`… */
  byPartition: Record<string, PartitionUse>;
  /** Outbox records written: each becomes an event on the bus through the pipe. */
  outboxEvents: number;
  /** DynamoDB requests that do not depend on the number of messages (reads before sending). */
  requestsPerInvocationBeforeSending: number;
}

export interface MeasuredEvening {
  groups: number;
  members: number;
  /** Event types that fell due at the instant, per group (schedules fired). */
  dueEvents: Record<string, number>;
  schedulesFired: number;
  /** Per route target; every figure is for the whole run (divide by groups for one group). */
  targets: Record<string, TargetUse>;
  /** CPU time to render one reminder email on this machine. */
  renderCpuMsPerMessage: number;
  /** Whether DynamoDB Local reported consumed capacity (else units are estimated from item counts). */
  capacityReported: boolean;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const values = (value: unknown): unknown[] =>
  value && typeof value === "object" ? Object.values(value as Record<string, unknown>) : [];

/**
 * A key's shape: the upper-case words kept, every run of id segments (ids, versions, channels
 * are lower case) replaced by `·`, so keys of one kind compare equal.
 */
export const keyShape = (pk: string): string =>
  pk
    .split("#")
    .map((segment) => (/^[A-Z][A-Z-]*$/.test(segment) ? segment : "·"))
    .join("#")
    .replace(/·(#·)+/g, "·");

/** The partition keys a request touches, one entry per item. */
const partitionKeysOf = (command: string, input: Record<string, unknown>): string[] =>
  touchedKeys(command, input).filter((pk): pk is string => pk !== undefined);

const touchedKeys = (command: string, input: Record<string, unknown>): (string | undefined)[] => {
  const pkOf = (item: unknown) => text(field(item, "PK")) ?? text(field(item, "GSI1PK"));
  switch (command) {
    case "Query": {
      const bound = field(input, "ExpressionAttributeValues");
      const pk =
        text(field(bound, ":pk")) ??
        values(bound)
          .map(text)
          .find((v) => v?.startsWith("ORG#"));
      return pk ? [pk] : [];
    }
    case "BatchGetItem":
      return values(field(input, "RequestItems")).flatMap((r) => list(field(r, "Keys")).map(pkOf));
    case "BatchWriteItem":
      return values(field(input, "RequestItems")).flatMap((r) =>
        list(r).map((w) =>
          pkOf(field(field(w, "PutRequest"), "Item") ?? field(field(w, "DeleteRequest"), "Key")),
        ),
      );
    case "TransactWriteItems":
    case "TransactGetItems":
      return list(field(input, "TransactItems")).map((t) => {
        const op = values(t)[0];
        return pkOf(field(op, "Item") ?? field(op, "Key"));
      });
    default:
      return [pkOf(field(input, "Item") ?? field(input, "Key"))];
  }
};

const reads = new Set(["GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"]);
const capacityCommands = new Set([
  ...reads,
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
]);

interface Attribution {
  target: string;
  groupId: string;
}

type Args = { input: Record<string, unknown> };
type Next = (args: Args) => Promise<{ output?: Record<string, unknown> }>;
type Context = { commandName?: string };
interface WithStack {
  middlewareStack: { add(middleware: never, options: never): void; remove(name: string): boolean };
}
const middlewareName = "convene-scale-model-measure";

const emptyUse = (): TargetUse => ({
  invocations: 0,
  failures: 0,
  emails: 0,
  requests: 0,
  byCommand: {},
  readUnits: 0,
  writeUnits: 0,
  byPartition: {},
  outboxEvents: 0,
  requestsPerInvocationBeforeSending: 0,
});

/** The bus's handlers by target; fails loudly if the local bus no longer keeps them so. */
const busHandlers = (platform: RunningPlatform): Record<string, EventHandler> => {
  const handlers = (platform.runtime.bus as unknown as { handlers?: Record<string, EventHandler> }).handlers;
  if (
    !handlers ||
    typeof handlers !== "object" ||
    Object.values(handlers).some((h) => typeof h !== "function")
  )
    throw new Error(
      "the local bus no longer keeps its handlers by target; update bench/scale-model/measure.ts",
    );
  return handlers;
};

/**
 * Seeds `groups` groups of `members` (bench/seed.ts: one session at 19:00 local, every member
 * with one email reminder 48 h before), runs up to a minute before the first reminder instant,
 * then measures everything the handlers do until a minute after the last.
 */
export const measureEvening = async (
  platform: RunningPlatform,
  options: { groups: number; members: number },
): Promise<MeasuredEvening> => {
  const { runtime, engine } = platform;
  const seeded = await seed(runtime.ports, { ...options, concurrency: 16 }, () => {});
  const toBefore = seeded.firstReminderAt.getTime() - 60_000 - runtime.clock.now().getTime();
  await engine.advance(Math.max(0, toBefore));

  const current = new AsyncLocalStorage<Attribution>();
  const targets: Record<string, TargetUse> = {};
  const use = (target: string) => (targets[target] ??= emptyUse());
  const dueEvents: Record<string, number> = {};
  /** Groups seen on each partition key. */
  const groupsByKey = new Map<string, Set<string>>();
  let capacityReported = false;
  let measuring = true;

  const handlers = busHandlers(platform);
  const originals = { ...handlers };
  for (const [target, handler] of Object.entries(originals)) {
    handlers[target] = (event) =>
      current.run({ target, groupId: event.groupId }, async () => {
        if (!measuring) return handler(event);
        use(target).invocations++;
        if (event.type.endsWith("Due"))
          dueEvents[`${event.type} → ${target}`] = (dueEvents[`${event.type} → ${target}`] ?? 0) + 1;
        try {
          return await handler(event);
        } catch (error) {
          use(target).failures++;
          throw error;
        }
      });
  }

  const dynamoMiddleware = (next: Next, context: Context) => async (args: Args) => {
    const at = current.getStore();
    const command = (context.commandName ?? "Unknown").replace(/Command$/, "");
    if (!measuring || !at || !capacityCommands.has(command)) return next(args);
    args.input.ReturnConsumedCapacity = "INDEXES";
    const result = await next(args);
    const consumed = [field(result.output, "ConsumedCapacity")].flat().filter(Boolean);
    const reported = consumed.reduce<number>((sum, c) => sum + (Number(field(c, "CapacityUnits")) || 0), 0);
    const keys = partitionKeysOf(command, args.input);
    const isRead = reads.has(command);
    // DynamoDB Local reports capacity; should it not, an item counts one unit (half a read unit
    // if eventually consistent, two write units in a transaction).
    const estimate =
      keys.length *
      (isRead
        ? command === "TransactGetItems"
          ? 2
          : args.input.ConsistentRead === true
            ? 1
            : 0.5
        : command === "TransactWriteItems"
          ? 2
          : 1);
    if (consumed.length > 0) capacityReported = true;
    const units = consumed.length > 0 ? reported : estimate;
    const t = use(at.target);
    t.requests++;
    t.byCommand[command] = (t.byCommand[command] ?? 0) + 1;
    if (isRead) t.readUnits += units;
    else t.writeUnits += units;
    for (const pk of keys) {
      const shape = keyShape(pk);
      const p = (t.byPartition[shape] ??= { items: 0, readUnits: 0, writeUnits: 0, sharedByGroups: false });
      p.items++;
      if (isRead) p.readUnits += units / keys.length;
      else p.writeUnits += units / keys.length;
      const groups = groupsByKey.get(pk) ?? new Set<string>();
      groups.add(at.groupId);
      groupsByKey.set(pk, groups);
      if (shape.includes("#OUTBOX#") && !isRead) t.outboxEvents++;
      if (!shape.includes("#DELIVERY#")) t.requestsPerInvocationBeforeSending += 1 / keys.length;
    }
    return result;
  };
  const sesMiddleware = (next: Next) => async (args: Args) => {
    const result = await next(args);
    const at = current.getStore();
    if (measuring && at) use(at.target).emails++;
    return result;
  };
  let schedulesFired = 0;
  const schedulerMiddleware = (next: Next, context: Context) => async (args: Args) => {
    const pk = text(field(field(args.input, "Key"), "PK"));
    if (measuring && context.commandName === "DeleteCommand" && pk?.startsWith("LOCAL#SCHEDULE"))
      schedulesFired++;
    return next(args);
  };
  const attach = (client: WithStack, middleware: unknown, step: string) =>
    client.middlewareStack.add(middleware as never, { step, name: middlewareName, override: true } as never);
  attach(runtime.dynamo, dynamoMiddleware, "initialize");
  attach(runtime.ses, sesMiddleware, "initialize");
  attach(runtime.services, schedulerMiddleware, "initialize");

  try {
    const toAfter = seeded.lastReminderAt.getTime() + 60_000 - runtime.clock.now().getTime();
    await engine.advance(toAfter);
  } finally {
    measuring = false;
    for (const client of [runtime.dynamo, runtime.ses, runtime.services])
      client.middlewareStack.remove(middlewareName);
    Object.assign(handlers, originals);
  }

  // A shape is shared when one of its keys served more than one group.
  for (const t of Object.values(targets)) {
    for (const [shape, p] of Object.entries(t.byPartition)) {
      p.sharedByGroups = [...groupsByKey.entries()].some(([pk, g]) => keyShape(pk) === shape && g.size > 1);
    }
    t.requestsPerInvocationBeforeSending /= Math.max(1, t.invocations);
  }
  const rendered = await renderMessages(runtime.ports.settings, seeded, 100);
  return {
    groups: options.groups,
    members: options.members,
    dueEvents,
    schedulesFired,
    targets,
    renderCpuMsPerMessage: rendered.cpuMsPerMessage,
    capacityReported,
  };
};
