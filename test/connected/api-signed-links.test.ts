// Every signed link a member follows from an email (a ballot option, a role answer, an
// unsubscribe): when the link is missing, cut short, tampered with, expired or made for
// another page, the member gets a page saying the link no longer works, with a 4xx; never a
// 500, problem+json meant for programs, or an ERROR in the log.

import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newBallotToken } from "#domain/ballot-token.ts";
import { signBallotLink } from "#links/ballot-link.ts";
import { signRoleLink } from "#links/role-link.ts";
import { signUnsubscribeToken } from "#links/unsubscribe-link.ts";
import {
  buildDirectory,
  expectJson,
  startApiHarness,
  type ApiHarness,
  type Directory,
} from "./api-harness.ts";

let h: ApiHarness;
let d: Directory;
let voteId: string;
/** Genuine tokens, one per route, each for something that exists and is still open. */
const genuine: Record<LinkRoute, string> = { ballot: "", "role-answer": "", unsubscribe: "" };

type LinkRoute = "ballot" | "role-answer" | "unsubscribe";
const routes: LinkRoute[] = ["ballot", "role-answer", "unsubscribe"];

const path = (route: LinkRoute, token?: string) =>
  token === undefined ? `/api/v1/${route}` : `/api/v1/${route}?token=${encodeURIComponent(token)}`;

const follow = (method: "GET" | "POST", route: LinkRoute, token?: string) =>
  h.call(method, path(route, token), {
    ...(method === "POST"
      ? {
          body: "List-Unsubscribe=One-Click",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }
      : {}),
  });

/** The page a member sees: HTML, the status, and the heading. */
const expectPage = async (response: Response, status: number, heading: RegExp) => {
  const html = await response.text();
  expect(response.status, html).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8/i);
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toMatch(heading);
  return html;
};

const noLongerWorks = /<h1>This link no longer works<\/h1>/;

/** Claims of a genuine token, re-signed with the right secret but expired an hour ago. */
const expired = async (route: LinkRoute): Promise<string> => {
  const claims = JSON.parse(Buffer.from(genuine[route].split(".")[1]!, "base64url").toString()) as Record<
    string,
    unknown
  >;
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  return new SignJWT({ ...claims, iat: hourAgo - 60, exp: hourAgo })
    .setProtectedHeader({ alg: "HS256" })
    .sign(h.linkSigningSecret);
};

/** Each way a link can be broken, from the genuine token of the route. */
const brokenLinks = async (route: LinkRoute): Promise<[string, string | undefined][]> => {
  const token = genuine[route];
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const other = routes.find((r) => r !== route)!;
  const flipped = `${signature.slice(0, 5)}${signature[5] === "A" ? "B" : "A"}${signature.slice(6)}`;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  const edited = Buffer.from(JSON.stringify({ ...claims, extra: "x" })).toString("base64url");
  return [
    ["no token at all", undefined],
    ["an empty token", ""],
    ["a token cut short, as a mail client wraps a long line", token.slice(0, 60)],
    ["a token missing its last characters", token.slice(0, -10)],
    ["a token missing its signature", `${header}.${payload}`],
    ["a changed signature", `${header}.${payload}.${flipped}`],
    ["changed claims under the genuine signature", `${header}.${edited}.${signature}`],
    ["no signature (alg none)", `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`],
    ["a token signed with another secret", await resign(claims, new Uint8Array(32).fill(7))],
    ["a token expired an hour ago", await expired(route)],
    ["a genuine token for another kind of link", genuine[other]],
    ["text that is no token", "not-a-token"],
    ["a very long token", "a".repeat(4000)],
  ];
};

