// Authentication and tenancy of /api/v1, route by route as the OpenAPI document lists them:
// no valid token, no answer; another organisation's data answers exactly like data that does
// not exist; a coordinator sees only their groups; only a platform admin creates organisations.

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalIdentityProvider } from "#infra/local/local-identity.ts";
import {
  buildDirectory,
  documentedRoutes,
  expectJson,
  expectProblem,
  fillPath,
  heldSessionIn,
  localStartInDays,
  readOpenApiDocument,
  sampleBody,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type DocumentedRoute,
  type GroupView,
  type MemberView,
  type SessionView,
} from "./api-harness.ts";

// Org A's names: none may appear in an answer to anyone outside org A.
const orgA = {
  organisation: "Aldbury Wellbeing Network",
  group: "Aldbury Hearing Voices Group",
  member: "Amara Aldbury",
  email: "amara.aldbury@example.org",
};
const secondGroupName = "Aldbury Bereavement Circle";
const secondMemberName = "Bryn Aldbury";

let h: ApiHarness;
let routes: DocumentedRoute[];
let a: Directory;
let b: Directory;
/** Org A's second group, with a member and a session of its own. */
let g2: {
  groupId: string;
  memberId: string;
  sessionId: string;
  heldSessionId: string;
  openSessionId: string;
  seriesId: string;
  voteId: string;
  roleId: string;
};
let coordinatorToken: string;

/**
 * Attendance is recorded only for a session that has started: `heldSessionId`'s, where given;
 * RSVPs only for one still to come and not cancelled (the loop cancels `sessionId` on its way):
 * `openSessionId`'s.
 */
const send = (route: DocumentedRoute, ids: Record<string, string>, token?: string) =>
  h.call(route.method, fillPath(route.path, sessionFor(route, ids)), {
    ...(token ? { token } : {}),
    ...(route.body ? { json: sampleBody(route.body, ids) } : {}),
  });

const sessionFor = (route: DocumentedRoute, ids: Record<string, string>) => {
  if (/\/attendance(\/names)?$/.test(route.path) && ids.heldSessionId)
    return { ...ids, sessionId: ids.heldSessionId };
  if (/\/sessions\/\{sessionId\}\/rsvp/.test(route.path) && ids.openSessionId)
    return { ...ids, sessionId: ids.openSessionId };
  return ids;
};

const madeUpIds = () => ({
  organisationId: randomUUID(),
  groupId: randomUUID(),
  memberId: randomUUID(),
  sessionId: randomUUID(),
  seriesId: randomUUID(),
  voteId: randomUUID(),
  roleId: randomUUID(),
});

const orgRoutes = () => routes.filter((r) => r.path.includes("{organisationId}"));
const groupRoutes = () => routes.filter((r) => r.path.includes("{groupId}"));
const key = (r: DocumentedRoute) => `${r.method} ${r.path}`;

const scheduleIn = async (organisationId: string, groupId: string, token: string): Promise<string> => {
  const session = await expectJson<SessionView>(
    await h.call("POST", `/api/v1/organisations/${organisationId}/groups/${groupId}/sessions`, {
      token,
      json: { title: "Monday meeting", startLocal: localStartInDays(12) },
    }),
    201,
  );
  return session.id;
};

const seriesIn = async (organisationId: string, groupId: string, token: string): Promise<string> => {
  const series = await expectJson<{ id: string }>(
    await h.call("POST", `/api/v1/organisations/${organisationId}/groups/${groupId}/series`, {
      token,
      json: sampleBody("SeriesInput"),
    }),
    201,
  );
  return series.id;
};

