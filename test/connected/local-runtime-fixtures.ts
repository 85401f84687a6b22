// What the connected tests of the local runtime (stream poller, bus, dead letters) set up alike:
// a log that keeps its lines, and a member whose unsubscribing writes an event through the store.

import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { newEvent } from "#domain/new-event.ts";
import type { LocalRuntime } from "#infra/local/composition-root.ts";
import type { Log } from "#ports/logger.ts";

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** Keeps what is logged, so a test can read it without printing anything. */
export const recordingLog = () => {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  const log: Log = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  return { log, lines };
};

/** An organisation with one member, and a function that unsubscribes them (store + outbox). */
export const aMemberToUnsubscribe = async (
  runtime: LocalRuntime,
  person: { name: string; email?: string } = { name: "Sam Example" },
) => {
  const o = randomUUID();
  const memberId = randomUUID();
  const now = new Date();
  await runtime.store.createOrganisation({ id: o, name: "Network", createdAt: now.toISOString() });
  await runtime.store.createMember({
    organisationId: o,
    id: memberId,
    name: person.name,
    email: person.email ?? `${memberId}@example.org`,
    reminders: [],
    unsubscribed: [],
    createdAt: now.toISOString(),
  });
  const unsubscribe = async (channel: "email" | "sms" = "email") => {
    const event = newEvent(
      "MemberUnsubscribed",
      { organisationId: o, groupId: "g-1" },
      { memberId, channel },
      now,
    );
    expect(await runtime.store.unsubscribeMember(o, memberId, channel, event)).toBe("unsubscribed");
    return event;
  };
  return { o, memberId, unsubscribe };
};
