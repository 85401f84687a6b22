import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wallTimeInstant } from "#domain/local-time.ts";
import { client } from "../e2e/running-platform.ts";
import { screenshot } from "./chromium.ts";
import * as dashboard from "./dashboard-session.ts";

// The dashboard in a real browser (Debian's Chromium, driven by playwright-core) against the
// platform as `npm start` runs it, demo organisation included: sign in, the overview, a
// group's sessions, members and votes, the roles and activity tabs, and a coordinator's view.
// axe-core checks every page; screenshots go to test-artifacts/.

interface OutboxEmail {
  to: string[];
  subject: string;
}
interface OutboxSms {
  DestinationPhoneNumber: string;
  MessageBody: string;
}

const markupName = "<img src=x onerror=alert(1)>";
const stamp = Date.now();
const sessionTitle = `Browser check-in ${stamp}`;
const voteQuestion = `Move to the larger room? ${stamp}`;

let session: dashboard.DashboardSession;
let page: Page;
let local: dashboard.DashboardSession["local"];

/** The platform's clock (it moves when a test advances it), as an instant. */
const platformNow = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
/** An instant as a datetime-local value in a zone, e.g. "2026-12-01T19:00". */
const localValue = (instant: Date, timeZone: string) =>
  instant.toLocaleString("sv-SE", { timeZone }).slice(0, 16).replace(" ", "T");
const outbox = async () =>
  (await local.get<{ emails: OutboxEmail[]; sms: OutboxSms[] }>("/api/local/outbox")).body;
const address = (to: string[]) => to.join(",").replace(/.*<|>.*/g, "");

const heading = (name: string | RegExp) => dashboard.heading(page, name);
const expectAccessible = (where: string) => dashboard.expectAccessible(page, where);
/** Riverside's demo members who take email reminders (Chloe takes SMS only). */
const emailMembers = ["amira.1@example.org", "ben.2@example.org", "dev.4@example.org"];
/** Who has been emailed with a subject starting so, once everything pending is processed. */
const toldOf = async (subject: string) => {
  await local.post("/api/local/settle");
  return (await outbox()).emails
    .filter((e) => e.subject.startsWith(subject))
    .map((e) => address(e.to))
    .sort();
};
/** Presses Tab until the named control has the focus, as someone using a keyboard would. */
const tabTo = async (name: string) => {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === name) return;
  }
  throw new Error(`Tab never reached “${name}”`);
};
const groupTab = (name: string) => dashboard.groupTab(page, name);
/** The API as the demo organisation's umbrella admin. */
const asAdmin = async () =>
  client(session.platform.url).withToken(
    (
      await local.post<{ token: string }>("/api/local/tokens", {
        role: "umbrella-admin",
        organisationId: "demo",
      })
    ).body.token,
  );
const groupIdFromUrl = () => dashboard.groupIdFromUrl(page);

beforeAll(async () => {
  // Removing a member asks for confirmation; anything else (an alert) is declined and recorded.
  session = await dashboard.openDashboard({ acceptConfirms: true });
  ({ page, local } = session);
});

afterAll(async () => {
  expect(await session?.close()).toBe(0);
});

