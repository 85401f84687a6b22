// Input the API used to accept and should not, in process over DynamoDB
// Local: bytes that are not UTF-8 inside a JSON body, a vote naming a role the group does not
// have, identical PUTs that conflicted or repeated their event, and one email address shared by
// several members although a reply is authenticated by its From address.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { demoOrganisationId, seedDemo } from "#infra/local/demo-data.ts";
import {
  buildDirectory,
  documentedRoutes,
  expectFieldProblem,
  expectJson,
  expectProblem,
  fillPath,
  heldSessionIn,
  outboxEvents,
  readOpenApiDocument,
  sampleBody,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type MemberView,
  type OpenApiDocument,
  type SessionView,
} from "./api-harness.ts";

let h: ApiHarness;
let d: Directory;
let doc: OpenApiDocument;

beforeAll(async () => {
  h = await startApiHarness();
  doc = await readOpenApiDocument(h);
  d = await buildDirectory(h, {
    organisation: "Inputham Network",
    group: "Inputham Circle",
    member: "Ines Input",
    email: "ines.input@example.org",
  });
});

afterAll(async () => {
  await h?.close();
});

const org = () => `/api/v1/organisations/${d.organisationId}`;
const grp = () => `${org()}/groups/${d.groupId}`;
const send = (method: string, path: string, json?: unknown) =>
  h.call(method, path, { token: d.adminToken, ...(json === undefined ? {} : { json }) });

/** Every event of a type the organisation's writes put in the outbox. */
const outbox = async (type: ConveneEvent["type"]): Promise<ConveneEvent[]> =>
  (await outboxEvents(h, d.organisationId)).filter((e) => e.type === type);

const addMember = async (name: string, email: string) =>
  expectJson<MemberView>(await send("POST", `${org()}/members`, { name, email }), 201);

describe("a JSON body that is not UTF-8", () => {
  /** The body's JSON with the two bytes C3 28 (a lead byte without its continuation) in a string. */
  const withBrokenText = (body: Record<string, unknown>): Uint8Array => {
    const free = ["name", "title", "question", "reason"].find((k) => typeof body[k] === "string");
    // A body of numbers only (a headcount) gets a field of text: its bytes are refused first.
    const key = free ?? Object.keys(body).find((k) => typeof body[k] === "string") ?? "note";
    const text = typeof body[key] === "string" ? body[key] : "";
    const [before, after] = JSON.stringify({ ...body, [key]: `${text}@@` }).split("@@") as [string, string];
    const encode = (text: string) => [...new TextEncoder().encode(text)];
    return new Uint8Array([...encode(before), 0xc3, 0x28, ...encode(after)]);
  };

  it("is refused on every route that takes a body, naming the body, before anything is read or written", async () => {
    const routes = documentedRoutes(doc).filter((r) => r.body);
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const ids = {
      organisationId: d.organisationId,
      groupId: d.groupId,
      memberId: d.memberId,
      sessionId: "session-1",
      seriesId: "series-1",
      voteId: "vote-1",
      roleId: "treasurer",
    };
    const members = await send("GET", `${org()}/members`).then((r) => r.json());
    const answers: { route: string; status: number; errors: unknown }[] = [];
    for (const route of routes) {
      const platform = route.path === "/api/v1/organisations";
      const token = platform
        ? await h.token({ subject: "platform-1", role: "platform-admin" })
        : d.adminToken;
      const response = await h.app.request(fillPath(route.path, ids), {
        method: route.method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: withBrokenText(sampleBody(route.body!, ids)),
      });
      const body = (await response.json()) as { errors?: unknown };
      answers.push({ route: `${route.method} ${route.path}`, status: response.status, errors: body.errors });
    }
    expect(
      answers.filter((a) => a.status !== 400 || JSON.stringify(a.errors) !== JSON.stringify(brokenText)),
    ).toEqual([]);
    expect(await send("GET", `${org()}/members`).then((r) => r.json())).toEqual(members);
  });

  it("is refused with a charset parameter too, and well-formed text beyond ASCII is kept", async () => {
    const response = await h.app.request(`${org()}/members`, {
      method: "POST",
      headers: { authorization: `Bearer ${d.adminToken}`, "content-type": "application/json; charset=utf-8" },
      body: withBrokenText({ name: "Zoë", email: "zoe.broken@example.org" }),
    });
    expect((await expectFieldProblem(response, "(body)")).errors).toEqual(brokenText);
    const zoe = await addMember("Zoë Ødegård 山田", "zoe.whole@example.org");
    expect(zoe.name).toBe("Zoë Ødegård 山田");
  });
});
const brokenText = [{ field: "(body)", message: "is not valid UTF-8 text" }];

