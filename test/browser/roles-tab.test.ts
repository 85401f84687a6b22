import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../e2e/running-platform.ts";
import { screenshot } from "./chromium.ts";
import * as dashboard from "./dashboard-session.ts";

// The Roles and vacancies tab in Chromium against the platform as `npm start` runs it, with the
// demo organisation as seeded: an umbrella admin takes up a role, is refused a member without
// its training and overrides that with a reason, steps the holder down (the members are asked
// to volunteer); a coordinator does the same on their own group, without the override, and
// appoints a volunteer where the group has a designated leader. axe checks the forms open.

interface OutboxEmail {
  to: string[];
  subject: string;
}
interface RoleView {
  roleId: string;
  holders: { memberId: string; trainingOverride?: { reason: string; trainingIds: string[] } }[];
  vacantSince?: string;
}

let session: dashboard.DashboardSession;
let page: Page;
let local: dashboard.DashboardSession["local"];

const heading = (name: string | RegExp) => dashboard.heading(page, name);
const expectAccessible = (where: string) => dashboard.expectAccessible(page, where);
const groupTab = (name: string) => dashboard.groupTab(page, name);
/** The table row of one role, by its exact name ("Facilitator" is not "Co-facilitator"). */
const roleRow = (name: string) =>
  page.getByRole("row").filter({
    has: page.getByRole("rowheader", {
      // The demo's role names hold no pattern characters.
      name: new RegExp(`^${name}( \\(critical\\))?$`),
    }),
  });
