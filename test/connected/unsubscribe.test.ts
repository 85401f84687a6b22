// The unsubscribe link of every email (RFC 8058 one-click): a GET only shows a confirmation
// page, because mail scanners follow links; a POST stops the channel at once, once; a token
// that was not signed by Convene for that member stops nothing.

import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUnsubscribeToken, unsubscribeUrl, type UnsubscribeTarget } from "#links/unsubscribe-link.ts";
import {
  buildDirectory,
  expectJson,
  startApiHarness,
  type ApiHarness,
  type Directory,
  type MemberView,
} from "./api-harness.ts";

const memberName = "Una Subscriber";
const memberEmail = "una.subscriber@example.org";
const otherName = "Otto Bystander";
const otherEmail = "otto.bystander@example.org";

let h: ApiHarness;
let d: Directory;
let otherId: string;

const oneClick = { "content-type": "application/x-www-form-urlencoded" };

/** A person followed the link: a page, not problem+json (test/connected/api-signed-links.test.ts). */
const expectDeadLinkPage = async (response: Response, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(await response.text()).toMatch(/<h1>This link no longer works<\/h1>/);
};

/** The path and query of the link as it appears in the List-Unsubscribe header. */
const linkPath = (token: string) => {
  const url = new URL(unsubscribeUrl(h.runtime.ports.settings.publicBaseUrl, token));
  return `${url.pathname}${url.search}`;
};

const target = (memberId: string, channel: UnsubscribeTarget["channel"] = "email"): UnsubscribeTarget => ({
  organisationId: d.organisationId,
  groupId: d.groupId,
  memberId,
  channel,
});

const tokenFor = (memberId: string, channel: UnsubscribeTarget["channel"] = "email") =>
  signUnsubscribeToken(target(memberId, channel), h.linkSigningSecret);

const member = async (memberId: string) =>
  expectJson<MemberView>(
    await h.call("GET", `/api/v1/organisations/${d.organisationId}/members/${memberId}`, {
      token: d.adminToken,
    }),
    200,
  );

const unsubscribeEvents = async () => {
  const out = await h.runtime.store.doc.send(
    new ScanCommand({
      TableName: h.runtime.store.tableName,
      FilterExpression: "kind = :outbox AND eventType = :type",
      ExpressionAttributeValues: { ":outbox": "outbox", ":type": "MemberUnsubscribed" },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map(
    (i) => JSON.parse(i.detail as string) as { data: { memberId: string; channel: string } },
  );
};

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Upton Recovery Network",
    group: "Upton Tuesday Group",
    member: memberName,
    email: memberEmail,
  });
  const other = await expectJson<MemberView>(
    await h.call("POST", `/api/v1/organisations/${d.organisationId}/members`, {
      token: d.adminToken,
      json: { name: otherName, email: otherEmail },
    }),
    201,
  );
  otherId = other.id;
  expect(
    (
      await h.call(
        "PUT",
        `/api/v1/organisations/${d.organisationId}/groups/${d.groupId}/members/${otherId}`,
        {
          token: d.adminToken,
        },
      )
    ).status,
  ).toBe(204);
});

afterAll(async () => {
  await h?.close();
});

describe("GET on the link", () => {
  it("shows a confirmation page with a POST form, and changes nothing however often it is followed", async () => {
    const token = await tokenFor(d.memberId);
    for (let scan = 0; scan < 3; scan += 1) {
      const response = await h.call("GET", linkPath(token));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8/i);
      const html = await response.text();
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toMatch(/<html lang="en"/);
      expect(html).toMatch(/<title>[^<]+<\/title>/);
      expect(html).toMatch(
        /<form method="post"[^>]*>[\s\S]*<button type="submit">[^<]+<\/button>[\s\S]*<\/form>/,
      );
      // Nothing personal on a page anyone holding the link can see.
      for (const secret of [memberName, memberEmail, d.memberId]) expect(html).not.toContain(secret);
    }
    expect((await member(d.memberId)).unsubscribed).toEqual([]);
    expect(await unsubscribeEvents()).toEqual([]);
  });

  it("answers a link whose token is missing or broken with a 400 page saying it no longer works", async () => {
    await expectDeadLinkPage(await h.call("GET", "/api/v1/unsubscribe"), 400);
    await expectDeadLinkPage(await h.call("GET", "/api/v1/unsubscribe?token=not-a-token"), 400);
  });
});

