import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// Roles and vacancies end to end on the running platform: the API changes roles,
// the calls, offers and notices arrive in the SES emulator, members answer by replying over
// real SMTP or by following the signed link, and the clock moves vacancies to their close.

interface OutboxEmail {
  to: string[];
  replyTo: string[];
  subject: string;
  text: string;
}
interface RoleView {
  roleId: string;
  holders: { memberId: string }[];
  vacantSince?: string;
  volunteers: { memberId: string }[];
}

const domain = `roles-${Date.now()}.example.org`;
const address = (who: string) => `${who}@${domain}`;
const alerts = address("umbrella-alerts");

let platform: Platform;
let api: ReturnType<typeof client>;
let coordinator: ReturnType<typeof client>;
let local: ReturnType<typeof client>;
let base: string;
let organisationId: string;
let smtp: ReturnType<typeof nodemailer.createTransport>;

const now = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
const advanceDays = async (days: number) =>
  expect((await local.post("/api/local/clock/advance", { minutes: days * 1440 + 1 })).status).toBe(200);
const settle = async () => expect((await local.post("/api/local/settle")).status).toBe(200);

const emailsTo = async (who: string) => {
  const { body } = await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox");
  return body.emails.filter((e) => e.to.join(",").includes(who.includes("@") ? who : address(who)));
};
/** What arrived for each address since the previous call for it. */
const seen = new Map<string, number>();
const next = async (who: string) => {
  const all = await emailsTo(who);
  const fresh = all.slice(seen.get(who) ?? 0);
  seen.set(who, all.length);
  return fresh;
};

let sent = 0;
const reply = async (from: string, to: OutboxEmail, typed: string, messageId?: string) => {
  const raw = await new MailComposer({
    from: address(from),
    to: to.replyTo[0],
    subject: `Re: ${to.subject}`,
    messageId: messageId ?? `<role-reply-${++sent}-${Date.now()}@${domain}>`,
    text: `${typed}\n\nOn Tue, 1 Dec 2026 at 10:00, Convene wrote:\n${to.text
      .split("\n")
      .map((l) => `> ${l}`)
      .join("\n")}\n`,
  })
    .compile()
    .build();
  await smtp.sendMail({ envelope: { from: address(from), to: [to.replyTo[0]!] }, raw });
  return raw;
};

/** The signed link labelled `label` in a plain-text email ("label: url"). */
const linkIn = (email: OutboxEmail, label: string) => {
  const line = email.text.split("\n").find((l) => l.startsWith(`${label}: `));
  expect(line, `a "${label}" link`).toBeDefined();
  return new URL(line!.slice(label.length + 2));
};

