import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rsvpLinkRoutes } from "#functions/api/routes/rsvp-links.ts";
import type { LocalRuntime } from "#infra/local/composition-root.ts";
import { rsvpAsk } from "#delivery/send-rsvp-email.ts";
import type { NameVisibility } from "#domain/rsvp-privacy.ts";
import type { Session } from "#domain/session.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { leaveGroupWithRoles } from "#use-cases/roles/role-holders.ts";
import { setRsvpPrivacy } from "#use-cases/rsvp/set-rsvp-privacy.ts";
import { anAskingSession, rsvpRuntime } from "./rsvp-runtime.ts";

// A member's own choice to show their name to the group's organisers, on their signed RSVP link
// page, against DynamoDB Local: offered only where the group leaves names to each member, saved
// only by the page's POST, never by following the link, and never through a link that does not
// verify.

const linkSigningSecret = randomBytes(32);
const domain = `names-${randomUUID().slice(0, 8)}.example.org`;
let runtime: LocalRuntime;
let organisationId: string;
let groupId: string;
let session: Session;
const members: Record<"ann" | "ben", string> = { ann: "", ben: "" };
const choice = "Let this group&#39;s facilitators and coordinators see my name when I say I&#39;m coming";

beforeAll(async () => {
  runtime = await rsvpRuntime(`names-${randomUUID()}`, linkSigningSecret);
  organisationId = (await createOrganisation(runtime.ports, { name: "Names Network" })).id;
  groupId = (
    await createGroup(runtime.ports, organisationId, {
      name: "Riverside Carers' Circle",
      timeZone: "Europe/London",
      leadershipModel: "collective",
    })
  ).id;
  for (const who of ["ann", "ben"] as const) {
    const m = await createMember(runtime.ports, organisationId, {
      name: `${who} Person`,
      email: `${who}@${domain}`,
      reminders: [],
    });
    members[who] = m.id;
    await joinGroup(runtime.ports, organisationId, groupId, m.id);
  }
  session = await anAskingSession(runtime, { organisationId, groupId }, 3, 10);
});

afterAll(() => runtime.dynamo.destroy());

const names = (names: NameVisibility) =>
  setRsvpPrivacy(runtime.ports, organisationId, groupId, { names, attendance: "headcount" });
/** The member's "yes" link from their RSVP emails, as a path and query on the link routes. */
const linkOf = async (who: "ann" | "ben") => {
  const url = new URL(
    (await rsvpAsk(runtime.ports, { organisationId, groupId, sessionId: session.id, memberId: members[who] }))
      .links.yes,
  );
  return `/rsvp-answer${url.search}`;
};
const links = () => rsvpLinkRoutes(runtime.ports);
const page = async (path: string) => {
  const response = await links().request(path);
  return { status: response.status, html: await response.text() };
};
/** The page's POST of the choice, as its form sends it (the box ticked or not). */
const choose = (path: string, shown: boolean) =>
  links().request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: shown ? "choice=name-shown&show-name=yes" : "choice=name-shown",
  });
const optedIn = () => runtime.ports.rsvps.listNameOptIns(organisationId, groupId);

describe("a member's own choice to show their name", () => {
  it("is on the link page only where the group's setting is opt-in, with its current state", async () => {
    const ann = await linkOf("ann");
    for (const setting of ["organisers", "counts"] as const) {
      await names(setting);
      const shown = await page(ann);
      expect(shown.status).toBe(200);
      expect(shown.html).toContain("Confirm");
      expect(shown.html).not.toContain(choice);
      expect(shown.html).not.toContain('name="show-name"');
    }
    await names("opt-in");
    const offered = await page(ann);
    expect(offered.status).toBe(200);
    expect(offered.html).toContain(choice);
    expect(offered.html).toContain("Now: your name is not shown to them");
    expect(offered.html).not.toContain(" checked");
  });

  it("is set and withdrawn by the page's POST, the member's own only; following the link changes nothing", async () => {
    await names("opt-in");
    const [ann, ben] = [await linkOf("ann"), await linkOf("ben")];
    expect((await choose(ben, true)).status).toBe(200);
    expect(await optedIn()).toEqual(new Set([members.ben]));
    // Ben's page shows his choice made; Ann's shows hers, not his.
    expect((await page(ben)).html).toContain("Now: your name is shown to them");
    expect((await page(ben)).html).toContain(" checked");
    expect((await page(ann)).html).toContain("Now: your name is not shown to them");
    // GETs, however many (a mail scanner), change nothing, and record no answer either.
    for (let i = 0; i < 3; i++) await page(ann);
    expect(await optedIn()).toEqual(new Set([members.ben]));
    expect(await runtime.ports.rsvps.getRsvp(organisationId, session.id, members.ann)).toBeUndefined();
    // The choice's POST records no answer; withdrawn, the name is no longer shown.
    expect(await runtime.ports.rsvps.getRsvp(organisationId, session.id, members.ben)).toBeUndefined();
    expect((await choose(ben, false)).status).toBe(200);
    expect(await optedIn()).toEqual(new Set());
    expect((await page(ben)).html).toContain("Now: your name is not shown to them");
  });

  it("is refused where the group does not leave names to each member", async () => {
    await names("organisers");
    const response = await choose(await linkOf("ann"), true);
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("doesn&#39;t ask members whether to show their names");
    expect(await optedIn()).toEqual(new Set());
  });

  it("changes nothing through a forged or expired link", async () => {
    await names("opt-in");
    const ann = await linkOf("ann");
    const token = new URLSearchParams(ann.slice(ann.indexOf("?"))).get("token")!;
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as object;
    const forged = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience("convene:rsvp")
      .sign(randomBytes(32));
    // Signed with the right secret, but past its expiry.
    const expired = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256" })
      .setAudience("convene:rsvp")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(linkSigningSecret);
    const tampered = `${token.slice(0, -2)}xx`;
    for (const bad of [forged, expired, tampered]) {
      const path = `/rsvp-answer?token=${encodeURIComponent(bad)}`;
      expect((await choose(path, true)).status).toBe(400);
      expect((await page(path)).html).not.toContain(choice);
    }
    expect(await optedIn()).toEqual(new Set());
    // The very same choice through the real link is saved: the refusals were the tokens'.
    expect((await choose(ann, true)).status).toBe(200);
    expect(await optedIn()).toEqual(new Set([members.ann]));
    await runtime.ports.rsvps.setNameOptIn(organisationId, groupId, members.ann, undefined);
  });

  it("is not offered, and not saved, once the member has left the group", async () => {
    await names("opt-in");
    const ben = await linkOf("ben");
    await leaveGroupWithRoles(runtime.ports, organisationId, groupId, members.ben);
    expect((await page(ben)).html).not.toContain(choice);
    const response = await choose(ben, true);
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("You are no longer in this group");
    expect(await optedIn()).toEqual(new Set());
  });
});
