import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../e2e/running-platform.ts";
import { screenshot } from "./chromium.ts";
import * as dashboard from "./dashboard-session.ts";

// Who is coming on the sessions tab, in Chromium against the platform as `npm start` runs it: a
// demo session asks, three members say yes by their signed links, and the group's coordinator
// sees the counts with the names of those coming; the privacy form set to counts only takes the
// names away and leaves the counts. axe checks each state.

interface OutboxEmail {
  to: string[];
  subject: string;
  text: string;
}

const title = `Check-in ${Date.now()}`;

let session: dashboard.DashboardSession;
let page: Page;
let local: dashboard.DashboardSession["local"];
/** The first test's session, which the second holds and counts. */
let asked: { admin: ReturnType<typeof client>; sessionPath: string; day: string } | undefined;

const expectAccessible = (where: string) => dashboard.expectAccessible(page, where);
const status = () => page.getByRole("status").filter({ hasText: /\S/ });
const tokenFor = async (identity: Record<string, unknown>) =>
  (await local.post<{ token: string }>("/api/local/tokens", identity)).body.token;

/** Follows a signed link from an email: its page first (which changes nothing), then Confirm. */
const follow = async (text: string, label: string) => {
  const url = new RegExp(`${label}: (\\S+)`).exec(text)?.[1];
  expect(url, label).toBeDefined();
  expect((await fetch(url!)).status).toBe(200);
  expect((await fetch(url!, { method: "POST" })).status).toBe(200);
};

beforeAll(async () => {
  session = await dashboard.openDashboard({ acceptConfirms: false });
  ({ page, local } = session);
});

afterAll(async () => {
  expect(await session?.close()).toBe(0);
});