describe("the dashboard in Chromium", () => {
  it("lists the demo identities and signs the umbrella admin in to the overview", async () => {
    await page.goto("/");
    await heading("Sign in to Convene").waitFor();
    const admin = page.getByRole("button", { name: "Umbrella admin of the demo organisation" });
    await admin.waitFor();
    const choices = await page.locator(".choices button").allTextContents();
    expect(choices).toContain("Umbrella admin of the demo organisation");
    expect(choices).toContain("Coordinator of Riverside Carers' Circle");
    await expectAccessible("the sign-in page");

    await admin.click();
    await heading("Organisation overview").waitFor();
    expect(new URL(page.url()).pathname).toBe("/organisations/demo");
    const stored = await page.evaluate(() => sessionStorage.getItem("convene.signed-in"));
    expect(JSON.parse(stored!)).toMatchObject({ role: "umbrella-admin", organisationId: "demo" });
    // Whatever the overview endpoint answers, the page settles (no "Loading" left) and is accessible.
    await page.getByText("Loading the overview…").waitFor({ state: "detached" });
    await expectAccessible("the overview page");
    await screenshot(page, "overview");
  });

  it("shows every group's health on the overview, needing help first, with filters and charts", async () => {
    // Brooklyn's treasurer's welcome bounced (SES's mailbox simulator) while the demo settled.
    await local.post("/api/local/settle");
    await page.goto("/organisations/demo");
    const rows = page.locator("table.health tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    expect(await page.locator("table.health tbody th").allTextContents()).toEqual(
      expect.arrayContaining([
        "Riverside Carers' Circle",
        "Harbour Lights Recovery",
        "Brooklyn Mental Health Peer Group",
      ]),
    );
    expect(await page.locator("figure.chart").count()).toBe(4);
    // The demo's Riverside group has just lost its venue booker: the overview says so.
    await page.getByText("Venue and bookings", { exact: false }).first().waitFor();
    // Eli, Brooklyn's treasurer, can be reached neither by email (it bounced) nor by phone (none).
    const brooklyn = rows.filter({ hasText: "Brooklyn Mental Health Peer Group" });
    const membersCell = brooklyn.locator("td").nth(1);
    expect(await membersCell.locator(".warn").textContent()).toBe("1 unreachable");
    expect(await membersCell.textContent()).toMatch(/^5/);
    await page.getByLabel("Search groups").fill("harbour");
    await page.getByText("Showing 1 of 3 groups.").waitFor();
    await expectAccessible("the overview with figures");
    await screenshot(page, "overview-with-figures");
  });

  it("gives every view a title of its own that names it (WCAG 2.4.2)", async () => {
    const titles: string[] = [];
    const titled = async (title: string) => {
      await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(title);
      titles.push(title);
    };
    await page.goto("/organisations/demo");
    await titled("Overview — Northfield Peer Support Network — Convene");
    // Moving within the app (no page load) retitles it too: another group, another tab.
    await page
      .getByRole("navigation", { name: "Organisation" })
      .getByRole("link", { name: "Riverside Carers' Circle" })
      .click();
    await titled("Sessions — Riverside Carers' Circle — Convene");
    for (const tab of ["Members", "Votes", "Roles and vacancies", "Activity"]) {
      await groupTab(tab).click();
      await titled(`${tab} — Riverside Carers' Circle — Convene`);
    }
    await page
      .getByRole("navigation", { name: "Organisation" })
      .getByRole("link", { name: "Brooklyn Mental Health Peer Group" })
      .click();
    await titled("Sessions — Brooklyn Mental Health Peer Group — Convene");
    await page.goto("/organisations/demo/no-such-page");
    await titled("No such page — Convene");
    await page.goto("/sign-in");
    await titled("Sign in — Convene");
    expect(new Set(titles).size).toBe(titles.length);
    await page.goto("/organisations/demo");
    await heading("Organisation overview").waitFor();
  });

  it("adds a member named like markup, shows the name as text, exports, edits and removes them", async () => {
    await page
      .getByRole("navigation", { name: "Organisation" })
      .getByRole("link", { name: "Riverside Carers' Circle" })
      .click();
    await heading("Riverside Carers' Circle").waitFor();
    await groupTab("Members").click();
    await page.getByRole("rowheader", { name: "Amira Hassan" }).waitFor();
    await expectAccessible("the members tab");

    await page.getByRole("button", { name: "Add a member" }).click();
    const form = page.getByRole("form", { name: "Add a member" });
    await form.getByLabel("Name").fill(markupName);
    await form.getByLabel("Email").fill(`markup.${stamp}@example.org`);
    await form.getByLabel("Mobile phone").fill("07700 900123");
    await expectAccessible("the add-member form");
    await form.getByRole("button", { name: "Add the member" }).click();
    // The API's field error is shown next to the field it concerns, and tied to it.
    const phone = form.getByLabel("Mobile phone");
    await form.getByText("must be a phone number in E.164 form").waitFor();
    expect(await phone.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await phone.getAttribute("aria-describedby"))!.split(" ");
    const descriptions = await Promise.all(
      describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(descriptions.join(" ")).toContain("must be a phone number in E.164 form");
    await expectAccessible("the add-member form with a field error");

    await phone.fill("+447700900123");
    await form.getByRole("button", { name: "Add the member" }).click();
    const row = page
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: markupName, exact: true }) });
    await row.waitFor();
    expect(await row.getByRole("rowheader").textContent()).toBe(markupName);
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download the members as CSV" }).click(),
    ]);
    const csv = readFileSync(await download.path(), "utf8");
    expect(csv.split("\r\n")[0]).toBe(
      '\uFEFF"Name","Email","Phone","Reminders","Quiet hours","Unsubscribed from"',
    );
    expect(csv).toContain(
      `"${markupName}","markup.${stamp}@example.org","'+447700900123","email 2 days before"`,
    );

    await row.getByRole("button", { name: /^Edit/ }).click();
    const edit = page.getByRole("form", { name: `Edit ${markupName}` });
    await edit.getByRole("button", { name: "Add a reminder" }).click();
    await edit.getByLabel("Reminder 2: channel").selectOption("sms");
    await edit.getByLabel("Reminder 2: how long before").selectOption({ label: "2 hours" });
    await expectAccessible("the edit-member form");
    await edit.getByRole("button", { name: "Save the changes" }).click();
    await row.getByText("Email 2 days before, SMS 2 hours before").waitFor();

    await row.getByRole("button", { name: /^Remove/ }).click();
    await row.waitFor({ state: "detached" });
    expect(session.dialogs).toEqual([
      `confirm: Remove ${markupName} from Riverside Carers' Circle? They stay in the organisation.`,
    ]);
  });

  it("opens a vote and follows its turnout", async () => {
    await groupTab("Votes").click();
    await page.getByRole("heading", { name: "Open a vote" }).waitFor();
    await page
      .getByText(/The group has held no votes yet|Turnout:/)
      .first()
      .waitFor();
    await expectAccessible("the votes tab");

    const form = page.getByRole("form", { name: "Open a vote" });
    await form.getByLabel("Question").fill(voteQuestion);
    // It closes within the day the session test moves the clock on, however late in the day this runs.
    const closes = new Date((await platformNow()).getTime() + 26 * 3600_000);
    await form.getByLabel("Closes").fill(localValue(closes, "Europe/London"));
    await form
      .getByLabel("Remind members who have not voted")
      .selectOption({ label: "2 hours before the close" });
    await form.getByRole("button", { name: "Open the vote" }).click();
    const card = page.getByRole("article", { name: voteQuestion });
    await card.waitFor();
    expect(await card.textContent()).toContain("Turnout: 0 of 4 members have voted (0%).");
  });

  it("schedules a session in the group's time zone and its reminders reach the outbox", async () => {
    const groupId = groupIdFromUrl();
    await groupTab("Sessions").click();
    await page
      .getByRole("table", { name: "Upcoming sessions, soonest first" })
      .getByRole("rowheader", { name: "Weekly meeting" })
      .waitFor();
    await expectAccessible("the sessions tab");
    await screenshot(page, "group-sessions");

    const form = page.getByRole("form", { name: "Schedule a session" });
    await form.getByLabel("Title").fill(sessionTitle);
    await form.getByLabel("Starts").fill("2020-01-07T19:00");
    await form.getByRole("button", { name: "Schedule the session" }).click();
    await form.getByText("the session must start in the future").waitFor();
    expect(await form.getByLabel("Starts").getAttribute("aria-invalid")).toBe("true");

    const now = await platformNow();
    const day = localValue(new Date(now.getTime() + 3 * 24 * 3600_000), "Europe/London").slice(0, 10);
    await form.getByLabel("Starts").fill(`${day}T19:00`);
    await form.getByLabel("Venue", { exact: true }).fill("Community Centre, Room 3");
    await form.getByLabel("Facilitator").selectOption({ label: "Amira Hassan" });
    await form.getByRole("button", { name: "Schedule the session" }).click();
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: sessionTitle }) });
    await row.waitFor();
    expect(await row.textContent()).toContain("19:00");
    expect(await row.textContent()).toContain("Amira Hassan");

    // Move the platform's clock to a minute past one day before the start: the two-day and
    // one-day email reminders of the group's members fall due (the SMS ones, hours before, not yet).
    const sessions = await (
      await asAdmin()
    ).get<{ items: { title: string; startsAt: string }[] }>(
      `/api/v1/organisations/demo/groups/${groupId}/sessions`,
    );
    const startsAt = new Date(sessions.body.items.find((s) => s.title === sessionTitle)!.startsAt);
    // Settle first: an advance moves the clock before it processes what is pending, so a
    // SessionScheduled still in the stream would be planned after the move, its early reminders past.
    await local.post("/api/local/settle");
    const minutes = (startsAt.getTime() - 24 * 3600_000 - (await platformNow()).getTime()) / 60_000 + 1;
    expect((await local.post("/api/local/clock/advance", { minutes })).status).toBe(200);

    expect(await toldOf(`Reminder: ${sessionTitle}`)).toEqual(emailMembers);
    expect((await outbox()).sms.filter((s) => s.MessageBody.includes(sessionTitle))).toEqual([]);
  });

  it("reschedules and cancels the session, and members are told", async () => {
    await page.reload();
    const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: sessionTitle }) });
    await row.waitFor();
    await row.getByRole("button", { name: /^Reschedule/ }).click();
    const moved = row.getByRole("form", { name: /^Reschedule/ });
    const start = await moved.getByLabel("New start").inputValue();
    await moved.getByLabel("New start").fill(`${start.slice(0, 10)}T20:30`);
    await expectAccessible("the reschedule form");
    await moved.getByRole("button", { name: "Move the session" }).click();
    await row.locator("td").first().filter({ hasText: "20:30" }).waitFor();
    // Members hear of the move before the cancellation makes that version stale.
    expect(await toldOf(`Changed: ${sessionTitle}`)).toEqual(expect.arrayContaining(emailMembers));

    await row.getByRole("button", { name: /^Cancel/ }).click();
    await row.getByLabel("Reason (members see it)").fill("The venue is closed");
    await row.getByRole("button", { name: "Cancel the session" }).click();
    // A cancelled session leaves the upcoming list; the page says what happened.
    await row.waitFor({ state: "detached" });
    await page
      .getByRole("status")
      .filter({ hasText: `Cancelled “${sessionTitle}”` })
      .waitFor();
    expect(await toldOf(`Cancelled: ${sessionTitle}`)).toEqual(expect.arrayContaining(emailMembers));
  });

  it("shows the vote's result once its close has passed", async () => {
    // The session test moved the clock on by more than 26 hours: the vote has closed, nobody voted.
    await groupTab("Votes").click();
    const card = page.getByRole("article", { name: voteQuestion });
    await card.getByText("Result: No quorum").waitFor();
    expect(await card.textContent()).toContain("quorum not met");
    await expectAccessible("the votes tab with a result");
  });

  it("records how many came to last week's session, and the overview's attendance chart counts it", async () => {
    const groupId = groupIdFromUrl();
    await groupTab("Sessions").click();
    const recent = page.getByRole("table", { name: "Recent sessions, latest first" });
    // The demo's six past sessions: all but last week's have a headcount.
    const rows = recent.locator("tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(6);
    const lastWeek = rows.first();
    expect(await lastWeek.locator("td").nth(1).textContent()).toBe("Not recorded");
    expect(await rows.nth(1).locator("td").nth(1).textContent()).toMatch(/^\d+$/);

    await lastWeek.getByRole("button", { name: /^Record attendance/ }).click();
    const form = lastWeek.getByRole("form", { name: /^Attendance of Weekly meeting/ });
    const count = form.getByLabel("People who came");
    // The browser holds back a count out of range before the API is asked.
    await count.fill("1001");
    await form.getByRole("button", { name: "Save attendance" }).click();
    expect(await count.evaluate((input: HTMLInputElement) => input.validity.rangeOverflow)).toBe(true);
    await expectAccessible("the sessions tab with the attendance form open");

    await count.fill("7");
    await form.getByRole("button", { name: "Save attendance" }).click();
    await page.getByRole("status").filter({ hasText: "Recorded 7 people at “Weekly meeting”" }).waitFor();
    await lastWeek.locator("td").nth(1).filter({ hasText: /^7$/ }).waitFor();
    await lastWeek.getByRole("button", { name: /^Correct attendance/ }).waitFor();
    await screenshot(page, "group-attendance");

    // The overview's trend for that session's month, as the API and then the chart give it.
    const admin = await asAdmin();
    const past = await admin.get<{ items: { startLocal: string; attendance?: { headcount: number } }[] }>(
      `/api/v1/organisations/demo/groups/${groupId}/sessions?when=past`,
    );
    expect(past.body.items[0]!.attendance?.headcount).toBe(7);
    const month = past.body.items[0]!.startLocal.slice(0, 7);
    await local.post("/api/local/settle");
    const overview = await admin.get<{ trends: { month: string; attendance: number | null }[] }>(
      "/api/v1/organisations/demo/overview",
    );
    const mean = overview.body.trends.find((t) => t.month === month)!.attendance;
    expect(mean).toBeGreaterThan(0);
    await page.goto("/organisations/demo");
    const chart = page.locator("figure.chart").filter({ hasText: "Attendance per session" });
    await chart.getByText("Every month's figure").click();
    const monthName = new Date(`${month}-01T12:00:00Z`).toLocaleString("en-GB", {
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    });
    const cell = chart.getByRole("row", { name: new RegExp(monthName) }).locator("td");
    expect(await cell.textContent()).toBe(String(Math.round(mean! * 10) / 10));
    await page.goBack();
  });

  it("shows the group's roles and vacancies from the roles endpoint", async () => {
    // The group takes up a catalogue role nobody holds yet (the roles API), then the tab shows it.
    const taken = await (
      await asAdmin()
    ).post(`/api/v1/organisations/demo/groups/${groupIdFromUrl()}/roles`, {
      roleId: "co-facilitator",
    });
    expect(taken.status).toBe(201);
    await groupTab("Roles and vacancies").click();
    const row = page
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: "Co-facilitator" }) });
    await row.waitFor();
    const [heldBy, vacantSince] = await row.locator("td").allTextContents();
    expect(heldBy).toBe("Nobody");
    expect(vacantSince).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4}, \d\d:\d\d London time$/);
    await expectAccessible("the roles tab");
  });

  it("lists the group's activity, newest first, with the session this run scheduled, a page at a time", async () => {
    const groupId = groupIdFromUrl();
    const admin = await asAdmin();
    // Enough activity for a second page of 25: six more members join (one item each).
    for (let i = 1; i <= 6; i++) {
      const member = await admin.post<{ id: string }>("/api/v1/organisations/demo/members", {
        name: `Activity check ${i}`,
        email: `activity.${i}.${stamp}@example.org`,
      });
      expect(member.status).toBe(201);
      const path = `/api/v1/organisations/demo/groups/${groupId}/members/${member.body.id}`;
      expect((await admin.put(path)).status).toBe(204);
    }
    await local.post("/api/local/settle");
    const logged = await admin.get<{ items: unknown[] }>(
      `/api/v1/organisations/demo/groups/${groupId}/activity?limit=100`,
    );
    const total = logged.body.items.length;
    expect(total).toBeGreaterThan(25);

    await groupTab("Activity").click();
    const table = page.getByRole("table", { name: "The group's activity, newest first" });
    const rows = table.locator("tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(25);
    // The session scheduled, moved and cancelled above, newest first, named by its title.
    const ours = table.getByRole("row").filter({ hasText: sessionTitle });
    await ours.nth(2).waitFor();
    expect(await ours.getByRole("rowheader").allTextContents()).toEqual([
      expect.stringMatching(/^Session on \w{3}, .+, 20:30 London time cancelled$/),
      expect.stringMatching(
        /^Session moved from \w{3}, .+, 19:00 London time to \w{3}, .+, 20:30 London time$/,
      ),
      expect.stringMatching(/^Session scheduled for \w{3}, .+, 19:00 London time$/),
    ]);
    const closed = table.getByRole("row").filter({ hasText: voteQuestion });
    await closed.getByRole("rowheader", { name: "Vote closed: no quorum" }).waitFor();
    await table
      .getByRole("row")
      .filter({ hasText: "Activity check 6" })
      .getByText("Joined the group")
      .waitFor();
    await expectAccessible("the activity tab");
    await screenshot(page, "group-activity");

    // The next page by keyboard: the first row it adds takes the focus.
    await tabTo("Load older activity");
    await page.keyboard.press("Enter");
    await page.getByText(`Showing ${Math.min(total, 50)} events, newest first.`).waitFor();
    expect(await rows.count()).toBe(Math.min(total, 50));
    expect(await rows.nth(25).evaluate((row) => row === document.activeElement)).toBe(true);
    // The last row is the oldest: the demo's first event in the group, Amira joining it.
    const oldest = rows.last();
    expect(await oldest.getByRole("rowheader").textContent()).toBe("Joined the group");
    expect(await oldest.locator("td").last().textContent()).toBe("Amira Hassan");
    await expectAccessible("the activity tab, two pages");
  });

  it("shows each time with its zone named, and reads a vote's close on the group's clock", async () => {
    // The browser is in London; Brooklyn meets in New York.
    await page
      .getByRole("navigation", { name: "Organisation" })
      .getByRole("link", { name: "Brooklyn Mental Health Peer Group" })
      .click();
    await heading("Brooklyn Mental Health Peer Group").waitFor();
    const groupId = groupIdFromUrl();
    await groupTab("Votes").click();
    const form = page.getByRole("form", { name: "Open a vote" });
    const question = `Meet an hour earlier? ${stamp}`;
    await form.getByLabel("Question").fill(question);
    expect.soft(await form.textContent()).toContain("New York time");
    const day = localValue(new Date((await platformNow()).getTime() + 5 * 24 * 3600_000), "America/New_York");
    const closesLocal = `${day.slice(0, 10)}T19:00`;
    await form.getByLabel("Closes").fill(closesLocal);
    await form.getByRole("button", { name: "Open the vote" }).click();
    const card = page.getByRole("article", { name: question });
    await card.waitFor();
    // Stored as the instant it is 19:00 in New York, and shown so, whatever the browser's zone.
    const votes = await (
      await asAdmin()
    ).get<{ items: { question: string; closesAt: string }[] }>(
      `/api/v1/organisations/demo/groups/${groupId}/votes`,
    );
    expect
      .soft(votes.body.items.find((v) => v.question === question)?.closesAt)
      .toBe(wallTimeInstant(closesLocal, "America/New_York").toISOString());
    expect.soft(await card.textContent()).toMatch(/closes \w{3}, \d{1,2} \w{3} \d{4}, 19:00 New York time\./);
    await expectAccessible("the votes tab of a New York group");

    // The overview: each group's times on its own clock, and which clock that is.
    await local.post("/api/local/settle");
    await page.goto("/organisations/demo");
    const rows = page.locator("table.health tbody tr");
    const brooklyn = rows.filter({ hasText: "Brooklyn Mental Health Peer Group" });
    const riverside = rows.filter({ hasText: "Riverside Carers' Circle" });
    await brooklyn.waitFor();
    // Both groups' next session is the demo's weekly meeting, at 19:00 on their own clocks.
    const when = /^\w{3}, \d{1,2} \w{3} \d{4}, 19:00 /;
    expect
      .soft(await brooklyn.locator("td").nth(2).textContent())
      .toMatch(new RegExp(`${when.source}New York time`));
    expect
      .soft(await riverside.locator("td").nth(2).textContent())
      .toMatch(new RegExp(`${when.source}London time`));
    const openVotes = await brooklyn.locator("td").nth(4).textContent();
    expect(openVotes).toContain(`“${question}”: 0 of`);
    expect.soft(openVotes).toMatch(/closes \w{3}, \d{1,2} \w{3} \d{4}, 19:00 New York time/);
    await expectAccessible("the overview, with times in two zones");
  });

  it("signs a coordinator in to their own group only, all by keyboard", async () => {
    await tabTo("Sign out");
    await page.keyboard.press("Enter");
    await heading("Sign in to Convene").waitFor();
    await page.getByRole("button", { name: "Coordinator of Harbour Lights Recovery" }).waitFor();
    await tabTo("Coordinator of Harbour Lights Recovery");
    await page.keyboard.press("Enter");
    await heading("Harbour Lights Recovery").waitFor();
    const nav = page.getByRole("navigation", { name: "Organisation" });
    await nav.getByRole("link", { name: "Harbour Lights Recovery" }).waitFor();
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Harbour Lights Recovery"]);
    await page
      .getByRole("table", { name: "Upcoming sessions, soonest first" })
      .getByRole("rowheader", { name: "Weekly meeting" })
      .waitFor();
    await expectAccessible("a coordinator's group page");
    await tabTo("Members");
    await page.keyboard.press("Enter");
    await page.getByRole("rowheader", { name: "Amira Hassan" }).waitFor();
    // Editing a member's details is an umbrella admin's; a coordinator is offered removal only.
    expect(await page.getByRole("button", { name: /^Edit/ }).count()).toBe(0);
  });

  it("answers an unknown API path with a problem, never with the app's page", async () => {
    const admin = await asAdmin();
    const answers = [
      // Without a token, /api/v1 says only that a token is needed, whatever the path.
      [local, "/api/v1/no-such-route", 401],
      [admin, "/api/v1/no-such-route", 404],
      [admin, "/api/v1/organisations/demo/no-such-thing", 404],
      [local, "/api/nothing", 404],
    ] as const;
    for (const [caller, path, status] of answers) {
      const answer = await caller.get<{ status: number }>(path);
      expect(answer.status, path).toBe(status);
      expect(answer.contentType, path).toMatch(/^application\/problem\+json/);
      expect(answer.body, path).toMatchObject({ status });
    }
    // Any other path is the single-page app's, which shows its own "not found".
    const app = await local.get<string>("/organisations/demo/no-such-page");
    expect(app.status).toBe(200);
    expect(app.contentType).toMatch(/^text\/html/);
  });

  it("raised no page errors and no alert", () => {
    expect(session.pageErrors).toEqual([]);
    expect(session.dialogs.filter((d) => !d.startsWith("confirm:"))).toEqual([]);
  });
});