describe("a vote for a role", () => {
  let candidates: string[];
  beforeAll(async () => {
    const second = await addMember("Ivo Input", "ivo.input@example.org");
    expect((await send("PUT", `${grp()}/members/${second.id}`)).status).toBe(204);
    candidates = [d.memberId, second.id];
  });
  const election = (roleId: string) => ({
    question: "Who should keep the accounts?",
    kind: "election",
    candidateMemberIds: candidates,
    roleId,
    closesAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
  });

  it("is refused, naming roleId, when the group has no such role, and nothing is opened", async () => {
    const before = await send("GET", `${grp()}/votes`).then((r) => r.json());
    for (const roleId of ["no-such-role", "treasurer"]) {
      const problem = await expectFieldProblem(
        await send("POST", `${grp()}/votes`, election(roleId)),
        "roleId",
      );
      expect(problem.errors?.[0]?.message).toMatch(/role/);
    }
    expect(await send("GET", `${grp()}/votes`).then((r) => r.json())).toEqual(before);
  });

  it("is opened once the group has taken the role up", async () => {
    expect((await send("POST", `${grp()}/roles`, { roleId: "treasurer" })).status).toBe(201);
    const vote = await expectJson<{ roleId: string }>(
      await send("POST", `${grp()}/votes`, election("treasurer")),
      201,
    );
    expect(vote.roleId).toBe("treasurer");
  });
});

describe("identical PUTs", () => {
  it("record a session's attendance once: ten at once all succeed, with one event", async () => {
    const sessionId = await heldSessionIn(h, d.organisationId, d.groupId);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        send("PUT", `${grp()}/sessions/${sessionId}/attendance`, { headcount: 11 }),
      ),
    );
    const sessions = await Promise.all(responses.map((r) => expectJson<SessionView>(r, 200)));
    for (const session of sessions) expect(session).toEqual(sessions[0]);
    expect(sessions[0]).toMatchObject({ version: 2, attendance: { headcount: 11 } });
    const recorded = (await outbox("SessionAttendanceRecorded")).filter(
      (e) => (e.data as { sessionId: string }).sessionId === sessionId,
    );
    expect(recorded).toHaveLength(1);
  });

  it("add a member to a group once: one after another and at once, each answers 204, with one event", async () => {
    const joined = async (memberId: string) =>
      (await outbox("MemberJoinedGroup")).filter(
        (e) => e.groupId === d.groupId && (e.data as { memberId: string }).memberId === memberId,
      );
    const one = await addMember("Ona Input", "ona.input@example.org");
    for (let i = 0; i < 3; i++) expect((await send("PUT", `${grp()}/members/${one.id}`)).status).toBe(204);
    expect(await joined(one.id)).toHaveLength(1);

    const other = await addMember("Otto Input", "otto.input@example.org");
    const statuses = await Promise.all(
      Array.from({ length: 3 }, () => send("PUT", `${grp()}/members/${other.id}`).then((r) => r.status)),
    );
    expect(statuses).toEqual([204, 204, 204]);
    expect(await joined(other.id)).toHaveLength(1);
    const members = await expectJson<{ items: MemberView[] }>(await send("GET", `${grp()}/members`), 200);
    expect(members.items.filter((m) => m.id === one.id || m.id === other.id)).toHaveLength(2);
  });
});

