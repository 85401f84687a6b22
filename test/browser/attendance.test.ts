import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../e2e/running-platform.ts";
import * as dashboard from "./dashboard-session.ts";

// Named attendance on the sessions tab, in Chromium against the platform as `npm start` runs
// it: a session asks, two members say yes by replying to their notices, the coordinator switches the
// group to named attendance, and once the session has been held the attendance form shows the
// group's members as checkboxes, the two who said yes ticked; a third ticked, the session counts
// three and the API keeps their names. Back on headcounts, the form is the number again.

interface OutboxEmail {
  to: string[];
  replyTo: string[];
  subject: string;
  text: string;
}

const title = `Named check-in ${Date.now()}`;

let session: dashboard.DashboardSession;
let page: Page;
let local: dashboard.DashboardSession["local"];

const tokenFor = async (identity: Record<string, unknown>) =>
  (await local.post<{ token: string }>("/api/local/tokens", identity)).body.token;

/** A member's reply to their notice's Reply-To, as a mail client sends it. */
const reply = async (to: string, from: string, typed: string) => {
  const smtp = nodemailer.createTransport({
    host: "127.0.0.1",
    port: session.platform.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await smtp.sendMail({
      from,
      to,
      subject: `Re: ${title}`,
      text: `${typed}\n`,
      messageId: `<${randomUUID()}@example.org>`,
    });
  } finally {
    smtp.close();
  }
};

beforeAll(async () => {
  session = await dashboard.openDashboard({ acceptConfirms: false });
  ({ page, local } = session);
});

afterAll(async () => {
  expect(await session?.close()).toBe(0);
});

describe("named attendance, on the sessions tab", () => {
  it("ticks who said yes, records who came by name, and counts them", async () => {
    const admin = client(session.platform.url).withToken(
      await tokenFor({ role: "umbrella-admin", organisationId: "demo" }),
    );
    const groups = await admin.get<{ items: { id: string; name: string }[] }>(
      "/api/v1/organisations/demo/groups",
    );
    const group = groups.body.items.find((g) => g.name === "Riverside Carers' Circle")!;
    const path = `/api/v1/organisations/demo/groups/${group.id}`;
    const members = (
      await admin.get<{ items: { id: string; name: string; email: string }[] }>(`${path}/members`)
    ).body.items;
    expect(members.length).toBeGreaterThanOrEqual(3);
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const created = await admin.post<{ id: string }>(`${path}/sessions`, {
      title,
      startLocal: `${day}T19:00`,
    });
    expect(created.status).toBe(201);
    const sessionPath = `${path}/sessions/${created.body.id}`;
    expect((await admin.put(`${sessionPath}/rsvp-settings`, { asked: true })).status).toBe(200);
    // The session moves: each member's notice asks, with their own signed links.
    expect((await admin.post(`${sessionPath}/reschedule`, { startLocal: `${day}T18:30` })).status).toBe(200);
    expect((await local.post("/api/local/settle")).status).toBe(200);
    const notices = (await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox")).body.emails.filter(
      (e) => e.subject.includes(title) && e.text.includes("Yes, I'm coming: "),
    );
    const yes = notices.slice(0, 2);
    expect(yes).toHaveLength(2);
    const saidYes = members.filter((m) => yes.some((n) => n.to.some((to) => to.includes(m.email))));
    expect(saidYes).toHaveLength(2);
    for (const notice of yes) {
      const member = saidYes.find((m) => notice.to.some((to) => to.includes(m.email)))!;
      await reply(notice.replyTo[0]!, member.email, "Yes");
    }
    expect((await local.post("/api/local/settle")).status).toBe(200);
    const counts = await admin.get<{ counts: { yes: number } }>(`${sessionPath}/rsvps`);
    expect(counts.body.counts.yes).toBe(2);
    const third = members.find((m) => !saidYes.includes(m))!;

    await page.goto("/");
    await page.getByRole("button", { name: "Coordinator of Riverside Carers' Circle" }).click();
    await dashboard.heading(page, "Riverside Carers' Circle").waitFor();
    const privacy = page.getByRole("form", { name: "Who is coming: privacy" });
    await privacy.getByLabel("How attendance is recorded").selectOption("named");
    await privacy.getByRole("button", { name: "Save privacy" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();

    // Past the session's start: it waits among the recent sessions.
    expect((await local.post("/api/local/clock/advance", { days: 2 })).status).toBe(200);
    await page.reload();
    await dashboard.heading(page, "Riverside Carers' Circle").waitFor();
    const row = page
      .getByRole("table", { name: "Recent sessions, latest first" })
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: title }) });
    await row.getByRole("button", { name: /^Record attendance/ }).click();
    const form = row.getByRole("form", { name: /^Attendance of / });
    const whoCame = form.getByRole("group", { name: "Who came" });
    await whoCame.waitFor();
    expect(await form.getByLabel("People who came").count()).toBe(0);
    for (const m of members)
      expect(await whoCame.getByRole("checkbox", { name: m.name }).isChecked(), m.name).toBe(
        saidYes.includes(m),
      );
    await dashboard.expectAccessible(page, "the attendance form of a group that records who came");

    await whoCame.getByRole("checkbox", { name: third.name }).check();
    await form.getByRole("button", { name: "Save attendance" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Recorded 3 people at “${title}”` })
      .waitFor();
    await row.locator("td").nth(1).filter({ hasText: /^3$/ }).waitFor();

    const coordinator = client(session.platform.url).withToken(
      await tokenFor({
        role: "group-coordinator",
        organisationId: "demo",
        groupIds: [group.id],
        subject: "c",
      }),
    );
    const names = await coordinator.get<{ memberIds: string[] }>(`${sessionPath}/attendance/names`);
    expect(names.body.memberIds.sort()).toEqual([...saidYes, third].map((m) => m.id).sort());
    expect(
      (await coordinator.get<{ attendance?: { headcount: number } }>(sessionPath)).body.attendance,
    ).toMatchObject({ headcount: 3 });

    // Opened again, the form shows who was recorded.
    await row.getByRole("button", { name: /^Correct attendance/ }).click();
    await whoCame.waitFor();
    for (const m of members)
      expect(await whoCame.getByRole("checkbox", { name: m.name }).isChecked(), m.name).toBe(
        m === third || saidYes.includes(m),
      );

    // A group back on headcounts records a number, starting from the count kept.
    expect(
      (await coordinator.put(`${path}/rsvp-privacy`, { names: "organisers", attendance: "headcount" }))
        .status,
    ).toBe(200);
    await page.reload();
    await dashboard.heading(page, "Riverside Carers' Circle").waitFor();
    await row.getByRole("button", { name: /^Correct attendance/ }).click();
    expect(await form.getByLabel("People who came").inputValue()).toBe("3");
    expect(await form.getByRole("group", { name: "Who came" }).count()).toBe(0);
  });
});
