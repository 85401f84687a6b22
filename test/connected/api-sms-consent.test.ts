// A member's SMS consent through /api/v1 over DynamoDB Local: the Member schema shows where they
// stand (and a failed number), an umbrella admin records consent given or withdrawn ("admin"),
// the history comes back newest first, a repeat records nothing and emits nothing, and nobody
// else may read or set it.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember, joinGroup } from "#use-cases/directory/manage-directory.ts";
import { recordPhoneUndeliverable } from "#use-cases/directory/record-phone-undeliverable.ts";
import {
  addGroup,
  buildDirectory,
  expectFieldProblem,
  expectJson,
  expectProblem,
  outboxEvents,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type MemberView,
} from "./api-harness.ts";

interface Consent {
  state: "given" | "withdrawn";
  at: string;
  how: string;
  wordingVersion: string;
}
type MemberWithSms = MemberView & {
  smsConsent?: Consent;
  phoneUndeliverable?: { reason: string; since: string };
  createdAt: string;
};

let h: ApiHarness;
let d: Directory;
let texter: string;
let noPhone: string;
let coordinator: string;
let otherAdmin: string;
const phone = "+447700900555";

const consentPath = (memberId: string, organisationId = d.organisationId) =>
  `/api/v1/organisations/${organisationId}/members/${memberId}/sms-consent`;
const post = (json: unknown, token = d.adminToken, memberId = texter) =>
  h.call("POST", consentPath(memberId), { token, json });
const history = async (memberId = texter) =>
  (
    await expectJson<{ items: Consent[] }>(
      await h.call("GET", consentPath(memberId), { token: d.adminToken }),
      200,
    )
  ).items;
const optEvents = async () =>
  (await outboxEvents(h, d.organisationId))
    .filter((e) => e.type.startsWith("MemberSms"))
    .map((e) => ({ type: e.type, groupId: e.groupId, data: e.data }));
const readMember = async (memberId = texter) =>
  expectJson<MemberWithSms>(
    await h.call("GET", `/api/v1/organisations/${d.organisationId}/members/${memberId}`, {
      token: d.adminToken,
    }),
    200,
  );
/** The clock moves on between changes, so records of one test never share an instant. */
const later = () => h.runtime.clock.advance(1000);

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Consent Network",
    group: "Consent Group",
    member: "Ann Nophone",
    email: "ann@consent.example.org",
  });
  noPhone = d.memberId;
  const second = await addGroup(h, d, "Second Group");
  const m = await createMember(h.runtime.ports, d.organisationId, {
    name: "Tex Ter",
    email: "tex@consent.example.org",
    phone,
    reminders: [{ channel: "sms", offsetMinutes: 120 }],
  });
  texter = m.id;
  await joinGroup(h.runtime.ports, d.organisationId, d.groupId, texter);
  await joinGroup(h.runtime.ports, d.organisationId, second, texter);
  coordinator = await h.token({
    subject: "coord",
    role: "group-coordinator",
    organisationId: d.organisationId,
    groupIds: [d.groupId, second],
  });
  otherAdmin = await h.token({ subject: "other", role: "umbrella-admin", organisationId: "elsewhere" });
});

afterAll(async () => {
  await h?.close();
});

