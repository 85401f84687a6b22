// The files the local runtime keeps in its state folder besides DynamoDB Local's database: the
// clock's offset, the stream poller's positions, the secret that signs members' links and the
// key that signs local ID tokens.
//
// Every write is atomic: a temporary file beside the target, fsynced, renamed over it
// (write-file-atomic), then the folder fsynced so the rename survives a power cut too. A reader
// sees the old file or the new one whatever moment the process dies at, never a torn one.
// Should a file still be unreadable (empty, truncated, not the expected shape: a disk fault, a
// hand edit), one line says so and what the runtime does instead, and start-up goes on.

import { randomBytes } from "node:crypto";
import { open, readdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { JWK } from "jose";
import writeFileAtomic from "write-file-atomic";
import { z } from "zod";
import type { StreamCheckpoints } from "#adapters/local/stream-poller.ts";

/** Writes `data` to `file` atomically and durably: temporary file, fsync, rename, fsync of the folder. */
export async function writeStateFile(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  await writeFileAtomic(file, typeof data === "string" ? data : Buffer.from(data), { mode: options.mode });
  const folder = await open(dirname(file), "r");
  // Best effort: some file systems cannot sync a folder; the rename is atomic regardless.
  await folder.sync().catch(() => {});
  await folder.close();
}

type Read<T> = { state: "missing" } | { state: "read"; value: T } | { state: "unreadable"; reason: string };

/** Thrown by a parser for a file whose bytes are there but not what they should be. */
class WrongShape extends Error {}

/**
 * Reads a state file through `parse`. A missing file is not an error; any other failure is
 * turned into a short reason that quotes none of the file's content (it may be a key).
 */
async function readStateFile<T>(file: string, parse: (bytes: Buffer) => T): Promise<Read<T>> {
  await removeLeftoverTemporaryFiles(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? { state: "missing" }
      : { state: "unreadable", reason: `cannot be read: ${code}` };
  }
  if (bytes.length === 0) return { state: "unreadable", reason: "empty" };
  try {
    return { state: "read", value: parse(bytes) };
  } catch (error) {
    return { state: "unreadable", reason: describe(error) };
  }
}

const describe = (error: unknown): string => {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    return `not the expected shape (${where}${issue?.message ?? "invalid"})`;
  }
  return error instanceof Error ? error.message : String(error);
};

/** Parses JSON and checks its shape; the error never quotes the text (V8's messages may). */
const json =
  <T>(schema: z.ZodType<T>) =>
  (bytes: Buffer): T => {
    const text = bytes.toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // A write cut short ends the text mid-value: V8 then stops at its very last position.
      const at = /at position (\d+)/.exec(String(error))?.[1];
      const cut = /end of JSON input/.test(String(error)) || Number(at) === text.length;
      throw new WrongShape(cut ? "truncated JSON" : "not valid JSON");
    }
    return schema.parse(value);
  };

/** One line, no stack: which file, why, and what the runtime does instead. */
const report = (file: string, reason: string, instead: string) =>
  console.warn(`Convene: cannot use state file ${file} (${reason}); ${instead}.`.replace(/\s+/g, " "));

const days = (offsetMs: number) => `${(offsetMs / 86_400_000).toFixed(2)} days ahead of real time`;

