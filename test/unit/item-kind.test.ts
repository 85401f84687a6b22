// Item kinds of the single table: every item is checked against its kind's schema when written
// and when read, carries its schema version, and a malformed one fails naming the kind and the
// attributes at fault, never what they hold.

import { describe, expect, it } from "vitest";
import { itemKind, MalformedItemError } from "#adapters/aws/dynamodb/item-kind.ts";
import { memberItem, monthlyTrendItem, voteItem } from "#adapters/aws/dynamodb/items.ts";
import { keys } from "#adapters/aws/dynamodb/keys.ts";
import type { Member } from "#domain/member.ts";
import * as z from "#validation/zod-mini.ts";

const member: Member = {
  organisationId: "o-1",
  id: "m-1",
  name: "Ann Example",
  email: "ann@example.org",
  phone: "+447700900123",
  reminders: [{ channel: "email", offsetMinutes: 120 }],
  unsubscribed: [],
  createdAt: "2030-01-15T09:00:00.000Z",
};
const key = keys.member("o-1", "m-1");

const failure = (read: () => unknown): MalformedItemError => {
  try {
    read();
  } catch (error) {
    if (error instanceof MalformedItemError) return error;
    throw error;
  }
  throw new Error("the read did not fail");
};

describe("an item kind", () => {
  it("writes the key, the kind and the schema version beside the value, and reads the value back", () => {
    const item = memberItem.item(key, member);
    expect(item).toEqual({ ...key, kind: "member", schemaVersion: 1, ...member });
    expect(memberItem.read(item)).toEqual(member);
  });

  it("reads an item written before schema versions as version 1", () => {
    expect(memberItem.read({ ...key, kind: "member", ...member })).toEqual(member);
  });

  it("refuses an item written by a newer schema version than it knows", () => {
    const error = failure(() => memberItem.read({ ...key, kind: "member", schemaVersion: 2, ...member }));
    expect(error.message).toMatch(/^malformed member item .*schemaVersion/);
    for (const odd of ["1", 1.5, 0])
      expect(
        failure(() => memberItem.read({ ...key, kind: "member", schemaVersion: odd, ...member })).paths,
      ).toEqual(["schemaVersion (not one of 1 to 1)"]);
  });

  it("refuses an item of another kind", () => {
    expect(failure(() => memberItem.read({ ...key, kind: "group", ...member })).paths).toEqual([
      "kind (invalid_value)",
    ]);
  });

  it("names the kind, the version and every path at fault, and no value", () => {
    const broken = {
      ...key,
      kind: "member",
      ...member,
      email: 42,
      reminders: [{ channel: "pigeon", offsetMinutes: 120 }],
    };
    const error = failure(() => memberItem.read(broken));
    expect(error.kind).toBe("member");
    expect(error.paths).toEqual(["email (invalid_type)", "reminders.0.channel (invalid_value)"]);
    expect(error.message).toBe(
      "malformed member item (schema version 1) at email (invalid_type), reminders.0.channel (invalid_value)",
    );
    for (const value of ["42", "pigeon", member.name, member.phone!])
      expect(error.message).not.toContain(value);
  });

  it("refuses to write what it could not read back", () => {
    const error = failure(() =>
      memberItem.item(key, { ...member, unsubscribed: ["fax"] } as unknown as Member),
    );
    expect(error.paths).toEqual(["unsubscribed.0 (invalid_value)"]);
  });

  it("drops an attribute its schema does not name, and the table's own attributes", () => {
    const read = memberItem.read({
      ...memberItem.item(key, member),
      GSI1PK: "x",
      GSI1SK: "y",
      retired: true,
    });
    expect(read).toEqual(member);
  });

  it("lifts an item of an older version with its upgrades before checking it", () => {
    const v3 = itemKind<{ name: string; channels: string[] }>()(
      "example",
      z.object({ name: z.string(), channels: z.array(z.string()) }),
      [
        // 1 → 2: the name was called `title`.
        ({ title, ...rest }) => ({ ...rest, name: title }),
        // 2 → 3: one channel became a list.
        ({ channel, ...rest }) => ({ ...rest, channels: [channel] }),
      ],
    );
    expect(v3.version).toBe(3);
    expect(v3.read({ ...key, kind: "example", title: "Ann", channel: "sms" })).toEqual({
      name: "Ann",
      channels: ["sms"],
    });
    expect(v3.read({ ...key, kind: "example", schemaVersion: 2, name: "Ann", channel: "sms" })).toEqual({
      name: "Ann",
      channels: ["sms"],
    });
    expect(v3.item(key, { name: "Ann", channels: [] })).toMatchObject({ schemaVersion: 3 });
  });

  it("reads a projection of some fields only", () => {
    const ids = memberItem.pick("id");
    expect(ids.fields).toEqual(["id"]);
    expect(ids.read({ kind: "member", id: "m-1" })).toEqual({ id: "m-1" });
    expect(failure(() => ids.read({ kind: "member" })).paths).toEqual(["id (invalid_type)"]);
  });
});

describe("the kinds that read more than they write", () => {
  it("a vote stored before threshold rules reads with its share (the store makes it a rule)", () => {
    const vote = {
      organisationId: "o-1",
      groupId: "g-1",
      id: "v-1",
      question: "Meet fortnightly?",
      kind: "proposal",
      options: [{ id: "yes", label: "Yes" }],
      closesAt: "2030-02-01T00:00:00.000Z",
      quorum: 0.5,
      threshold: 0.5,
      secrecy: "secret",
      eligibleMemberIds: ["m-1"],
      reminderMinutesBeforeClose: 0,
      status: "open",
      openedAt: "2030-01-15T09:00:00.000Z",
      openedBy: "m-1",
    };
    expect(voteItem.read({ ...key, kind: "vote", vote }).vote.threshold).toBe(0.5);
    const rule = { ...vote, threshold: { kind: "at-least", numerator: 2, denominator: 3 } };
    expect(voteItem.read({ ...key, kind: "vote", vote: rule }).vote.threshold).toEqual(rule.threshold);
    expect(
      failure(() => voteItem.read({ ...key, kind: "vote", vote: { ...vote, threshold: "half" } })).paths,
    ).toEqual(["vote.threshold (invalid_union)"]);
  });

  it("a month's trend item holds numbers beside its month, and nothing else", () => {
    const item = { ...key, kind: "monthly-trend", month: "2030-01", sessions05: 2, ballots: 7 };
    expect(monthlyTrendItem.read(item)).toEqual({ month: "2030-01", sessions05: 2, ballots: 7 });
    expect(failure(() => monthlyTrendItem.read({ ...item, ballots: "7" })).paths).toEqual([
      "ballots (invalid_type)",
    ]);
  });
});