beforeAll(async () => {
  platform = await launchPlatform();
  local = client(platform.url);
  smtp = nodemailer.createTransport({
    host: "127.0.0.1",
    port: platform.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  const platformToken = (await local.post<{ token: string }>("/api/local/tokens", { role: "platform-admin" }))
    .body.token;
  const org = await local
    .withToken(platformToken)
    .post<{ id: string }>("/api/v1/organisations", { name: "Roles Network", alertEmails: [alerts] });
  expect(org.status).toBe(201);
  organisationId = org.body.id;
  const token = async (body: object) =>
    (await local.post<{ token: string }>("/api/local/tokens", body)).body.token;
  api = local.withToken(await token({ role: "umbrella-admin", organisationId }));
  base = `/api/v1/organisations/${organisationId}`;
});

afterAll(async () => {
  smtp?.close();
  expect(await platform?.stop()).toBe(0);
});

/** A group of the given model whose members are `${prefix}-${name}`, holding `roleId` by the first. */
const groupWith = async (
  prefix: string,
  model: "collective" | "designated" | "rotating",
  roleId: string,
  names = ["amy", "bob", "cy", "dee"],
) => {
  const group = await api.post<{ id: string }>(`${base}/groups`, {
    name: `${prefix} group`,
    timeZone: "Europe/London",
    leadershipModel: model,
  });
  expect(group.status).toBe(201);
  const path = `${base}/groups/${group.body.id}`;
  const ids: Record<string, string> = {};
  for (const name of names) {
    const member = await api.post<{ id: string }>(`${base}/members`, {
      name: `${name[0]!.toUpperCase()}${name.slice(1)} ${prefix}`,
      email: address(`${prefix}-${name}`),
    });
    ids[name] = member.body.id;
    expect((await api.put(`${path}/members/${member.body.id}`)).status).toBe(204);
  }
  expect((await api.post(`${path}/roles`, { roleId })).status).toBe(201);
  expect((await api.post(`${path}/roles/${roleId}/holders`, { memberId: ids[names[0]!] })).status).toBe(201);
  await settle();
  for (const name of names) await next(`${prefix}-${name}`); // the first holder's welcome
  return { path, ids, groupId: group.body.id };
};

const role = async (path: string, roleId: string) =>
  (await api.get<RoleView>(`${path}/roles/${roleId}`)).body;

describe("the demo organisation of npm start", () => {
  // First in this file: the other tests move the clock past the demo vacancy's windows.
  it("fills its vacant venue booker through volunteering as the clock moves on", async () => {
    const demo = local.withToken(
      (
        await local.post<{ token: string }>("/api/local/tokens", {
          role: "umbrella-admin",
          organisationId: "demo",
        })
      ).body.token,
    );
    const groups = (
      await demo.get<{ items: { id: string; name: string }[] }>("/api/v1/organisations/demo/groups")
    ).body.items;
    const riverside = groups.find((g) => g.name === "Riverside Carers' Circle")!;
    const path = `/api/v1/organisations/demo/groups/${riverside.id}`;
    const members = (
      await demo.get<{ items: { id: string; name: string; email: string }[] }>(`${path}/members`)
    ).body.items;
    const ben = members.find((m) => m.name === "Ben Okafor")!;
    const read = async () => (await demo.get<RoleView>(`${path}/roles/venue-and-bookings`)).body;
    await settle();
    expect((await read()).holders).toEqual([]);
    expect((await read()).volunteers.map((v) => v.memberId)).toEqual([ben.id]);

    await advanceDays(7);
    await settle();
    expect((await read()).holders).toEqual([]); // the others may object for 3 days
    await advanceDays(3);
    await settle();
    expect((await read()).holders.map((h) => h.memberId)).toEqual([ben.id]);
    expect((await emailsTo(ben.email)).map((m) => m.subject)).toContain(
      "Welcome to your role: Venue and bookings in Riverside Carers' Circle",
    );
  });
});

describe("a member leaves: the collective group elects among its volunteers", () => {
  it("vacates the role with the leaving, calls for volunteers, counts replies once, and elects", async () => {
    const { path, ids } = await groupWith("riv", "collective", "venue-and-bookings");
    expect((await api.delete(`${path}/members/${ids.amy}`)).status).toBe(204);
    await settle();

    // The role is vacant the moment Amy leaves; everyone still in the group is asked.
    expect((await role(path, "venue-and-bookings")).holders).toEqual([]);
    expect(await next("riv-amy")).toEqual([]);
    const calls: Record<string, OutboxEmail> = {};
    for (const who of ["bob", "cy", "dee"]) {
      const mail = await next(`riv-${who}`);
      expect(mail).toHaveLength(1);
      expect(mail[0]!.subject).toBe("riv group needs a volunteer: Venue and bookings");
      expect(mail[0]!.replyTo[0]).toMatch(/^role\+[a-z2-7]{26}@reply\.convene\.localhost$/);
      calls[who] = mail[0]!;
    }

    // Bob's reply arrives twice (same Message-ID): one volunteer, one thank-you. Cy volunteers too.
    const raw = await reply("riv-bob", calls.bob!, "I volunteer", `<bob-volunteers@${domain}>`);
    await smtp.sendMail({ envelope: { from: address("riv-bob"), to: [calls.bob!.replyTo[0]!] }, raw });
    await reply("riv-cy", calls.cy!, "I can do it");
    // Dee's "I can't do it" is not volunteering: she is told her reply changed nothing.
    await reply("riv-dee", calls.dee!, "Sorry, I can't do it this time");
    await settle();
    expect((await next("riv-bob")).map((m) => m.subject)).toEqual([
      "Thank you for volunteering: Venue and bookings",
    ]);
    expect(await next("riv-cy")).toHaveLength(1);
    expect((await next("riv-dee"))[0]!.subject).toMatch(/changed nothing/);
    expect((await role(path, "venue-and-bookings")).volunteers.map((v) => v.memberId)).toEqual([
      ids.bob,
      ids.cy,
    ]);

    // Volunteering closes after 7 days: two volunteers → an election among them.
    await advanceDays(7);
    await settle();
    const ballots: Record<string, OutboxEmail> = {};
    for (const who of ["bob", "cy", "dee"]) {
      const mail = await next(`riv-${who}`);
      expect(mail.map((m) => m.subject)).toEqual(["Your vote: Who should become Venue and bookings?"]);
      ballots[who] = mail[0]!;
    }
    await reply("riv-bob", ballots.bob!, "1");
    await reply("riv-cy", ballots.cy!, "1");
    await reply("riv-dee", ballots.dee!, "2");
    await settle();

    // Everyone voted: the vote closes, Bob is elected and welcomed.
    const after = await role(path, "venue-and-bookings");
    expect(after.holders.map((h) => h.memberId)).toEqual([ids.bob]);
    expect(after.vacantSince).toBeUndefined();
    const toBob = (await next("riv-bob")).map((m) => m.subject);
    expect(toBob).toContain("Welcome to your role: Venue and bookings in riv group");
  });
});

describe("a holder steps down in a designated group: the leader appoints by reply", () => {
  it("asks the leader to appoint among the volunteers and fills the role with their choice", async () => {
    const { path, ids } = await groupWith("hbr", "designated", "refreshments");
    expect((await api.put(`${path}/leadership`, { leaderMemberId: ids.dee })).status).toBe(200);
    expect((await api.delete(`${path}/roles/refreshments/holders/${ids.amy}`)).status).toBe(204);
    await settle();
    const call = (await next("hbr-cy")).find((m) => m.subject.includes("needs a volunteer"))!;
    await reply("hbr-cy", call, "Count me in!");
    await settle();
    await advanceDays(7);
    await settle();

    const request = (await next("hbr-dee")).find((m) => m.subject.startsWith("Please appoint"));
    expect(request?.text).toContain("1. Cy hbr");
    await reply("hbr-dee", request!, "1");
    await settle();
    expect((await role(path, "refreshments")).holders.map((h) => h.memberId)).toEqual([ids.cy]);
    expect((await next("hbr-cy")).map((m) => m.subject)).toContain(
      "Welcome to your role: Refreshments in hbr group",
    );
  });
});

describe("one volunteer in a collective group, by link: confirmed unless someone objects", () => {
  it("follows the link to a confirmation page, invites objections, and confirms after the window", async () => {
    const { path, ids } = await groupWith("cdr", "collective", "reminders");
    expect((await api.delete(`${path}/roles/reminders/holders/${ids.amy}`)).status).toBe(204);
    await settle();
    const call = (await next("cdr-bob")).find((m) => m.subject.includes("needs a volunteer"))!;
    const link = linkIn(call, "I volunteer");
    const page = await fetch(`${platform.url}${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Volunteer for Reminders?");
    expect((await role(path, "reminders")).volunteers).toEqual([]); // following the link changes nothing
    const confirmed = await fetch(`${platform.url}${link.pathname}${link.search}`, { method: "POST" });
    expect(confirmed.status).toBe(200);
    await settle();
    expect((await role(path, "reminders")).volunteers.map((v) => v.memberId)).toEqual([ids.bob]);

    await advanceDays(7);
    await settle();
    const notice = await next("cdr-cy");
    expect(notice.map((m) => m.subject)).toContain("Bob cdr volunteered: Reminders in cdr group");
    expect((await role(path, "reminders")).holders).toEqual([]);

    await advanceDays(3);
    await settle();
    expect((await role(path, "reminders")).holders.map((h) => h.memberId)).toEqual([ids.bob]);
  });
});

describe("nobody volunteers for a critical role", () => {
  it("alerts the umbrella admins once when volunteering closes empty", async () => {
    await next(alerts);
    const { path, ids } = await groupWith("dck", "collective", "venue-and-bookings");
    expect((await api.delete(`${path}/roles/venue-and-bookings/holders/${ids.amy}`)).status).toBe(204);
    await settle();
    await advanceDays(7);
    await settle();
    const alerted = (await next(alerts)).filter((m) => m.text.includes("dck group"));
    expect(alerted).toHaveLength(1);
    await advanceDays(8); // past the 14-day escalation schedule: still one alert for this vacancy
    await settle();
    expect((await next(alerts)).filter((m) => m.text.includes("dck group"))).toHaveLength(0);
  });
});

describe("a rotating group offers the role to the next member first", () => {
  it("passes a declined or unanswered offer on and fills the role when one is accepted by link", async () => {
    const { path, ids } = await groupWith("elm", "rotating", "refreshments");
    expect(
      (await api.put(`${path}/leadership`, { rotationOrder: [ids.amy, ids.bob, ids.cy, ids.dee] })).status,
    ).toBe(200);
    expect((await api.delete(`${path}/roles/refreshments/holders/${ids.amy}`)).status).toBe(204);
    await settle();
    const offer = await next("elm-bob");
    expect(offer.map((m) => m.subject)).toEqual(["Your turn: Refreshments in elm group"]);
    expect(await next("elm-cy")).toEqual([]); // only the next in the rotation is asked
    await reply("elm-bob", offer[0]!, "No");
    await settle();
    expect((await next("elm-cy")).map((m) => m.subject)).toEqual(["Your turn: Refreshments in elm group"]);
    // Cy never answers: after 3 days the offer lapses and passes to Dee.
    expect(await next("elm-dee")).toEqual([]);
    await advanceDays(3);
    await settle();
    const toDee = await next("elm-dee");
    expect(toDee.map((m) => m.subject)).toEqual(["Your turn: Refreshments in elm group"]);
    const accept = linkIn(toDee[0]!, "Yes, I'll take it on");
    expect(
      (await fetch(`${platform.url}${accept.pathname}${accept.search}`, { method: "POST" })).status,
    ).toBe(200);
    await settle();
    expect((await role(path, "refreshments")).holders.map((h) => h.memberId)).toEqual([ids.dee]);
  });
});

describe("bad input about roles", () => {
  it("answers each with a specific error and changes nothing", async () => {
    const { path, ids } = await groupWith("bad", "collective", "refreshments");
    const outsider = await api.post<{ id: string }>(`${base}/members`, {
      name: "Out Sider",
      email: address("out"),
    });
    expect((await api.post(`${path}/roles`, { roleId: "facilitator" })).status).toBe(201);

    const notMember = await api.post<{ errors: { field: string }[] }>(`${path}/roles/facilitator/holders`, {
      memberId: outsider.body.id,
    });
    expect(notMember.status).toBe(400);
    expect(JSON.stringify(notMember.body)).toContain("only a member of the group can hold its roles");

    const untrained = await api.post(`${path}/roles/facilitator/holders`, { memberId: ids.bob });
    expect(untrained.status).toBe(400);
    expect(JSON.stringify(untrained.body)).toContain("facilitation-basics, safeguarding");

    const past = await api.post(`${path}/roles/facilitator/holders`, {
      memberId: ids.bob,
      termEndsAt: new Date((await now()).getTime() - 86_400_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body)).toContain("the term must end in the future");

    expect((await api.post(`${path}/roles/treasurer/holders`, { memberId: ids.bob })).status).toBe(404);
    expect((await api.post(`${path}/roles/refreshments/volunteers`, { memberId: ids.bob })).status).toBe(409);
    expect((await api.delete(`${path}/roles/refreshments/holders/${ids.amy}`)).status).toBe(204);
    const stranger = await api.post(`${path}/roles/refreshments/volunteers`, { memberId: outsider.body.id });
    expect(stranger.status).toBe(400);
    expect(JSON.stringify(stranger.body)).toContain("only a member of the group can volunteer");
    expect((await role(path, "refreshments")).volunteers).toEqual([]);

    // A coordinator may not override missing training; an umbrella admin may, with a reason.
    const groupId = path.split("/").at(-1)!;
    coordinator = local.withToken(
      (
        await local.post<{ token: string }>("/api/local/tokens", {
          role: "group-coordinator",
          organisationId,
          groupIds: [groupId],
        })
      ).body.token,
    );
    const override = { memberId: ids.bob, override: { reason: "Trained elsewhere; certificate seen" } };
    expect((await coordinator.post(`${path}/roles/facilitator/holders`, override)).status).toBe(403);
    expect((await role(path, "facilitator")).holders).toEqual([]);
    expect((await api.post(`${path}/roles/facilitator/holders`, override)).status).toBe(201);

    // Training recorded through the API makes a member eligible without an override.
    for (const trainingId of ["facilitation-basics", "safeguarding"])
      expect(
        (
          await api.post(`${path}/members/${ids.cy}/training`, {
            trainingId,
            completedAt: new Date((await now()).getTime() - 86_400_000).toISOString(),
          })
        ).status,
      ).toBe(201);
    expect((await api.post(`${path}/roles`, { roleId: "co-facilitator" })).status).toBe(201);
    expect((await api.post(`${path}/roles/co-facilitator/holders`, { memberId: ids.cy })).status).toBe(201);
  });
});