/** A write killed between creating its temporary file and the rename leaves `<name>.<number>`. */
async function removeLeftoverTemporaryFiles(file: string): Promise<void> {
  const name = basename(file);
  const leftover = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.\\d+$`);
  const entries = await readdir(dirname(file)).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => leftover.test(entry))
      .map((entry) => rm(join(dirname(file), entry), { force: true })),
  );
}

// --- the stream poller's positions ----------------------------------------------------------

const checkpointsSchema = z.record(z.string(), z.string());

/**
 * Where the stream poller stands in each shard. Unreadable: start again from each shard's
 * oldest record; the handlers are idempotent (delivery claims), so a replay sends nothing twice.
 */
export const streamCheckpointsFile = (file: string): StreamCheckpoints => ({
  load: async () => {
    const read = await readStateFile(file, json(checkpointsSchema));
    if (read.state === "read") return read.value;
    if (read.state === "unreadable") {
      report(
        file,
        read.reason,
        "the stream is read again from its oldest record (idempotent handlers make the replay safe)",
      );
      // Written back, so the next start says nothing.
      await writeStateFile(file, "{}");
    }
    return {};
  },
  save: (positions) => writeStateFile(file, JSON.stringify(positions)),
});

// --- the clock ------------------------------------------------------------------------------

const clockSchema = z.object({ offsetMs: z.number().nonnegative() });

/**
 * The local clock's offset. Starting from 0 after it had been advanced would move time back
 * (reminders and closes fire again or late), so a second copy, `<file>.bak`, is written (each
 * atomically) before the file itself: whichever one survives holds the latest offset or the
 * one before.
 */
export const clockFile = (file: string) => {
  const copy = `${file}.bak`;
  const save = async (offsetMs: number): Promise<void> => {
    const text = JSON.stringify({ offsetMs });
    await writeStateFile(copy, text);
    await writeStateFile(file, text);
  };
  /** The offset, and whether it had to be recovered. */
  const read = async (): Promise<[number, boolean]> => {
    const main = await readStateFile(file, json(clockSchema));
    if (main.state === "read") return [main.value.offsetMs, false];
    const backup = await readStateFile(copy, json(clockSchema));
    if (main.state === "missing" && backup.state === "missing") return [0, false];
    const why = main.state === "unreadable" ? main.reason : "missing";
    if (backup.state === "read") {
      report(file, why, `the clock resumes from its copy ${basename(copy)} (${days(backup.value.offsetMs)})`);
      return [backup.value.offsetMs, true];
    }
    const copyState = backup.state === "unreadable" ? `unreadable too (${backup.reason})` : "missing";
    report(
      file,
      why,
      `its copy ${basename(copy)} is ${copyState}, so the clock starts again at real time (offset 0); ` +
        "advance it again with POST /api/local/clock/advance if it had been advanced",
    );
    return [0, true];
  };
  return {
    save,
    /** The offset; a recovered one is written back, so the next start says nothing. */
    async load(): Promise<number> {
      const [offsetMs, recovered] = await read();
      if (recovered) await save(offsetMs);
      return offsetMs;
    },
  };
};

// --- the secret that signs members' links ---------------------------------------------------

const linkSecretBytes = 32;

/**
 * The link-signing secret, made on first start. Unreadable: a new one (links in messages sent
 * before no longer verify).
 */
export async function linkSecretFile(file: string | undefined): Promise<Uint8Array> {
  if (file) {
    const read = await readStateFile(file, (bytes) => {
      if (bytes.length !== linkSecretBytes)
        throw new WrongShape(`${bytes.length} bytes, not ${linkSecretBytes}`);
      return new Uint8Array(bytes);
    });
    if (read.state === "read") return read.value;
    if (read.state === "unreadable")
      report(file, read.reason, "a new secret is made: links in messages sent before no longer work");
  }
  const secret = new Uint8Array(randomBytes(linkSecretBytes));
  if (file) await writeStateFile(file, secret, { mode: 0o600 });
  return secret;
}

// --- the key that signs local ID tokens -----------------------------------------------------

const base64url = (length: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${length}}$`));
const identityKeySchema = z.looseObject({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: base64url(43),
  y: base64url(43),
  d: base64url(43),
});

/**
 * The ES256 private key (a JWK) of the local identity provider. Unreadable: `load` answers
 * undefined and says a new key is made (tokens minted before no longer verify).
 */
export const identityKeyFile = (file: string) => ({
  async load(): Promise<JWK | undefined> {
    const read = await readStateFile(file, json(identityKeySchema));
    if (read.state === "unreadable")
      report(file, read.reason, "a new signing key is made: tokens minted before no longer verify");
    return read.state === "read" ? read.value : undefined;
  },
  save: (jwk: JWK) => writeStateFile(file, JSON.stringify(jwk), { mode: 0o600 }),
});
