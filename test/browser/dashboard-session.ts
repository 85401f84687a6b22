import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { client, launchPlatform, type Platform } from "../e2e/running-platform.ts";
import { launchChromium, seriousViolations } from "./chromium.ts";

/** The platform as `npm start` runs it, and one page of Chromium on its dashboard. */
export interface DashboardSession {
  platform: Platform;
  browser: Browser;
  page: Page;
  /** The platform over HTTP without a token: /api/local and the public routes. */
  local: ReturnType<typeof client>;
  /** Errors the page threw, and every dialog it opened ("type: message"). */
  pageErrors: string[];
  dialogs: string[];
  /** Closes the browser and stops the platform; resolves to the platform's exit code. */
  close(): Promise<number | null>;
}

/**
 * Launches both side by side, with a London, en-GB browser context. A confirm dialog is
 * accepted when `acceptConfirms` (the members tab asks before removing); any other dialog is
 * dismissed. Every dialog is recorded, so a test can prove no alert ever opened.
 */
export const openDashboard = async ({
  acceptConfirms,
}: {
  acceptConfirms: boolean;
}): Promise<DashboardSession> => {
  const [platform, browser] = await Promise.all([launchPlatform(), launchChromium()]);
  const context = await browser.newContext({
    baseURL: platform.url,
    locale: "en-GB",
    timezoneId: "Europe/London",
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void (acceptConfirms && dialog.type() === "confirm" ? dialog.accept() : dialog.dismiss());
  });
  return {
    platform,
    browser,
    page,
    local: client(platform.url),
    pageErrors,
    dialogs,
    close: async () => {
      await browser.close();
      return platform.stop();
    },
  };
};

/** The page's level-1 heading of that name. */
export const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name });

/** A link of the group page's tabs. */
export const groupTab = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Group sections" }).getByRole("link", { name, exact: true });

/** axe finds no serious or critical violation in the page as it stands. */
export const expectAccessible = async (page: Page, where: string) =>
  expect(await seriousViolations(page), `axe on ${where}`).toEqual([]);

/** The group page's id, read from the address bar. */
export const groupIdFromUrl = (page: Page) => /\/groups\/([^/]+)/.exec(new URL(page.url()).pathname)![1]!;
