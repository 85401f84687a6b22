import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// What `npm start` shows a newcomer: the terminal keeps what a person reads (the
// banner with its URLs and token, warnings, errors, a short line on what happened); the
// structured JSON log goes to a file in the state folder, which the banner names. Neither
// holds personal data.

let platform: Platform;

/** The lines of `text` that are a JSON object: a structured log line. */
const jsonLines = (text: string) =>
  text.split("\n").filter((line) => {
    try {
      return typeof JSON.parse(line) === "object";
    } catch {
      return false;
    }
  });

beforeAll(async () => {
  platform = await launchPlatform();
  // Something happens after the start too: six days pass (as the banner suggests), reminders go out.
  const advanced = await client(platform.url).post("/api/local/clock/advance", { days: 6 });
  expect(advanced.status).toBe(200);
});

afterAll(async () => {
  await platform?.stop();
});

describe("npm start's output", () => {
  it("keeps JSON log lines off the terminal and names the file they go to", () => {
    expect(platform.stdout()).toContain("Ctrl-C stops everything");
    expect(platform.stdout()).toContain(platform.logFile);
    expect(jsonLines(platform.output())).toEqual([]);
  });

  it("writes the structured log to that file, one JSON object a line", () => {
    const lines = platform.logs().trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(20);
    expect(jsonLines(platform.logs())).toHaveLength(lines.length);
    const messages = lines.map((line) => (JSON.parse(line) as { message: string; level: string }).message);
    expect(messages).toContain("reminders sent");
  });

  it("says in a line what happened, pointing to the log", async () => {
    // Happenings are gathered for up to 10 s into one line, the rarest first: which messages
    // fit in a line depends on what else happened, so the line is found by its pointer.
    const summaries = () =>
      platform
        .stdout()
        .split("\n")
        .filter((line) => line.includes("(details: "));
    for (let waited = 0; summaries().length === 0 && waited < 15_000; waited += 250)
      await new Promise((resolve) => setTimeout(resolve, 250));
    expect(summaries().length).toBeGreaterThan(0);
    for (const line of summaries()) {
      expect(line).toContain(`(details: ${platform.logFile})`);
      expect(line.length).toBeLessThanOrEqual(200);
    }
  });

  it("shows no personal data, in the terminal or in the log", () => {
    const seen = platform.output() + platform.logs();
    // The demo's members: names, addresses (example.org and the SES simulator's), phones.
    for (const secret of [
      "Amira",
      "Hassan",
      "Okafor",
      "Chloe",
      "Dev Patel",
      "@example.org",
      "simulator.amazonses.com",
      "+44770090",
      "umbrella-admins@",
    ])
      expect(seen).not.toContain(secret);
  });
});
