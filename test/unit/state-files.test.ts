import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { LocalIdentityProvider } from "#infra/local/local-identity.ts";
import {
  clockFile,
  identityKeyFile,
  linkSecretFile,
  streamCheckpointsFile,
  writeStateFile,
} from "#infra/local/state-files.ts";

let dir: string;
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "convene-state-"));
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
  rmSync(dir, { recursive: true, force: true });
});

/** The one line printed, checked to be a single line naming the file. */
const reported = (file: string): string => {
  expect(warn).toHaveBeenCalledTimes(1);
  const line = String(warn.mock.calls[0]?.[0]);
  expect(line).not.toContain("\n");
  expect(line).toContain(file);
  return line;
};

const torn = {
  empty: "",
  truncated: '{"offsetMs": 5184',
  "wrong shape": '{"offsetMs": "six days"}',
};

describe("the stream checkpoints", () => {
  it("round-trips what was saved, and a missing file is a fresh start without a word", async () => {
    const file = join(dir, "stream-checkpoints.json");
    const checkpoints = streamCheckpointsFile(file);
    expect(await checkpoints.load()).toEqual({});
    await checkpoints.save({ "shard-1": "000123" });
    expect(await checkpoints.load()).toEqual({ "shard-1": "000123" });
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ["empty", "", "empty"],
    ["truncated", '{"shardId-0001": "4000000000000', "truncated JSON"],
    ["wrong shape", '["shardId-0001"]', "not the expected shape"],
    ["garbage", "\u0000\u0001garbage", "not valid JSON"],
  ])("%s: starts from the stream's oldest record and says so", async (_, content, reason) => {
    const file = join(dir, "stream-checkpoints.json");
    writeFileSync(file, content);
    expect(await streamCheckpointsFile(file).load()).toEqual({});
    const line = reported(file);
    expect(line).toContain(reason);
    expect(line).toContain("read again from its oldest record");
    warn.mockClear();
    expect(await streamCheckpointsFile(file).load()).toEqual({});
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("the clock", () => {
  const sixDays = 6 * 86_400_000;

  it("keeps an advanced offset, and a fresh state folder starts at 0 without a word", async () => {
    const clock = clockFile(join(dir, "clock.json"));
    expect(await clock.load()).toBe(0);
    await clock.save(sixDays);
    expect(await clock.load()).toBe(sixDays);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each(Object.entries(torn))(
    "%s: resumes from its copy, not from 0 (time never goes back)",
    async (_, content) => {
      const file = join(dir, "clock.json");
      await clockFile(file).save(sixDays);
      writeFileSync(file, content);
      expect(await clockFile(file).load()).toBe(sixDays);
      expect(reported(file)).toMatch(/resumes from its copy clock\.json\.bak \(6\.00 days ahead/);
      // Recovered once: written back, so the next start reads it without a word.
      warn.mockClear();
      expect(await clockFile(file).load()).toBe(sixDays);
      expect(warn).not.toHaveBeenCalled();
    },
  );

  it("with both copies torn, starts at 0 and says so", async () => {
    const file = join(dir, "clock.json");
    writeFileSync(file, torn.truncated);
    writeFileSync(`${file}.bak`, torn.empty);
    expect(await clockFile(file).load()).toBe(0);
    expect(reported(file)).toMatch(/truncated JSON.*clock\.json\.bak is unreadable too \(empty\).*offset 0/);
  });
});

describe("the link secret", () => {
  it("is made once, kept private, and read back the same", async () => {
    const file = join(dir, "link-secret");
    const secret = await linkSecretFile(file);
    expect(secret).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await linkSecretFile(file)).toEqual(secret);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ["empty", Buffer.alloc(0), "empty"],
    ["truncated", Buffer.alloc(7, 1), "7 bytes, not 32"],
  ])("%s: a new one is made, kept, and the line says old links stop working", async (_, bytes, reason) => {
    const file = join(dir, "link-secret");
    writeFileSync(file, bytes);
    const secret = await linkSecretFile(file);
    expect(secret).toHaveLength(32);
    expect(new Uint8Array(readFileSync(file))).toEqual(secret);
    const line = reported(file);
    expect(line).toContain(reason);
    expect(line).toContain("links in messages sent before no longer work");
  });
});

describe("the identity key", () => {
  it("survives a restart: a token minted before verifies after", async () => {
    const file = join(dir, "identity-key.json");
    const before = await LocalIdentityProvider.create(file);
    const token = await before.mint({ subject: "a", role: "umbrella-admin", organisationId: "demo" });
    const after = await LocalIdentityProvider.create(file);
    await expect(after.verify(token)).resolves.toBeDefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ["empty", ""],
    ["truncated", '{"kty":"EC","crv":"P-256","x":"abc'],
    ["wrong shape", '{"kty":"RSA","n":"x","e":"AQAB"}'],
  ])("%s: a new key is made and kept, and the line says old tokens stop verifying", async (_, content) => {
    const file = join(dir, "identity-key.json");
    writeFileSync(file, content);
    const identity = await LocalIdentityProvider.create(file);
    const token = await identity.mint({ subject: "a", role: "umbrella-admin", organisationId: "demo" });
    await expect(identity.verify(token)).resolves.toBeDefined();
    expect(reported(file)).toContain("tokens minted before no longer verify");
    expect(await identityKeyFile(file).load()).toMatchObject({ kty: "EC", crv: "P-256" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("never prints any of the key, even when the file is not JSON", async () => {
    const file = join(dir, "identity-key.json");
    writeFileSync(file, '{"d":"SECRETSECRETSECRET" oops');
    await identityKeyFile(file).load();
    expect(reported(file)).not.toContain("SECRET");
  });
});

describe("an atomic write", () => {
  it("is never seen half-written by a reader, and leaves no temporary file behind", async () => {
    const file = join(dir, "stream-checkpoints.json");
    // Large values, so that a plain truncate-then-write would be caught mid-way by the reader.
    const value = (n: number) => JSON.stringify({ n, pad: String(n).repeat(400_000) });
    await writeStateFile(file, value(0));
    let writing = true;
    const seen = new Set<number>();
    const reader = (async () => {
      while (writing) {
        const parsed = JSON.parse(await readFile(file, "utf8")) as { n: number; pad: string };
        expect(parsed.pad).toBe(String(parsed.n).repeat(400_000));
        seen.add(parsed.n);
      }
    })();
    for (let n = 1; n <= 20; n++) await writeStateFile(file, value(n));
    writing = false;
    await reader;
    expect(seen.size).toBeGreaterThan(1);
    expect(readdirSync(dir)).toEqual(["stream-checkpoints.json"]);
  });

  it("goes through a temporary file renamed over the target", async () => {
    const file = join(dir, "clock.json");
    await writeStateFile(file, "old");
    const inode = statSync(file).ino;
    await writeStateFile(file, "new");
    // A rename puts a new file in place; an in-place rewrite would keep the inode.
    expect(statSync(file).ino).not.toBe(inode);
    expect(readFileSync(file, "utf8")).toBe("new");
  });

  it("a temporary file left by a write that was killed is cleared on the next read", async () => {
    const file = join(dir, "clock.json");
    await clockFile(file).save(1000);
    writeFileSync(`${file}.2718281828`, '{"offsetMs": 99');
    expect(await clockFile(file).load()).toBe(1000);
    expect(readdirSync(dir).sort()).toEqual(["clock.json", "clock.json.bak"]);
  });
});