describe("SMS consent through the API", () => {
  it("shows a member from before consent records as having given it on the form, with no history", async () => {
    const member = await readMember();
    expect(member.smsConsent).toEqual({
      state: "given",
      at: member.createdAt,
      how: "form",
      wordingVersion: "v0",
    });
    expect(member.phoneUndeliverable).toBeUndefined();
    expect((await readMember(noPhone)).smsConsent).toBeUndefined();
    expect(await history()).toEqual([]);
  });

  it("records a withdrawal by an admin in one write with an event per group, and a repeat records nothing", async () => {
    later();
    const withdrawn = await expectJson<Consent>(
      await post({ state: "withdrawn", wordingVersion: "v3" }),
      201,
    );
    expect(withdrawn).toMatchObject({ state: "withdrawn", how: "admin", wordingVersion: "v3" });
    const events = await optEvents();
    expect(events.map((e) => e.type)).toEqual(["MemberSmsOptedOut", "MemberSmsOptedOut"]);
    expect(events.map((e) => e.groupId).sort()).toHaveLength(2);
    expect(new Set(events.map((e) => e.groupId)).size).toBe(2);
    expect(events[0]!.data).toEqual({ memberId: texter, how: "admin", at: withdrawn.at });

    later();
    const again = await expectJson<Consent>(await post({ state: "withdrawn", wordingVersion: "v4" }), 200);
    expect(again).toEqual(withdrawn);
    expect(await optEvents()).toHaveLength(2);
    expect(await history()).toEqual([withdrawn]);
    expect((await readMember()).smsConsent).toEqual(withdrawn);
  });

  it("gives consent again and lists the history newest first", async () => {
    later();
    const given = await expectJson<Consent>(await post({ state: "given", wordingVersion: "v4" }), 201);
    expect(given).toMatchObject({ state: "given", how: "admin", wordingVersion: "v4" });
    const records = await history();
    expect(records.map((r) => [r.state, r.wordingVersion])).toEqual([
      ["given", "v4"],
      ["withdrawn", "v3"],
    ]);
    expect(records[0]!.at > records[1]!.at).toBe(true);
    expect((await readMember()).smsConsent).toEqual(given);
    const optedIn = (await optEvents()).filter((e) => e.type === "MemberSmsOptedIn");
    expect(optedIn).toHaveLength(2);
    expect(optedIn[0]!.data).toEqual({ memberId: texter, how: "admin", wordingVersion: "v4", at: given.at });
  });

  it("refuses a member without a phone number with a problem, recording nothing", async () => {
    const problem = await expectProblem(
      await post({ state: "given", wordingVersion: "v1" }, d.adminToken, noPhone),
      409,
    );
    expect(problem.detail ?? problem.title).toMatch(/phone number/);
    expect(await history(noPhone)).toEqual([]);
  });

  it("refuses bad input naming the field", async () => {
    await expectFieldProblem(await post({ state: "maybe", wordingVersion: "v1" }), "state");
    await expectFieldProblem(await post({ state: "given" }), "wordingVersion");
    await expectFieldProblem(await post({ state: "given", wordingVersion: "   " }), "wordingVersion");
    await expectFieldProblem(
      await post({ state: "given", wordingVersion: "x".repeat(65) }),
      "wordingVersion",
    );
    await expectFieldProblem(await post({ state: "given", wordingVersion: "v1", how: "keyword" }), "how");
    await expectProblem(
      await post({ state: "given", wordingVersion: "v1" }, d.adminToken, "no-such-member"),
      404,
    );
    await expectProblem(await h.call("GET", consentPath("no-such-member"), { token: d.adminToken }), 404);
    expect(await history()).toHaveLength(2);
  });

  it("lets only the organisation's umbrella admins read or set it", async () => {
    const withdraw = { state: "withdrawn", wordingVersion: "v5" };
    await expectProblem(await post(withdraw, coordinator), 403);
    await expectProblem(await h.call("GET", consentPath(texter), { token: coordinator }), 403);
    // Another organisation's admin learns nothing of this one.
    await expectProblem(await post(withdraw, otherAdmin), 404);
    await expectProblem(await h.call("GET", consentPath(texter), { token: otherAdmin }), 404);
    await expectProblem(await post(withdraw, ""), 401);
    expect(await history()).toHaveLength(2);
    expect((await readMember()).smsConsent?.state).toBe("given");
  });

  it("shows a number whose texts failed for good, until the number changes", async () => {
    const since = h.runtime.clock.now().toISOString();
    const recipient = { organisationId: d.organisationId, groupId: d.groupId, memberId: texter };
    expect(
      await recordPhoneUndeliverable(h.runtime.ports, {
        recipient,
        phone,
        reason: "invalid-number",
        at: since,
      }),
    ).toBe("marked");
    expect((await readMember()).phoneUndeliverable).toEqual({ reason: "invalid-number", since });
    await expectJson(
      await h.call("PATCH", `/api/v1/organisations/${d.organisationId}/members/${texter}`, {
        token: d.adminToken,
        json: { phone: "+447700900556" },
      }),
      200,
    );
    expect((await readMember()).phoneUndeliverable).toBeUndefined();
    expect(JSON.stringify(h.log.lines)).not.toContain(phone);
  });
});