const openVoteIn = async (
  organisationId: string,
  groupId: string,
  token: string,
  memberId = a.memberId,
): Promise<string> => {
  // A vote needs an eligible member; an earlier test may have removed this one from the group.
  await h.call("PUT", `/api/v1/organisations/${organisationId}/groups/${groupId}/members/${memberId}`, {
    token,
  });
  const response = await h.call("POST", `/api/v1/organisations/${organisationId}/groups/${groupId}/votes`, {
    token,
    json: sampleBody("VoteInput"),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
};

/** An earlier route may have removed the member from the group; a vote needs an eligible member. */
const keepMember = async (ids: { organisationId: string; groupId: string; memberId: string }) => {
  const path = `/api/v1/organisations/${ids.organisationId}/groups/${ids.groupId}/members/${ids.memberId}`;
  expect((await h.call("PUT", path, { token: a.adminToken })).status).toBe(204);
};

/** The group's "refreshments" role, taken up if need be and vacant, for the role routes to fill. */
const vacantRoleIn = async (organisationId: string, groupId: string): Promise<string> => {
  const roleId = "refreshments";
  const path = `/api/v1/organisations/${organisationId}/groups/${groupId}/roles`;
  const read = await h.call("GET", `${path}/${roleId}`, { token: a.adminToken });
  if (read.status === 404)
    expect((await h.call("POST", path, { token: a.adminToken, json: { roleId } })).status).toBe(201);
  const role =
    read.status === 404 ? { holders: [] } : ((await read.json()) as { holders: { memberId: string }[] });
  for (const { memberId } of role.holders)
    expect(
      (await h.call("DELETE", `${path}/${roleId}/holders/${memberId}`, { token: a.adminToken })).status,
    ).toBe(204);
  return roleId;
};

/** Org A's ids for G1, with a session nobody has moved or cancelled yet, an open vote and a vacant role. */
const g1Ids = async () => ({
  organisationId: a.organisationId,
  groupId: a.groupId,
  memberId: a.memberId,
  sessionId: await scheduleIn(a.organisationId, a.groupId, a.adminToken),
  heldSessionId: await heldSessionIn(h, a.organisationId, a.groupId),
  openSessionId: await scheduleIn(a.organisationId, a.groupId, a.adminToken),
  seriesId: await seriesIn(a.organisationId, a.groupId, a.adminToken),
  voteId: await openVoteIn(a.organisationId, a.groupId, a.adminToken),
  roleId: await vacantRoleIn(a.organisationId, a.groupId),
});

/** All of org A as its own umbrella admin sees it. */
const orgAState = async () => {
  const read = async (path: string) => {
    const response = await h.call("GET", `/api/v1/organisations/${a.organisationId}${path}`, {
      token: a.adminToken,
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  const groups = (await read("/groups")) as { items: GroupView[] };
  return {
    organisation: await read(""),
    groups,
    members: await read("/members"),
    byGroup: await Promise.all(
      groups.items.map(async (g) => ({
        members: await read(`/groups/${g.id}/members`),
        sessions: await read(`/groups/${g.id}/sessions?limit=100`),
        series: await read(`/groups/${g.id}/series`),
      })),
    ),
  };
};

beforeAll(async () => {
  h = await startApiHarness();
  // The calendar feeds take no token (a published group's, or a member's unguessable URL): who
  // may read them is tested in api-calendar-feeds.test.ts.
  routes = documentedRoutes(await readOpenApiDocument(h)).filter((r) => !r.public);
  a = await buildDirectory(h, orgA);
  b = await buildDirectory(h, {
    organisation: "Brixham Carers Alliance",
    group: "Brixham Young Carers",
    member: "Bea Brixham",
    email: "bea@example.org",
  });
  const o = `/api/v1/organisations/${a.organisationId}`;
  // SMS consent is recorded only for a member with a phone number.
  await expectJson(
    await h.call("PATCH", `${o}/members/${a.memberId}`, {
      token: a.adminToken,
      json: { phone: "+447700900123" },
    }),
    200,
  );
  const group = await expectJson<GroupView>(
    await h.call("POST", `${o}/groups`, {
      token: a.adminToken,
      json: { name: secondGroupName, timeZone: "Europe/Dublin" },
    }),
    201,
  );
  const member = await expectJson<MemberView>(
    await h.call("POST", `${o}/members`, {
      token: a.adminToken,
      json: { name: secondMemberName, email: "bryn@example.org" },
    }),
    201,
  );
  expect(
    (await h.call("PUT", `${o}/groups/${group.id}/members/${member.id}`, { token: a.adminToken })).status,
  ).toBe(204);
  g2 = {
    groupId: group.id,
    memberId: member.id,
    sessionId: await scheduleIn(a.organisationId, group.id, a.adminToken),
    heldSessionId: await heldSessionIn(h, a.organisationId, group.id),
    openSessionId: await scheduleIn(a.organisationId, group.id, a.adminToken),
    seriesId: await seriesIn(a.organisationId, group.id, a.adminToken),
    voteId: await openVoteIn(a.organisationId, group.id, a.adminToken, member.id),
    roleId: "refreshments",
  };
  coordinatorToken = await h.token({
    subject: "coordinator-of-g1",
    role: "group-coordinator",
    organisationId: a.organisationId,
    groupIds: [a.groupId],
  });
});

afterAll(async () => {
  await h?.close();
});

it("the document lists the routes these tests walk", () => {
  expect(routes.length).toBeGreaterThanOrEqual(17);
  expect(groupRoutes().length).toBeGreaterThan(0);
});

describe("authentication", () => {
  const unauthenticated = async (response: Response) => {
    const problem = await expectProblem(response, 401);
    expect(problem.type).toBe("https://convene.example/problems/unauthenticated");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  };

  it("answers 401 problem+json to a request without a token, on every route", async () => {
    for (const route of routes) await unauthenticated(await send(route, madeUpIds()));
    await unauthenticated(await h.call("GET", "/api/v1/no-such-route"));
  });

  it("answers 401 to other kinds of Authorization header", async () => {
    const path = `/api/v1/organisations/${a.organisationId}`;
    for (const authorization of [
      "Basic YWRtaW46YWRtaW4=",
      "Bearer",
      "Bearer not.a.jwt",
      `Token ${a.adminToken}`,
      `${a.adminToken}`,
    ])
      await unauthenticated(await h.call("GET", path, { headers: { authorization } }));
  });

  it("answers 401 to a token signed by another key, on every route", async () => {
    const stranger = await LocalIdentityProvider.create();
    const forged = await stranger.mint({
      subject: "forger",
      role: "umbrella-admin",
      organisationId: a.organisationId,
    });
    for (const route of routes) await unauthenticated(await send(route, { ...madeUpIds(), ...a }, forged));
  });

  it("answers 401 to an expired token, on every route", async () => {
    const expired = await h.identity.mint(
      { subject: "former-admin", role: "umbrella-admin", organisationId: a.organisationId },
      -60,
    );
    for (const route of routes) await unauthenticated(await send(route, { ...madeUpIds(), ...a }, expired));
  });

  it("answers 401 to an unsigned token and to one that names no organisation", async () => {
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const unsigned = `${encode({ alg: "none" })}.${encode({
      sub: "x",
      iss: "convene-local",
      aud: "convene",
      exp: Math.floor(Date.now() / 1000) + 600,
      "cognito:groups": ["umbrella-admin"],
      "custom:organisation": a.organisationId,
    })}.`;
    const tenantless = await h.token({ subject: "nobody", role: "umbrella-admin" });
    for (const token of [unsigned, tenantless])
      await unauthenticated(await h.call("GET", `/api/v1/organisations/${a.organisationId}`, { token }));
  });

  it("serves the OpenAPI document without a token", async () => {
    expect((await h.call("GET", "/api/v1/openapi.json")).status).toBe(200);
  });
});

describe("tenancy", () => {
  it("answers org B's umbrella admin on every org-A route exactly as for ids that do not exist", async () => {
    const ids = await g1Ids();
    const before = await orgAState();
    const secrets = [
      ...Object.values(orgA),
      secondGroupName,
      secondMemberName,
      ...Object.values(ids),
      g2.groupId,
    ];
    for (const route of orgRoutes()) {
      const response = await send(route, ids, b.adminToken);
      const body = await response.text();
      const plain = await send(route, madeUpIds(), b.adminToken);
      expect(response.status, key(route)).toBe(404);
      expect(body, key(route)).toBe(await plain.text());
      expect(response.headers.get("content-type")).toBe(plain.headers.get("content-type"));
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      for (const secret of secrets) expect(body, key(route)).not.toContain(secret);
    }
    expect(await orgAState()).toEqual(before);
  });

  it("lets org A's umbrella admin use every one of those routes (so the refusals above were not an accident)", async () => {
    const ids = await g1Ids();
    for (const route of orgRoutes()) {
      await keepMember(ids);
      const response = await send(route, ids, a.adminToken);
      expect(response.status, `${key(route)}: ${await response.clone().text()}`).toBeGreaterThanOrEqual(200);
      expect(response.status, key(route)).toBeLessThan(300);
    }
  });

  it("keeps org B's admin from reaching org A's member through org B's own group", async () => {
    const response = await h.call(
      "PUT",
      `/api/v1/organisations/${b.organisationId}/groups/${b.groupId}/members/${a.memberId}`,
      { token: b.adminToken },
    );
    const problem = await expectProblem(response, 404);
    expect(JSON.stringify(problem)).not.toContain(a.memberId);
    const scheduled = await h.call(
      "POST",
      `/api/v1/organisations/${b.organisationId}/groups/${b.groupId}/sessions`,
      {
        token: b.adminToken,
        json: { title: "x", startLocal: localStartInDays(9), facilitatorMemberId: a.memberId },
      },
    );
    expect((await expectProblem(scheduled, 400)).errors?.[0]?.field).toBe("facilitatorMemberId");
  });
});

describe("a group coordinator", () => {
  // Organisation-level routes (no {groupId}) and what a coordinator of G1 may do there.
  const organisationLevel: Record<string, "allowed" | "umbrella-admin only"> = {
    "GET /api/v1/organisations/{organisationId}": "allowed",
    "PATCH /api/v1/organisations/{organisationId}": "umbrella-admin only",
    "GET /api/v1/organisations/{organisationId}/groups": "allowed",
    "POST /api/v1/organisations/{organisationId}/groups": "umbrella-admin only",
    "POST /api/v1/organisations/{organisationId}/members": "allowed",
    "GET /api/v1/organisations/{organisationId}/members": "umbrella-admin only",
    "GET /api/v1/organisations/{organisationId}/members/{memberId}": "umbrella-admin only",
    "PATCH /api/v1/organisations/{organisationId}/members/{memberId}": "umbrella-admin only",
    "GET /api/v1/organisations/{organisationId}/members/{memberId}/sms-consent": "umbrella-admin only",
    "POST /api/v1/organisations/{organisationId}/members/{memberId}/sms-consent": "umbrella-admin only",
    "GET /api/v1/organisations/{organisationId}/role-catalogue": "allowed",
    "POST /api/v1/organisations/{organisationId}/role-catalogue": "umbrella-admin only",
    "GET /api/v1/organisations/{organisationId}/overview": "umbrella-admin only",
  };

  it("has a decision for every organisation-level route", () => {
    const listed = orgRoutes()
      .filter((r) => !r.path.includes("{groupId}"))
      .map(key)
      .sort();
    expect(listed).toEqual(Object.keys(organisationLevel).sort());
  });

  it("gets 404, as for a group that does not exist, on every route of another group", async () => {
    const before = await orgAState();
    const ids = { organisationId: a.organisationId, ...g2 };
    for (const route of groupRoutes()) {
      const response = await send(route, ids, coordinatorToken);
      const body = await response.text();
      const plain = await send(route, { ...madeUpIds(), organisationId: a.organisationId }, coordinatorToken);
      expect(response.status, key(route)).toBe(404);
      expect(body, key(route)).toBe(await plain.text());
      for (const secret of [
        secondGroupName,
        secondMemberName,
        g2.groupId,
        g2.memberId,
        g2.sessionId,
        g2.heldSessionId,
        g2.seriesId,
        g2.voteId,
      ])
        expect(body, key(route)).not.toContain(secret);
    }
    expect(await orgAState()).toEqual(before);
  });

  it("gets 403 on routes for umbrella admins only, and changes nothing", async () => {
    const before = await orgAState();
    const ids = { ...madeUpIds(), organisationId: a.organisationId, memberId: g2.memberId };
    for (const route of orgRoutes().filter((r) => organisationLevel[key(r)] === "umbrella-admin only")) {
      const problem = await expectProblem(await send(route, ids, coordinatorToken), 403);
      expect(problem.type, key(route)).toBe("https://convene.example/problems/forbidden");
    }
    expect(await orgAState()).toEqual(before);
  });

  it("sees only their own group in the organisation's list", async () => {
    const { items } = await expectJson<{ items: GroupView[] }>(
      await h.call("GET", `/api/v1/organisations/${a.organisationId}/groups`, { token: coordinatorToken }),
      200,
    );
    expect(items.map((g) => g.id)).toEqual([a.groupId]);
  });

  it("may use every route of their own group and the allowed organisation-level ones", async () => {
    const ids = await g1Ids();
    const allowed = orgRoutes().filter(
      (r) => r.path.includes("{groupId}") || organisationLevel[key(r)] === "allowed",
    );
    for (const route of allowed) {
      await keepMember(ids);
      const response = await send(route, ids, coordinatorToken);
      expect(response.status, `${key(route)}: ${await response.clone().text()}`).toBeGreaterThanOrEqual(200);
      expect(response.status, key(route)).toBeLessThan(300);
    }
  });

  it("gets 404 on another organisation", async () => {
    await expectProblem(
      await h.call("GET", `/api/v1/organisations/${b.organisationId}`, { token: coordinatorToken }),
      404,
    );
  });
});

describe("creating an organisation", () => {
  const create = (token: string) =>
    h.call("POST", "/api/v1/organisations", { token, json: { name: "Yet Another Network" } });

  it("is for platform admins only", async () => {
    for (const token of [a.adminToken, coordinatorToken, b.adminToken]) {
      const problem = await expectProblem(await create(token), 403);
      expect(problem.type).toBe("https://convene.example/problems/forbidden");
    }
    const platform = await h.token({ subject: "platform-2", role: "platform-admin" });
    expect((await create(platform)).status).toBe(201);
  });

  it("gives a platform admin no view into an organisation's data", async () => {
    const platform = await h.token({ subject: "platform-3", role: "platform-admin" });
    const ids = {
      ...madeUpIds(),
      organisationId: a.organisationId,
      groupId: a.groupId,
      memberId: a.memberId,
    };
    for (const route of orgRoutes().filter((r) => r.method === "GET"))
      await expectProblem(await send(route, ids, platform), 404);
  });
});
