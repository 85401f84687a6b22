// A vote's threshold through the API, the store, the bus and the result email: "at least" a
// fraction compared exactly (6 yes of 9 meets two-thirds, typed as 0.6667 or as 2/3), a simple
// majority as its own rule, and `threshold: 0.5` meaning what it always meant.

import { randomUUID } from "node:crypto";
import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { castBallot } from "#use-cases/votes/cast-ballot.ts";
import {
  buildDirectory,
  expectFieldProblem,
  expectJson,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type MemberView,
} from "./api-harness.ts";

interface VoteView {
  id: string;
  status: string;
  threshold: number;
  thresholdRule: { kind: string; numerator?: number; denominator?: number };
  result?: { outcome: { kind: string } };
}

const domain = `threshold-${randomUUID().slice(0, 8)}.example.org`;
let h: ApiHarness;
let engine: LocalEngine;
let d: Directory;
const memberIds: string[] = [];

const votesPath = () => `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}/votes`;
const open = (threshold?: unknown) =>
  h.call("POST", votesPath(), {
    token: d.adminToken,
    json: {
      question: `Shall we meet fortnightly? (${randomUUID().slice(0, 4)})`,
      kind: "proposal",
      closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      quorum: 0,
      ...(threshold === undefined ? {} : { threshold }),
    },
  });
const twoThirds = { kind: "at-least", numerator: 2, denominator: 3 };

beforeAll(async () => {
  h = await startApiHarness();
  engine = new LocalEngine(h.runtime);
  d = await buildDirectory(h, {
    organisation: "Threshold Trust",
    group: "Threshold Group",
    member: "Member One",
    email: `one@${domain}`,
  });
  memberIds.push(d.memberId);
  for (let n = 2; n <= 9; n += 1) {
    const member = await expectJson<MemberView>(
      await h.call("POST", `/api/v1/organisations/${d.organisationId}/members`, {
        token: d.adminToken,
        json: { name: `Member ${n}`, email: `m${n}@${domain}` },
      }),
      201,
    );
    const joined = await h.call(
      "PUT",
      `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}/members/${member.id}`,
      { token: d.adminToken },
    );
    expect(joined.status).toBe(204);
    memberIds.push(member.id);
  }
  await engine.settle();
});

afterAll(async () => {
  await engine?.stop();
  await h?.close();
});

describe("opening a vote", () => {
  it.each<[string, unknown, VoteView["thresholdRule"], number]>([
    ["no threshold: a simple majority", undefined, { kind: "majority" }, 0.5],
    ["threshold 0.5: a simple majority, as it always was", 0.5, { kind: "majority" }, 0.5],
    ["the majority rule", { kind: "majority" }, { kind: "majority" }, 0.5],
    ["two-thirds as a fraction", twoThirds, twoThirds, 2 / 3],
    ["two-thirds as 0.6667 (66.67 %)", 0.6667, twoThirds, 2 / 3],
    ["at least 60%", 0.6, { kind: "at-least", numerator: 3, denominator: 5 }, 0.6],
    [
      "a fraction not in lowest terms",
      { kind: "at-least", numerator: 6, denominator: 8 },
      {
        kind: "at-least",
        numerator: 3,
        denominator: 4,
      },
      0.75,
    ],
  ])("takes %s", async (_case, threshold, rule, share) => {
    const opened = await expectJson<VoteView>(await open(threshold), 201);
    expect(opened.thresholdRule).toEqual(rule);
    expect(opened.threshold).toBe(share);
    const read = await expectJson<VoteView>(
      await h.call("GET", `${votesPath()}/${opened.id}`, { token: d.adminToken }),
      200,
    );
    expect(read.thresholdRule).toEqual(rule);
  });

  it.each<[string, unknown, string]>([
    ["a fraction above 1", { kind: "at-least", numerator: 4, denominator: 3 }, "threshold"],
    ["a zero denominator", { kind: "at-least", numerator: 0, denominator: 0 }, "threshold.denominator"],
    ["a fraction without its denominator", { kind: "at-least", numerator: 2 }, "threshold"],
    ["an unknown rule", { kind: "plurality" }, "threshold"],
    ["a share above 1", 66.67, "threshold"],
    ["a fraction written as text", "2/3", "threshold"],
  ])("refuses %s, naming the field", async (_case, threshold, field) => {
    await expectFieldProblem(await open(threshold), field);
  });
});

