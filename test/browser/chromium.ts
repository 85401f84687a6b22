import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import axe from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it); playwright-core downloads none. */
export const chromiumPath = process.env.CONVENE_CHROMIUM ?? "/usr/bin/chromium";

export const launchChromium = (): Promise<Browser> => {
  if (!existsSync(chromiumPath))
    throw new Error(
      `no Chromium at ${chromiumPath}: install Debian's (apt-get install chromium) or set CONVENE_CHROMIUM`,
    );
  return chromium.launch({ executablePath: chromiumPath, headless: true });
};

export interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page as it stands and returns its serious and critical violations.
 * axe goes in through the DevTools protocol, which the page's CSP does not govern.
 */
export const seriousViolations = async (page: Page): Promise<Violation[]> => {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const injected = (window as unknown as { axe: typeof axe }).axe;
    const results = await injected.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
};

/** Test artifacts (git-ignored): screenshots a reviewer can open after the run. */
export const artifactsDir = join(import.meta.dirname, "../../test-artifacts");

export const screenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
};