describe("a member's email address", () => {
  it("is unique in the organisation: of ten at once one is created, nine answer 409 naming email", async () => {
    const before = (await expectJson<{ items: MemberView[] }>(await send("GET", `${org()}/members`), 200))
      .items;
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        send("POST", `${org()}/members`, { name: `Twin ${i}`, email: "twin@example.org" }),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 201)) {
      const problem = await expectProblem(response, 409);
      expect(problem.errors?.map((e) => e.field)).toEqual(["email"]);
      expect(JSON.stringify(problem)).not.toContain("twin@");
    }
    const after = (await expectJson<{ items: MemberView[] }>(await send("GET", `${org()}/members`), 200))
      .items;
    expect(after.filter((m) => m.email === "twin@example.org")).toHaveLength(1);
    expect(after).toHaveLength(before.length + 1);
  });

  it("is compared as replies are, without regard to case", async () => {
    await addMember("Case One", "Case.Person@Example.org");
    const problem = await expectProblem(
      await send("POST", `${org()}/members`, { name: "Case Two", email: "case.person@example.ORG" }),
      409,
    );
    expect(problem.errors?.map((e) => e.field)).toEqual(["email"]);
  });

  it("may be the same in another organisation", async () => {
    const other = await buildDirectory(h, {
      organisation: "Elsewhere Network",
      group: "Elsewhere Circle",
      member: "Twin Elsewhere",
      email: "twin@example.org",
    });
    expect(other.memberId).toBeTruthy();
  });

  it("moves with an edit: another member's address is refused, the old one is free again", async () => {
    const ann = await addMember("Ann Mover", "ann.mover@example.org");
    const bob = await addMember("Bob Mover", "bob.mover@example.org");
    const taken = await expectProblem(
      await send("PATCH", `${org()}/members/${bob.id}`, { email: "ANN.mover@example.org" }),
      409,
    );
    expect(taken.errors?.map((e) => e.field)).toEqual(["email"]);
    expect(await expectJson<MemberView>(await send("GET", `${org()}/members/${bob.id}`), 200)).toEqual(bob);

    // Ann's own address in another case is still hers.
    await expectJson(
      await send("PATCH", `${org()}/members/${ann.id}`, { email: "Ann.Mover@example.org" }),
      200,
    );
    await expectJson(
      await send("PATCH", `${org()}/members/${ann.id}`, { email: "ann.moved@example.org" }),
      200,
    );
    const moved = await expectJson<MemberView>(
      await send("PATCH", `${org()}/members/${bob.id}`, { email: "ann.mover@example.org" }),
      200,
    );
    expect(moved.email).toBe("ann.mover@example.org");
    // Bob's old address is free, Ann's new one is not.
    await addMember("Cy Mover", "bob.mover@example.org");
    await expectProblem(
      await send("POST", `${org()}/members`, { name: "Di Mover", email: "ann.moved@example.org" }),
      409,
    );
  });

  it("is said to be unique in the API's description", () => {
    const property = (schema: string) =>
      (doc.components.schemas[schema] as { properties: Record<string, { description?: string }> }).properties
        .email?.description;
    for (const schema of ["MemberInput", "MemberPatch", "Member"])
      expect(property(schema), schema).toMatch(/unique within the organisation/i);
  });

  it("leaves the demo's seeding working", async () => {
    expect(await seedDemo(h.runtime.ports)).toBe("seeded");
    const admin = await h.token({
      subject: "demo-admin",
      role: "umbrella-admin",
      organisationId: demoOrganisationId,
    });
    const members = await expectJson<{ items: MemberView[] }>(
      await h.call("GET", `/api/v1/organisations/${demoOrganisationId}/members`, { token: admin }),
      200,
    );
    const emails = members.items.map((m) => m.email.toLowerCase());
    expect(emails.length).toBeGreaterThan(4);
    expect(new Set(emails).size).toBe(emails.length);
  });
});