describe("a two-thirds vote met exactly", () => {
  it("passes with 6 yes and 3 no, and the result email says which rule applied", async () => {
    const opened = await expectJson<VoteView>(await open(0.6667), 201);
    await engine.settle();
    const vote = (await h.runtime.ports.votes.getVote(d.organisationId, d.groupId, opened.id))!;
    for (const [at, memberId] of memberIds.entries()) {
      const member = (await h.runtime.ports.store.getMember(d.organisationId, memberId))!;
      const ref = { organisationId: d.organisationId, groupId: d.groupId, voteId: vote.id, memberId };
      expect(await castBallot(h.runtime.ports, vote, member, ref, at < 6 ? "yes" : "no", randomUUID())).toBe(
        "counted",
      );
    }
    await engine.settle(); // everyone has voted: the vote closes early and the result goes out

    const closed = await expectJson<VoteView>(
      await h.call("GET", `${votesPath()}/${opened.id}`, { token: d.adminToken }),
      200,
    );
    expect(closed.status).toBe("closed");
    expect(closed.result?.outcome).toEqual({ kind: "passed" });

    const results = (await readSesStore(inject("sesEndpoint"))).filter(
      (e) => e.destination.to.join().includes(domain) && e.subject.startsWith("Vote result"),
    );
    expect(results).toHaveLength(9);
    for (const email of results) {
      expect(email.body.text).toContain("Passed: 6 yes, 3 no, 0 abstained");
      expect(email.body.text).toContain(
        "The rule: the proposal needed at least two-thirds of the votes for or against it to pass",
      );
    }
  });

  it("published the rule in VoteOpened, beside the share older consumers read", async () => {
    const out = await h.runtime.store.doc.send(
      new ScanCommand({
        TableName: h.runtime.store.tableName,
        FilterExpression: "kind = :outbox AND eventType = :type",
        ExpressionAttributeValues: { ":outbox": "outbox", ":type": "VoteOpened" },
        ConsistentRead: true,
      }),
    );
    const snapshots = (out.Items ?? []).map(
      (i) =>
        (JSON.parse(i.detail as string) as { data: { vote: { threshold: number; thresholdRule: unknown } } })
          .data.vote,
    );
    expect(snapshots).toContainEqual(expect.objectContaining({ threshold: 2 / 3, thresholdRule: twoThirds }));
    expect(snapshots).toContainEqual(
      expect.objectContaining({ threshold: 0.5, thresholdRule: { kind: "majority" } }),
    );
  });
});

describe("a vote stored before threshold rules", () => {
  it("reads its share as the API took it then: 0.5 is more than half", async () => {
    const opened = await expectJson<VoteView>(await open(), 201);
    const { store } = h.runtime;
    const items = await store.doc.send(
      new ScanCommand({
        TableName: store.tableName,
        FilterExpression: "kind = :kind AND #vote.#id = :id",
        ExpressionAttributeNames: { "#vote": "vote", "#id": "id" },
        ExpressionAttributeValues: { ":kind": "vote", ":id": opened.id },
        ConsistentRead: true,
      }),
    );
    const item = items.Items![0]! as { vote: Record<string, unknown> };
    await store.doc.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...item, vote: { ...item.vote, threshold: 0.5 } },
      }),
    );
    const read = await expectJson<VoteView>(
      await h.call("GET", `${votesPath()}/${opened.id}`, { token: d.adminToken }),
      200,
    );
    expect(read.thresholdRule).toEqual({ kind: "majority" });
    expect(read.threshold).toBe(0.5);
  });
});
