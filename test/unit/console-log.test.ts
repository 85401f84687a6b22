import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fileLog } from "#adapters/local/console-log.ts";

// The local platform's log: structured lines to a file in the state folder, and to
// the terminal only what a person reads.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "convene-log-"));
  vi.stubEnv("POWERTOOLS_LOG_LEVEL", "INFO");
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const aLog = () => {
  const said: string[] = [];
  const alerted: string[] = [];
  const path = join(dir, "logs", "convene.log");
  const log = fileLog({
    path,
    say: (line) => said.push(line),
    alert: (line) => alerted.push(line),
    summaryEveryMs: 20,
  });
  const lines = () =>
    readFileSync(path, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, path, said, alerted, lines };
};

describe("fileLog", () => {
  it("appends every structured line to the file, as Powertools writes it, creating its folder", () => {
    const { log, lines } = aLog();
    log.info("reminders sent", { sessionId: "s-1", sent: 2 });
    log.warn("delivery failed", { sessionId: "s-1" });
    expect(lines()).toEqual([
      expect.objectContaining({ level: "INFO", message: "reminders sent", sessionId: "s-1", sent: 2 }),
      expect.objectContaining({ level: "WARN", message: "delivery failed", service: "convene" }),
    ]);
    // Appended: a second logger on the same file (a restart) adds to it.
    aLog().log.info("started again");
    expect(lines().map((l) => l.message)).toEqual(["reminders sent", "delivery failed", "started again"]);
  });

  it("tells a person each warning and error in one line of text, not JSON", () => {
    const { log, said, alerted } = aLog();
    log.warn("delivery failed", { sessionId: "s-1", attempt: 2 });
    log.error("handler failed", { target: "send-ballots", error: new Error("throttled\nby SES") });
    expect(alerted).toHaveLength(2);
    expect(alerted[0]).toMatch(/^\d\d:\d\d:\d\d WARN {2}delivery failed {2}sessionId=s-1 attempt=2$/);
    expect(alerted[1]).toMatch(/ERROR handler failed {2}target=send-ballots error=Error: throttled by SES$/);
    expect(said).toEqual([]);
  });

  it("says what happened in one line, the rarest first, with where the details are", async () => {
    const { log, path, said } = aLog();
    for (let i = 0; i < 5; i++) log.info("activity recorded");
    log.info("vote closed");
    log.info("reminders sent");
    log.info("reminders sent");
    expect(said).toEqual([]);
    await vi.waitFor(() => expect(said).toHaveLength(1));
    expect(said[0]).toMatch(
      /^\d\d:\d\d:\d\d {2}vote closed, reminders sent ×2, activity recorded ×5 {2}\(details: .*\)$/,
    );
    expect(said[0]).toContain(path);
    log.info("vote closed");
    await vi.waitFor(() => expect(said).toHaveLength(2));
    expect(said[1]).toMatch(/ {2}vote closed {2}/);
  });

  it("keeps a busy moment's summary to one line", async () => {
    const { log, said } = aLog();
    for (let kind = 0; kind < 40; kind++) log.info(`something of kind ${kind} happened`);
    await vi.waitFor(() => expect(said).toHaveLength(1));
    expect(said[0]!.split("(details:")[0]!.length).toBeLessThanOrEqual(160);
    expect(said[0]).toMatch(/, and \d+ more {2}\(details: /);
  });
});