/** A row's cells after the role's name: held by, vacant since, volunteers, actions. */
const cells = async (row: Locator) => row.locator("td").allTextContents();
/** The row's cells once "Held by" reads exactly `heldBy`: the table reloads after the API has acted. */
const cellsOnceHeldBy = async (row: Locator, heldBy: string) => {
  const exactly = new RegExp(`^${heldBy.replace(/[()]/g, "\\$&")}$`);
  await row.locator("td").first().filter({ hasText: exactly }).waitFor();
  return cells(row);
};
const status = () => page.getByRole("status").filter({ hasText: /\S/ });
const address = (to: string[]) => to.join(",").replace(/.*<|>.*/g, "");
/** Who has been emailed this subject, once everything pending is processed. */
const emailedAbout = async (subject: string) => {
  await local.post("/api/local/settle");
  const { emails } = (await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox")).body;
  return emails
    .filter((e) => e.subject === subject)
    .map((e) => address(e.to))
    .sort();
};
const groupIdFromUrl = () => dashboard.groupIdFromUrl(page);
/** The API as whoever the page has signed in (the token the dashboard itself sends). */
const asSignedIn = async () => {
  const stored = await page.evaluate(() => sessionStorage.getItem("convene.signed-in"));
  return client(session.platform.url).withToken((JSON.parse(stored!) as { token: string }).token);
};
const signInAs = async (label: string, landsOn: string) => {
  if (await page.getByRole("button", { name: "Sign out" }).count())
    await page.getByRole("button", { name: "Sign out" }).click();
  else await page.goto("/");
  await heading("Sign in to Convene").waitFor();
  await page.getByRole("button", { name: label }).click();
  await heading(landsOn).waitFor();
};

beforeAll(async () => {
  // The tab confirms in the page: any dialog at all is a defect, recorded and dismissed.
  session = await dashboard.openDashboard({ acceptConfirms: false });
  ({ page, local } = session);
});

afterAll(async () => {
  expect(await session?.close()).toBe(0);
});

describe("the Roles and vacancies tab in Chromium", () => {
  it("lets an umbrella admin take up a catalogue role", async () => {
    await signInAs("Umbrella admin of the demo organisation", "Organisation overview");
    await page
      .getByRole("navigation", { name: "Organisation" })
      .getByRole("link", { name: "Riverside Carers' Circle" })
      .click();
    await heading("Riverside Carers' Circle").waitFor();
    await groupTab("Roles and vacancies").click();
    await roleRow("Facilitator").waitFor();
    // Riverside leads collectively: Ben's offer for the vacant venue role is the group's to
    // confirm, so nobody is offered an appointment.
    expect((await cells(roleRow("Venue and bookings")))[2]).toBe("Ben Okafor");
    expect(await page.getByRole("button", { name: /^Appoint/ }).count()).toBe(0);
    await page.getByText("This group leads collectively").waitFor();
    expect(await page.getByText("not available yet").count()).toBe(0);

    await page.getByRole("button", { name: "Take up a role" }).click();
    const form = page.getByRole("form", { name: "Take up a role" });
    const role = form.getByLabel("Role");
    await role.locator("option", { hasText: "Co-facilitator" }).waitFor({ state: "attached" });
    // The catalogue's roles the group has not taken up yet, and only those.
    const offered = await role.locator("option").allTextContents();
    expect(offered).toContain("Co-facilitator");
    expect(offered).not.toContain("Facilitator");
    await role.selectOption({ label: "Co-facilitator" });
    await form.getByText("Needs current training in facilitation-basics.").waitFor();
    await form.getByLabel("How many members may hold it at once").fill("2");
    await expectAccessible("the take-up form");
    await form.getByRole("button", { name: "Take up the role" }).click();

    await form.waitFor({ state: "detached" });
    await status().filter({ hasText: "The group took up Co-facilitator" }).waitFor();
    const [, vacantSince] = await cellsOnceHeldBy(roleRow("Co-facilitator"), "Nobody (up to 2)");
    expect(vacantSince).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4}, \d\d:\d\d London time$/);
  });

  it("refuses a member without the role's training beside the field, then assigns them on an admin's override", async () => {
    const row = roleRow("Co-facilitator");
    await row.getByRole("button", { name: "Assign a holder to Co-facilitator" }).click();
    const form = row.getByRole("form", { name: "Assign a holder to Co-facilitator" });
    await form.getByLabel("Member").selectOption({ label: "Ben Okafor" });
    await form.getByRole("button", { name: "Assign the member to Co-facilitator" }).click();

    const member = form.getByLabel("Member");
    const refusal = "the member has no current training in facilitation-basics";
    await form.getByText(refusal).waitFor();
    expect(await member.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await member.getAttribute("aria-describedby"))!.split(" ");
    const descriptions = await Promise.all(
      describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(descriptions.join(" ")).toContain(refusal);
    expect(await row.locator("td").first().textContent()).toBe("Nobody (up to 2)");

    // The tab with its forms open: the take-up form, the refused assignment, a step-down confirmation.
    await page.getByRole("button", { name: "Take up a role" }).click();
    await page.getByRole("form", { name: "Take up a role" }).waitFor();
    const facilitator = roleRow("Facilitator");
    await facilitator.getByRole("button", { name: "Step down Amira Hassan from Facilitator" }).click();
    await facilitator.getByRole("group", { name: "Confirm that Amira Hassan steps down" }).waitFor();
    const override = form.getByLabel("Assign without the required training");
    await override.check();
    await expectAccessible("the roles tab with its forms open");
    await screenshot(page, "group-roles");
    // "No" keeps the holder and gives the focus back to the button that asked.
    await facilitator.getByRole("button", { name: "No, keep Amira Hassan" }).click();
    expect(
      await facilitator
        .getByRole("button", { name: "Step down Amira Hassan from Facilitator" })
        .evaluate((button) => button === document.activeElement),
    ).toBe(true);
    await page.getByRole("form", { name: "Take up a role" }).getByRole("button", { name: "Close" }).click();

    await form
      .getByLabel("Reason for the override")
      .fill("Trained with the county network; certificate seen");
    await form.getByRole("button", { name: "Assign the member to Co-facilitator" }).click();
    await status().filter({ hasText: "Ben Okafor now holds Co-facilitator." }).waitFor();
    await cellsOnceHeldBy(row, "Ben Okafor (up to 2)");
    expect((await cells(facilitator))[0]).toBe("Amira Hassan");

    const saved = await (
      await asSignedIn()
    ).get<RoleView>(`/api/v1/organisations/demo/groups/${groupIdFromUrl()}/roles/co-facilitator`);
    expect(saved.body.holders).toEqual([
      expect.objectContaining({
        trainingOverride: expect.objectContaining({
          reason: "Trained with the county network; certificate seen",
          trainingIds: ["facilitation-basics"],
        }) as unknown,
      }),
    ]);
  });

  it("steps the holder down after a confirmation by keyboard; the role is vacant and the members are asked to volunteer", async () => {
    const row = roleRow("Co-facilitator");
    await row.getByRole("button", { name: "Step down Ben Okafor from Co-facilitator" }).click();
    const confirm = row.getByRole("group", { name: "Confirm that Ben Okafor steps down" });
    expect(await confirm.textContent()).toContain("The role falls vacant and the group is asked to fill it.");
    // The confirmation takes the focus; Enter confirms.
    const yes = confirm.getByRole("button", { name: "Yes, step down Ben Okafor" });
    expect(await yes.evaluate((button) => button === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");

    await status().filter({ hasText: "Ben Okafor stepped down from Co-facilitator" }).waitFor();
    const [, vacantSince] = await cellsOnceHeldBy(row, "Nobody (up to 2)");
    expect(vacantSince).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4}, \d\d:\d\d London time$/);
    // Everyone in the group but Ben is called to volunteer (Chloe too: she takes SMS reminders, role emails by email).
    expect(await emailedAbout("Riverside Carers' Circle needs a volunteer: Co-facilitator")).toEqual([
      "amira.1@example.org",
      "chloe.3@example.org",
      "dev.4@example.org",
    ]);
    await expectAccessible("the roles tab after a step-down");
  });

  it("lets a coordinator act on their own group: no override, and appointing a volunteer in a designated group", async () => {
    await signInAs("Coordinator of Harbour Lights Recovery", "Harbour Lights Recovery");
    await groupTab("Roles and vacancies").click();
    await roleRow("Facilitator").waitFor();
    const api = await asSignedIn();
    const groupPath = `/api/v1/organisations/demo/groups/${groupIdFromUrl()}`;

    await page.getByRole("button", { name: "Take up a role" }).click();
    const takeUp = page.getByRole("form", { name: "Take up a role" });
    await takeUp.getByLabel("Role").selectOption({ label: "Welfare and safety" });
    await takeUp.getByRole("button", { name: "Take up the role" }).click();
    const welfare = roleRow("Welfare and safety");
    await welfare.waitFor();

    await welfare.getByRole("button", { name: "Assign a holder to Welfare and safety" }).click();
    const assign = welfare.getByRole("form", { name: "Assign a holder to Welfare and safety" });
    // A coordinator is not offered the override, and the API refuses theirs anyway.
    expect(await assign.getByLabel("Assign without the required training").count()).toBe(0);
    await assign.getByLabel("Member").selectOption({ label: "Ben Okafor" });
    await assign.getByRole("button", { name: "Assign the member to Welfare and safety" }).click();
    await assign.getByText("the member has no current training in safeguarding").waitFor();
    const members = await api.get<{ items: { id: string; name: string }[] }>(`${groupPath}/members`);
    const idOf = (name: string) => members.body.items.find((m) => m.name === name)!.id;
    const refused = await api.post(`${groupPath}/roles/welfare-and-safety/holders`, {
      memberId: idOf("Ben Okafor"),
      override: { reason: "a coordinator may not override" },
    });
    expect(refused.status).toBe(403);

    await assign.getByLabel("Member").selectOption({ label: "Amira Hassan" });
    await assign.getByRole("button", { name: "Assign the member to Welfare and safety" }).click();
    await status().filter({ hasText: "Amira Hassan now holds Welfare and safety." }).waitFor();
    await cellsOnceHeldBy(welfare, "Amira Hassan");

    // Dev steps down from the venue role; Chloe volunteers (as if by reply); Harbour Lights has
    // a designated leader, so the coordinator may appoint her.
    const venue = roleRow("Venue and bookings");
    await venue.getByRole("button", { name: "Step down Dev Patel from Venue and bookings" }).click();
    await venue.getByRole("button", { name: "Yes, step down Dev Patel" }).click();
    await status().filter({ hasText: "Dev Patel stepped down from Venue and bookings" }).waitFor();
    await cellsOnceHeldBy(venue, "Nobody");
    const offered = await api.post(`${groupPath}/roles/venue-and-bookings/volunteers`, {
      memberId: idOf("Chloe Martin"),
    });
    expect(offered.status).toBe(201);
    await page.getByRole("button", { name: "Refresh the roles" }).click();
    await venue.getByRole("cell", { name: "Chloe Martin", exact: true }).waitFor();
    await expectAccessible("a coordinator's roles tab with a volunteer");

    await venue.getByRole("button", { name: "Appoint Chloe Martin to Venue and bookings" }).click();
    await status().filter({ hasText: "Appointed Chloe Martin to Venue and bookings." }).waitFor();
    const [, vacantSince, volunteers] = await cellsOnceHeldBy(venue, "Chloe Martin");
    expect([vacantSince, volunteers]).toEqual(["", ""]);
    const appointed = await api.get<RoleView>(`${groupPath}/roles/venue-and-bookings`);
    expect(appointed.body.holders.map((h) => h.memberId)).toEqual([idOf("Chloe Martin")]);
  });

  it("raised no page errors and no dialog", () => {
    expect(session.pageErrors).toEqual([]);
    expect(session.dialogs).toEqual([]);
  });
});
