import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../e2e/running-platform.ts";
import * as dashboard from "./dashboard-session.ts";

// The members tab's texts in Chromium against the platform as `npm start` runs it: a demo member
// who chose SMS shows texts on (by the form); an umbrella admin records consent withdrawn, a
// repeat records nothing; the member texts START then STOP and the tab says so. axe checks the form.

interface Consent {
  state: string;
  how: string;
  wordingVersion: string;
}

/** Riverside's Chloe Martin takes SMS reminders; the demo numbers her so. */
const chloe = { name: "Chloe Martin", phone: "+447700900003" };

let session: dashboard.DashboardSession;
let page: Page;

const heading = (name: string) => dashboard.heading(page, name);
const status = () => page.getByRole("status").filter({ hasText: /\S/ });
const chloeRow = () =>
  page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: chloe.name, exact: true }) });
/** Chloe's phone cell once it reads `texts` (the table reloads after the API has acted). */
const chloeTexts = async (texts: RegExp) => {
  await chloeRow().locator("td").nth(1).filter({ hasText: texts }).waitFor();
  return chloeRow().locator("td").nth(1).textContent();
};
const history = async (memberId: string) => {
  const stored = await page.evaluate(() => sessionStorage.getItem("convene.signed-in"));
  const api = client(session.platform.url).withToken((JSON.parse(stored!) as { token: string }).token);
  return (await api.get<{ items: Consent[] }>(`/api/v1/organisations/demo/members/${memberId}/sms-consent`))
    .body.items;
};
const text = (body: string, id: string) =>
  session.local.post("/api/local/sms/inbound", {
    originationNumber: chloe.phone,
    destinationNumber: "+447700900000",
    messageBody: body,
    inboundMessageId: `sms-consent-browser-${id}-${Date.now()}`,
  });
/** The page afresh: the tab reads members once, and a text changes them behind its back. */
const reload = async () => {
  await page.reload();
  await heading("Riverside Carers' Circle").waitFor();
  if (!(await chloeRow().count())) await dashboard.groupTab(page, "Members").click();
};

beforeAll(async () => {
  session = await dashboard.openDashboard({ acceptConfirms: false });
  ({ page } = session);
});

afterAll(async () => {
  expect(session?.dialogs).toEqual([]);
  expect(session?.pageErrors).toEqual([]);
  expect(await session?.close()).toBe(0);
});

describe("texts on the members tab in Chromium", () => {
  it("shows texts on by the form, and records a withdrawal by an admin once", async () => {
    await page.goto("/");
    await heading("Sign in to Convene").waitFor();
    await page.getByRole("button", { name: "Umbrella admin of the demo organisation" }).click();
    await heading("Organisation overview").waitFor();
    await page
      .getByRole("navigation", { name: "Organisation" })
      .getByRole("link", { name: "Riverside Carers' Circle" })
      .click();
    await heading("Riverside Carers' Circle").waitFor();
    await dashboard.groupTab(page, "Members").click();
    expect(await chloeTexts(/Texts on \(since \w{3}, \d{1,2} \w{3} \d{4}, form\)/)).toContain(chloe.phone);

    await chloeRow()
      .getByRole("button", { name: `Consent to texts of ${chloe.name}` })
      .click();
    const form = page.getByRole("form", { name: `Consent to texts: ${chloe.name}` });
    await form.getByLabel("Consent").selectOption("withdrawn");
    await form.getByLabel("Wording version").fill("v2");
    await dashboard.expectAccessible(page, "the consent form");
    await form.getByRole("button", { name: "Record consent" }).click();
    await status()
      .filter({ hasText: `Recorded: ${chloe.name} gets no more texts.` })
      .waitFor();
    await chloeTexts(/Texts stopped \(admin\) on \w{3}, \d{1,2} \w{3} \d{4}/);

    await chloeRow()
      .getByRole("button", { name: `Consent to texts of ${chloe.name}` })
      .click();
    await form.getByLabel("Consent").selectOption("withdrawn");
    await form.getByRole("button", { name: "Record consent" }).click();
    await status().filter({ hasText: "already stood so: nothing recorded" }).waitFor();

    const records = await history(await chloeMemberId());
    expect(records.map((r) => [r.state, r.how, r.wordingVersion])).toEqual([["withdrawn", "admin", "v2"]]);
  });

  it("shows texts stopped by STOP once the member texts it", async () => {
    expect((await text("START", "start")).status).toBe(200);
    await reload();
    await chloeTexts(/Texts on \(since .*, keyword\)/);
    expect((await text("stop", "stop")).status).toBe(200);
    await reload();
    await chloeTexts(/Texts stopped by STOP on \w{3}, \d{1,2} \w{3} \d{4}/);
    const records = await history(await chloeMemberId());
    expect(records.map((r) => [r.state, r.how])).toEqual([
      ["withdrawn", "keyword"],
      ["given", "keyword"],
      ["withdrawn", "admin"],
    ]);
  });
});

/** Chloe's member id, from the group's members as the API lists them. */
const chloeMemberId = async () => {
  const stored = await page.evaluate(() => sessionStorage.getItem("convene.signed-in"));
  const api = client(session.platform.url).withToken((JSON.parse(stored!) as { token: string }).token);
  // Every demo group has a Chloe Martin: this group's.
  const path = `/api/v1/organisations/demo/groups/${dashboard.groupIdFromUrl(page)}/members`;
  const members = await api.get<{ items: { id: string; name: string }[] }>(path);
  return members.body.items.find((m) => m.name === chloe.name)!.id;
};
