import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../e2e/running-platform.ts";
import { screenshot } from "./chromium.ts";
import * as dashboard from "./dashboard-session.ts";

// The sessions tab's series in Chromium against the platform as `npm start` runs it: the demo's
// weekly series with its next session listed; a new series made in the form (the rule in plain
// controls, the rule in words and the next five dates checked before saving, a bad end date
// refused beside the field), its sessions on the tab, and its end. axe checks each state.

interface SessionItem {
  title: string;
  startLocal: string;
  status: string;
  series?: { seriesId: string };
}

const stamp = Date.now();
const title = `Carers' walk ${stamp}`;

let session: dashboard.DashboardSession;
let page: Page;
let local: dashboard.DashboardSession["local"];

const expectAccessible = (where: string) => dashboard.expectAccessible(page, where);
const status = () => page.getByRole("status").filter({ hasText: /\S/ });
const platformNow = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
/** "YYYY-MM-DD" on London's calendar, `days` after an instant. */
const londonDate = (instant: Date, days: number) =>
  new Date(instant.getTime() + days * 86_400_000)
    .toLocaleString("sv-SE", { timeZone: "Europe/London" })
    .slice(0, 10);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const weekdayName = (date: string) =>
  new Date(`${date}T12:00Z`).toLocaleDateString("en-GB", { weekday: "long", timeZone: "UTC" });
const asAdmin = async () =>
  client(session.platform.url).withToken(
    (
      await local.post<{ token: string }>("/api/local/tokens", {
        role: "umbrella-admin",
        organisationId: "demo",
      })
    ).body.token,
  );

beforeAll(async () => {
  session = await dashboard.openDashboard({ acceptConfirms: false });
  ({ page, local } = session);
});

afterAll(async () => {
  expect(await session?.close()).toBe(0);
});