const resign = (claims: Record<string, unknown>, secret: Uint8Array) =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(secret);

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Linkford Network",
    group: "Linkford Thursday Group",
    member: "Lina Linkford",
    email: "lina.linkford@example.org",
  });
  const groupPath = `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}`;
  const vote = await expectJson<{ id: string }>(
    await h.call("POST", `${groupPath}/votes`, {
      token: d.adminToken,
      json: {
        question: "Shall we meet fortnightly?",
        kind: "proposal",
        closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      },
    }),
    201,
  );
  voteId = vote.id;
  const ballotToken = await h.runtime.ports.votes.ballotToken(
    { organisationId: d.organisationId, groupId: d.groupId, voteId, memberId: d.memberId },
    newBallotToken(),
  );
  genuine.ballot = await signBallotLink({ ballotToken, optionId: "yes" }, h.linkSigningSecret);

  const role = await expectJson<{ vacantSince: string }>(
    await h.call("POST", `${groupPath}/roles`, { token: d.adminToken, json: { roleId: "co-facilitator" } }),
    201,
  );
  const roleToken = await h.runtime.ports.roles.roleReplyToken(
    {
      organisationId: d.organisationId,
      groupId: d.groupId,
      roleId: "co-facilitator",
      vacantSince: role.vacantSince,
      memberId: d.memberId,
      purpose: "call",
    },
    newBallotToken(),
  );
  genuine["role-answer"] = await signRoleLink({ roleToken, action: "volunteer" }, h.linkSigningSecret);

  genuine.unsubscribe = await signUnsubscribeToken(
    { organisationId: d.organisationId, groupId: d.groupId, memberId: d.memberId, channel: "email" },
    h.linkSigningSecret,
  );
});

afterAll(async () => {
  await h?.close();
});

describe.each(routes)("the %s link", (route) => {
  it("works when genuine: the page asks to confirm", async () => {
    const html = await expectPage(await follow("GET", route, genuine[route]), 200, /<h1>[^<]+\?<\/h1>/);
    expect(html).toMatch(/<form method="post"/);
  });

  it("answers every broken link with a page saying it no longer works (400), on GET and POST", async () => {
    for (const [why, token] of await brokenLinks(route)) {
      for (const method of ["GET", "POST"] as const) {
        const response = await follow(method, route, token);
        expect(response.status, `${method} with ${why}`).toBe(400);
        const html = await expectPage(response, 400, noLongerWorks);
        expect(html, why).not.toMatch(/<form/);
      }
    }
  });

  it("changed nothing and logged no error along the way", async () => {
    const errors = h.log.lines.filter((line) => line.level === "error");
    expect(errors).toEqual([]);
    expect((await h.runtime.ports.votes.listBallots(d.organisationId, voteId)).length).toBe(0);
    const member = await h.runtime.ports.store.getMember(d.organisationId, d.memberId);
    expect(member?.unsubscribed ?? []).toEqual([]);
  });
});

describe("a genuine link whose subject has gone", () => {
  it("is a page saying the link no longer works (404) for a ballot, a role and a member that do not exist", async () => {
    const ballot = await signBallotLink(
      { ballotToken: newBallotToken(), optionId: "yes" },
      h.linkSigningSecret,
    );
    const role = await signRoleLink(
      { roleToken: newBallotToken(), action: "volunteer" },
      h.linkSigningSecret,
    );
    const unsubscribe = await signUnsubscribeToken(
      {
        organisationId: d.organisationId,
        groupId: d.groupId,
        memberId: "member-who-was-erased",
        channel: "email",
      },
      h.linkSigningSecret,
    );
    for (const [route, token] of [
      ["ballot", ballot],
      ["role-answer", role],
      ["unsubscribe", unsubscribe],
    ] as const) {
      for (const method of ["GET", "POST"] as const)
        await expectPage(await follow(method, route, token), 404, noLongerWorks);
    }
  });

  it("says a closed vote has closed (409), and counts nothing", async () => {
    const cancelled = await h.call(
      "POST",
      `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}/votes/${voteId}/cancel`,
      { token: d.adminToken },
    );
    expect(cancelled.status).toBe(200);
    for (const method of ["GET", "POST"] as const)
      await expectPage(await follow(method, "ballot", genuine.ballot), 409, /<h1>This vote has closed<\/h1>/);
    expect(await h.runtime.ports.votes.listBallots(d.organisationId, voteId)).toEqual([]);
    expect(h.log.lines.filter((line) => line.level === "error")).toEqual([]);
  });
});