describe("POST on the link", () => {
  it("unsubscribes with the RFC 8058 one-click body, and records it once", async () => {
    const token = await tokenFor(d.memberId);
    const response = await h.call("POST", linkPath(token), {
      body: "List-Unsubscribe=One-Click",
      headers: oneClick,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/<html lang="en"[\s\S]*unsubscribed/);
    expect((await member(d.memberId)).unsubscribed).toEqual(["email"]);
    expect((await member(otherId)).unsubscribed).toEqual([]);
    expect((await unsubscribeEvents()).map((e) => e.data)).toEqual([
      { memberId: d.memberId, channel: "email" },
    ]);
  });

  it("is harmless a second time: still unsubscribed once, no second event", async () => {
    const token = await tokenFor(d.memberId);
    const again = await h.call("POST", linkPath(token), {
      body: "List-Unsubscribe=One-Click",
      headers: oneClick,
    });
    expect(again.status).toBe(200);
    expect((await member(d.memberId)).unsubscribed).toEqual(["email"]);
    expect(await unsubscribeEvents()).toHaveLength(1);
  });

  it("works from the confirmation page's own form, for the text-message channel", async () => {
    const page = linkPath(await tokenFor(d.memberId, "sms"));
    const html = await (await h.call("GET", page)).text();
    const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
    expect(form).not.toBeNull();
    const action = new URL(form![1]!.replaceAll("&amp;", "&"), new URL(page, "http://127.0.0.1")).toString();
    const fields = [...form![2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]+)">/g)];
    const body = new URLSearchParams(fields.map((f): [string, string] => [f[1]!, f[2]!])).toString();
    expect(body).toBe("List-Unsubscribe=One-Click");
    const response = await h.call("POST", action.slice("http://127.0.0.1".length), {
      body,
      headers: oneClick,
    });
    expect(response.status).toBe(200);
    expect((await member(d.memberId)).unsubscribed).toEqual(["email", "sms"]);
  });
});

describe("a token not signed by Convene for that member", () => {
  const post = (token: string) =>
    h.call("POST", linkPath(token), { body: "List-Unsubscribe=One-Click", headers: oneClick });

  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

  const forgeries = async (): Promise<[string, string][]> => {
    const genuine = await tokenFor(d.memberId);
    const [header, payload, signature] = genuine.split(".") as [string, string, string];
    const swapped = encode({ ...decode(payload), sub: otherId });
    // A character inside the signature: the last one also holds padding bits a decoder may ignore.
    const flipped = `${signature.slice(0, 5)}${signature[5] === "A" ? "B" : "A"}${signature.slice(6)}`;
    return [
      ["another member's id with the genuine signature", `${header}.${swapped}.${signature}`],
      ["a changed signature", `${header}.${payload}.${flipped}`],
      ["no signature", `${encode({ alg: "none" })}.${swapped}.`],
      [
        "another member's id signed with another secret",
        await signUnsubscribeToken(target(otherId), new Uint8Array(32).fill(7)),
      ],
      [
        "the right secret but another audience",
        await new SignJWT({ org: d.organisationId, grp: d.groupId, ch: "email" })
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(otherId)
          .setAudience("convene:something-else")
          .sign(h.linkSigningSecret),
      ],
      [
        "the right secret but no channel",
        await new SignJWT({ org: d.organisationId, grp: d.groupId })
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(otherId)
          .setAudience("convene:unsubscribe")
          .sign(h.linkSigningSecret),
      ],
      ["a truncated token", genuine.slice(0, -10)],
    ];
  };

  it("gets a 400 page saying the link no longer works on POST and GET, and unsubscribes nobody", async () => {
    const eventsBefore = await unsubscribeEvents();
    for (const [why, token] of await forgeries()) {
      expect((await post(token)).status, why).toBe(400);
      await expectDeadLinkPage(await post(token), 400);
      await expectDeadLinkPage(await h.call("GET", linkPath(token)), 400);
    }
    expect((await member(otherId)).unsubscribed).toEqual([]);
    expect(await unsubscribeEvents()).toEqual(eventsBefore);
  });

  it("cannot reach a member of another organisation by naming it", async () => {
    const elsewhere = await buildDirectory(h, {
      organisation: "Elsewhere Trust",
      group: "Elsewhere Group",
      member: "Ella Elsewhere",
      email: "ella@example.org",
    });
    const genuine = await tokenFor(d.memberId);
    const [header, payload, signature] = genuine.split(".") as [string, string, string];
    const moved = encode({ ...decode(payload), org: elsewhere.organisationId, sub: elsewhere.memberId });
    await expectDeadLinkPage(await post(`${header}.${moved}.${signature}`), 400);
    const theirs = await expectJson<MemberView>(
      await h.call("GET", `/api/v1/organisations/${elsewhere.organisationId}/members/${elsewhere.memberId}`, {
        token: elsewhere.adminToken,
      }),
      200,
    );
    expect(theirs.unsubscribed).toEqual([]);
  });

  it("answers a genuine token for a member who no longer exists with a 404 page", async () => {
    const token = await signUnsubscribeToken(
      { ...target("member-who-was-deleted"), channel: "email" },
      h.linkSigningSecret,
    );
    await expectDeadLinkPage(await post(token), 404);
    await expectDeadLinkPage(await h.call("GET", linkPath(token)), 404);
  });
});

it("logged no name or email address along the way", () => {
  const logged = JSON.stringify(h.log.lines);
  for (const secret of [memberName, memberEmail, otherName, otherEmail]) expect(logged).not.toContain(secret);
  expect(h.log.lines.some((l) => l.message === "member unsubscribed")).toBe(true);
});