describe("who is coming, on the sessions tab", () => {
  it("shows a session's counts and, to the coordinator, who is coming; counts only hides the names", async () => {
    const admin = client(session.platform.url).withToken(
      await tokenFor({ role: "umbrella-admin", organisationId: "demo" }),
    );
    const groups = await admin.get<{ items: { id: string; name: string }[] }>(
      "/api/v1/organisations/demo/groups",
    );
    const group = groups.body.items.find((g) => g.name === "Riverside Carers' Circle")!;
    const path = `/api/v1/organisations/demo/groups/${group.id}`;
    const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const created = await admin.post<{ id: string }>(`${path}/sessions`, {
      title,
      startLocal: `${day}T19:00`,
    });
    expect(created.status).toBe(201);
    const sessionPath = `${path}/sessions/${created.body.id}`;
    asked = { admin, sessionPath, day };
    expect((await admin.put(`${sessionPath}/rsvp-settings`, { asked: true, capacity: 12 })).status).toBe(200);
    // The session moves: each member's notice asks, with their own signed links.
    expect((await admin.post(`${sessionPath}/reschedule`, { startLocal: `${day}T18:30` })).status).toBe(200);
    expect((await local.post("/api/local/settle")).status).toBe(200);
    const notices = (await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox")).body.emails.filter(
      (e) => e.subject.includes(title) && e.text.includes("Yes, I'm coming: "),
    );
    expect(notices.length).toBeGreaterThanOrEqual(3);
    for (const notice of notices.slice(0, 3)) await follow(notice.text, "Yes, I'm coming");
    const coordinator = client(session.platform.url).withToken(
      await tokenFor({
        role: "group-coordinator",
        organisationId: "demo",
        groupIds: [group.id],
        subject: "c",
      }),
    );
    const named = await coordinator.get<{ answers?: { name: string }[] }>(`${sessionPath}/rsvps`);
    const names = (named.body.answers ?? []).map((a) => a.name);
    expect(names).toHaveLength(3);

    await page.goto("/");
    await page.getByRole("button", { name: "Coordinator of Riverside Carers' Circle" }).click();
    await dashboard.heading(page, "Riverside Carers' Circle").waitFor();
    const row = page
      .getByRole("table", { name: "Upcoming sessions, soonest first" })
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: title }) });
    const answers = row.getByLabel("Answers");
    await answers.waitFor();
    // The "Coming" cell (the facilitator's column may name one of them too).
    const coming = row.getByRole("cell").filter({ has: page.getByLabel("Answers") });
    expect(await answers.textContent()).toBe("3 yes · 0 maybe · 0 no · 0 waiting (12 places)");
    await coming.getByText("Coming:").waitFor();
    for (const name of names) expect(await coming.textContent()).toContain(name);
    await expectAccessible("the sessions tab with a session's answers and names");

    const form = page.getByRole("form", { name: "Who is coming: privacy" });
    expect(await form.getByLabel("Who sees names beside answers").inputValue()).toBe("organisers");
    expect(await form.getByLabel("Months named records are kept").inputValue()).toBe("12");
    await form.getByLabel("Who sees names beside answers").selectOption("counts");
    await form.getByLabel("Months named records are kept").fill("24");
    await form.getByRole("button", { name: "Save privacy" }).click();
    await status().filter({ hasText: "nobody sees names beside answers" }).waitFor();
    await coming.getByText("Coming:").waitFor({ state: "detached" });
    expect(await answers.textContent()).toBe("3 yes · 0 maybe · 0 no · 0 waiting (12 places)");
    for (const name of names) expect(await coming.textContent()).not.toContain(name);
    // Kept: the API says so too, and the form shows it after a reload.
    const kept = (await coordinator.get<{ names: string; retentionMonths: number }>(`${path}/rsvp-privacy`))
      .body;
    expect(kept).toMatchObject({ names: "counts", retentionMonths: 24 });
    await page.reload();
    await dashboard.heading(page, "Riverside Carers' Circle").waitFor();
    expect(await form.getByLabel("Who sees names beside answers").inputValue()).toBe("counts");
    expect(await form.getByLabel("Months named records are kept").inputValue()).toBe("24");
    await expectAccessible("the sessions tab with counts only");
  });

  it("once held, the overview shows the session's yes answers against who came, the small count hidden", async () => {
    expect(asked, "the first test's session").toBeDefined();
    const { admin, sessionPath, day } = asked!;
    // Past the session's start (and a day on), two came: a count under 3.
    expect((await local.post("/api/local/clock/advance", { days: 6 })).status).toBe(200);
    expect((await admin.put(`${sessionPath}/attendance`, { headcount: 2 })).status).toBe(200);
    expect((await local.post("/api/local/settle")).status).toBe(200);

    const overview = await admin.get<{
      groups: { name: string; expectedVsAttended: unknown }[];
      trends: { month: string; expectedVsAttended: unknown }[];
    }>("/api/v1/organisations/demo/overview");
    const figure = { sessions: 1, expected: 3, attended: { fewerThan: 3 } };
    expect(
      overview.body.groups.find((g) => g.name === "Riverside Carers' Circle")?.expectedVsAttended,
    ).toEqual(figure);
    // The group's own view keeps the exact count.
    expect(
      (await admin.get<{ attendance?: { headcount: number } }>(sessionPath)).body.attendance?.headcount,
    ).toBe(2);
    const month = day.slice(0, 7);
    expect(overview.body.trends.find((t) => t.month === month)?.expectedVsAttended).toEqual(figure);

    await page.evaluate(() => sessionStorage.clear());
    await page.goto("/");
    await page.getByRole("button", { name: "Umbrella admin of the demo organisation" }).click();
    await dashboard.heading(page, "Organisation overview").waitFor();
    const riverside = page
      .locator("table.health tbody tr")
      .filter({ has: page.getByRole("rowheader", { name: "Riverside Carers' Circle" }) });
    await riverside.getByText("3 said yes, fewer than 3 came").waitFor();
    const monthName = new Date(`${month}-01T12:00:00Z`).toLocaleString("en-GB", {
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    });
    const row = page
      .getByRole("table", { name: "Expected against attended by month" })
      .getByRole("row", { name: new RegExp(monthName) });
    expect(await row.locator("td").allTextContents()).toEqual(["1", "3", "fewer than 3"]);
    await expectAccessible("the overview with expected against attended");
    await screenshot(page, "overview-expected-attended");
  });
});