describe("a group's series on the sessions tab", () => {
  it("shows the demo's weekly series, and only its next session among the upcoming ones", async () => {
    await page.goto("/");
    await page.getByRole("button", { name: "Umbrella admin of the demo organisation" }).click();
    await dashboard.heading(page, "Organisation overview").waitFor();
    await page
      .getByRole("navigation", { name: "Organisation" })
      .getByRole("link", { name: "Riverside Carers' Circle" })
      .click();
    await dashboard.heading(page, "Riverside Carers' Circle").waitFor();

    const demo = page.getByRole("article", { name: "Weekly meeting" });
    await demo.waitFor();
    expect(await demo.textContent()).toMatch(/Every \w+day at 19:00, London time; not .+\. Active/);
    expect(await demo.getByRole("list", { name: "Next dates:" }).getByRole("listitem").count()).toBe(5);
    // 12 or 13 weeks of sessions ahead, as the time of day falls before or after 19:00: as many
    // as the API lists for the series.
    const groupId = dashboard.groupIdFromUrl(page);
    const seriesId = (
      await (
        await asAdmin()
      ).get<{ items: { id: string; title: string }[] }>(`/api/v1/organisations/demo/groups/${groupId}/series`)
    ).body.items.find((s) => s.title === "Weekly meeting")!.id;
    const { body } = await (
      await asAdmin()
    ).get<{ items: { series?: { seriesId: string } }[] }>(
      `/api/v1/organisations/demo/groups/${groupId}/sessions?limit=100`,
    );
    const scheduled = body.items.filter((s) => s.series?.seriesId === seriesId).length;
    expect(scheduled).toBeGreaterThanOrEqual(12);
    await demo.getByText(`Its ${scheduled} scheduled sessions`).waitFor();
    const upcoming = page.getByRole("table", { name: "Upcoming sessions, soonest first" });
    const rows = upcoming
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: "Weekly meeting" }) });
    expect(await rows.count()).toBe(1);
    expect(await rows.textContent()).toContain("Next of its series");
    await expectAccessible("the sessions tab with the demo's series");
  });

  it("refuses an end before the start beside the end, checks the words and dates, saves, and ends", async () => {
    const groupId = dashboard.groupIdFromUrl(page);
    const form = page.getByRole("form", { name: "New series" });
    // The first session three days ahead on London's calendar, at 18:30; every other week.
    const first = londonDate(await platformNow(), 3);
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("First session").fill(`${first}T18:30`);
    await form.getByLabel("Venue", { exact: true }).fill("Riverside Park gates");
    // The pattern follows the first date until one is chosen: its weekday is ticked.
    const days = form.getByRole("group", { name: "On these days" });
    expect(await days.getByLabel(weekdayName(first)).isChecked()).toBe(true);
    await form.getByLabel("Every how many weeks").fill("2");
    // Keyboard: the end's choices are radio buttons a Space selects.
    await form.getByRole("radio", { name: "On a date" }).focus();
    await page.keyboard.press("Space");
    await form.getByLabel("Last date").fill(addDays(first, -1));
    await expectAccessible("the new-series form");

    await form.getByRole("button", { name: "Check the dates" }).click();
    const ends = form.getByRole("group", { name: "Ends" });
    await ends.getByText("UNTIL is before the first session").waitFor();
    // Tied to the fieldset, as a field's error is to the field; nothing offered for saving.
    const describedBy = (await ends.getAttribute("aria-describedby"))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain(
      "UNTIL is before the first session",
    );
    await form.getByText("Some fields need changing").waitFor();
    expect(await form.getByRole("button", { name: "Save the series" }).count()).toBe(0);
    await expectAccessible("the new-series form with a field error");

    await form.getByRole("radio", { name: "After a number of sessions" }).check();
    await form.getByLabel("How many sessions").fill("6");
    await form.getByRole("button", { name: "Check the dates" }).click();
    const preview = form.getByRole("region", { name: "Before saving" });
    await preview.waitFor();
    expect(await preview.textContent()).toContain(
      `Every other ${weekdayName(first)} at 18:30, London time, 6 sessions`,
    );
    const dates = await preview.getByRole("listitem").allTextContents();
    expect(dates).toHaveLength(5);
    dates.forEach((text, i) => {
      const day = addDays(first, 14 * i);
      expect(text).toMatch(
        new RegExp(`^\\w{3}, ${Number(day.slice(8))} \\w{3} ${day.slice(0, 4)}, 18:30 London time$`),
      );
    });
    await expectAccessible("the new-series form with its dates checked");
    await screenshot(page, "series-form-checked");

    // A change after the check asks for a new one: what is saved is what was checked.
    await form.getByLabel("Length in minutes").fill("75");
    await preview.waitFor({ state: "detached" });
    await form.getByRole("button", { name: "Check the dates" }).click();
    await preview.getByRole("button", { name: "Save the series" }).click();

    await status()
      .filter({ hasText: `Made the series “${title}”` })
      .waitFor();
    const made = page.getByRole("article", { name: title });
    await made.waitFor();
    expect(await made.textContent()).toContain(
      `Every other ${weekdayName(first)} at 18:30, London time, 6 sessions. Active`,
    );
    expect(await made.textContent()).toContain("At Riverside Park gates.");
    // Its sessions are made once the bus carries SeriesCreated; the tab reads them again until they are.
    await local.post("/api/local/settle");
    await made.getByText("Its 6 scheduled sessions").click();
    const itsSessions = made.getByRole("table", { name: `Scheduled sessions of ${title}, soonest first` });
    expect(await itsSessions.locator("tbody tr").count()).toBe(6);
    expect(await itsSessions.getByRole("rowheader").first().textContent()).toMatch(/, 18:30 London time$/);
    const next = page
      .getByRole("table", { name: "Upcoming sessions, soonest first" })
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: title }) });
    expect(await next.count()).toBe(1);
    const admin = await asAdmin();
    const sessions = await admin.get<{ items: SessionItem[] }>(
      `/api/v1/organisations/demo/groups/${groupId}/sessions?limit=100`,
    );
    const ours = sessions.body.items.filter((s) => s.title === title);
    expect(ours.map((s) => s.startLocal)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `${addDays(first, 14 * i)}T18:30`),
    );
    expect(new Set(ours.map((s) => s.series?.seriesId)).size).toBe(1);
    await expectAccessible("the sessions tab with the new series");
    await screenshot(page, "series-made");

    // A session of the series, as a calendar offers: cancel this one only, then change all.
    const second = itsSessions.getByRole("row").filter({
      has: page.getByRole("rowheader", {
        name: new RegExp(`, ${Number(addDays(first, 14).slice(8))} \\w{3} `),
      }),
    });
    await second.getByRole("button", { name: /^Cancel/ }).click();
    const cancel = second.getByRole("form", { name: /^Cancel / });
    expect(await cancel.getByRole("radio", { name: "This session" }).isChecked()).toBe(true);
    await expectAccessible("the cancel form of a series' session");
    await cancel.getByRole("button", { name: "Cancel the session" }).click();
    await status()
      .filter({ hasText: `Cancelled “${title}”: this session` })
      .waitFor();
    const firstRow = itsSessions.locator("tbody tr").first();
    await firstRow.getByRole("button", { name: /^Change/ }).click();
    const change = firstRow.getByRole("form", { name: /^Change / });
    await change.getByRole("radio", { name: "All sessions" }).check();
    await change.getByLabel("Length in minutes").fill("60");
    await change.getByRole("button", { name: "Save the change" }).click();
    await status()
      .filter({ hasText: `Changed “${title}”: all sessions` })
      .waitFor();
    await local.post("/api/local/settle");
    const edited = (
      await admin.get<{ items: (SessionItem & { durationMinutes: number })[] }>(
        `/api/v1/organisations/demo/groups/${groupId}/sessions?limit=100`,
      )
    ).body.items.filter((s) => s.title === title);
    expect(edited.map((s) => [s.startLocal, s.durationMinutes])).toEqual(
      [0, 2, 3, 4, 5].map((i) => [`${addDays(first, 14 * i)}T18:30`, 60]),
    );

    await made.getByRole("button", { name: `End series ${title}` }).click();
    const end = made.getByRole("form", { name: `End the series ${title}` });
    await end.getByLabel("Reason (members see it)").fill("The park is closed for the winter");
    await expectAccessible("the end-series form");
    await end.getByRole("button", { name: "End the series" }).click();
    await status()
      .filter({ hasText: `Ended the series “${title}”` })
      .waitFor();
    await local.post("/api/local/settle");
    await made.getByText("Ended", { exact: true }).waitFor();
    // Its sessions still to come are cancelled, and leave the upcoming list.
    await next.waitFor({ state: "detached" });
    const after = await admin.get<{ items: SessionItem[] }>(
      `/api/v1/organisations/demo/groups/${groupId}/sessions?limit=100`,
    );
    expect(after.body.items.filter((s) => s.title === title && s.status === "scheduled")).toEqual([]);
    expect(session.pageErrors).toEqual([]);
    expect(session.dialogs).toEqual([]);
  });
});
