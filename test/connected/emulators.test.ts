// The emulators themselves: DynamoDB Local (with streams) and the SES emulator, started and
// stopped by this file (not the suite's global setup), driven with the real AWS SDK clients.

import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  checkJava,
  parseJavaMajorVersion,
  startDynamoDbLocal,
  type DynamoDbLocalService,
} from "#infra/local/emulators/dynamodb-local.ts";
import { assertPortFree, findFreePort, PortInUseError } from "#infra/local/emulators/process-group.ts";
import {
  attachmentBytes,
  clearSesStore,
  readSesStore,
  startSesLocal,
} from "#infra/local/emulators/ses-local.ts";
import type { ChildProcessService } from "#infra/local/emulators/types.ts";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const region = "eu-west-2";

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // Linux: the state is the first field after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

async function waitUntilGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe("DynamoDB Local and the SES emulator", () => {
  let dynamo: DynamoDbLocalService;
  let ses: ChildProcessService;
  let ddb: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  let sesClient: SESv2Client;

  beforeAll(async () => {
    [dynamo, ses] = await Promise.all([startDynamoDbLocal({ dataDir: undefined }), startSesLocal()]);
    console.info(
      `DynamoDB Local ${dynamo.release} ready in ${dynamo.startupMs} ms on ${dynamo.endpoint}; ` +
        `SES emulator ready in ${ses.startupMs} ms on ${ses.endpoint}`,
    );
    ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region, credentials });
    streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region, credentials });
    sesClient = new SESv2Client({ endpoint: ses.endpoint, region, credentials });
  });

  afterAll(async () => {
    ddb?.destroy();
    streams?.destroy();
    sesClient?.destroy();
    await Promise.allSettled([dynamo?.stop(), ses?.stop()]);
  });

  test("DynamoDB Local runs in memory and serves table operations", async () => {
    expect(dynamo.inMemory).toBe(true);
    await ddb.send(
      new CreateTableCommand({
        TableName: "plain",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
      }),
    );
    await ddb.send(
      new PutItemCommand({
        TableName: "plain",
        Item: { pk: { S: "ORG#1" }, sk: { S: "META" }, n: { N: "1" } },
      }),
    );
    const got = await ddb.send(
      new GetItemCommand({ TableName: "plain", Key: { pk: { S: "ORG#1" }, sk: { S: "META" } } }),
    );
    expect(got.Item?.n).toEqual({ N: "1" });
    // -sharedDb: another region and other credentials see the same tables.
    const other = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "other", secretAccessKey: "other" },
    });
    try {
      expect((await other.send(new ListTablesCommand({}))).TableNames).toContain("plain");
    } finally {
      other.destroy();
    }
  });

  test("DynamoDB Local streams deliver NEW_IMAGE records", async () => {
    await ddb.send(
      new CreateTableCommand({
        TableName: "streamed",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
      }),
    );
    const table = await ddb.send(new DescribeTableCommand({ TableName: "streamed" }));
    const streamArn = table.Table?.LatestStreamArn;
    expect(streamArn).toBeTruthy();

    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    expect(description.StreamDescription?.StreamStatus).toBe("ENABLED");
    expect(description.StreamDescription?.StreamViewType).toBe("NEW_IMAGE");
    const shardId = description.StreamDescription?.Shards?.[0]?.ShardId;
    expect(shardId).toBeTruthy();

    // LATEST before the write, so the latency we measure is write → readable record.
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: "LATEST" }),
      )
    ).ShardIterator;
    expect(iterator).toBeTruthy();

    const written = performance.now();
    await ddb.send(
      new PutItemCommand({ TableName: "streamed", Item: { pk: { S: "SESSION#1" }, title: { S: "Monday" } } }),
    );
    const putDone = performance.now();

    const records: StreamRecord[] = [];
    let polls = 0;
    while (records.length === 0 && iterator && performance.now() - written < 10_000) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      polls += 1;
      records.push(...(page.Records ?? []));
      iterator = page.NextShardIterator;
      if (records.length === 0) await new Promise((r) => setTimeout(r, 5));
    }
    const seen = performance.now();
    console.info(
      `DynamoDB Local stream: PutItem took ${(putDone - written).toFixed(1)} ms; record readable ` +
        `${(seen - written).toFixed(1)} ms after the write started (${polls} GetRecords polls)`,
    );

    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record.eventName).toBe("INSERT");
    expect(record.dynamodb?.StreamViewType).toBe("NEW_IMAGE");
    expect(record.dynamodb?.Keys).toEqual({ pk: { S: "SESSION#1" } });
    expect(record.dynamodb?.NewImage).toEqual({ pk: { S: "SESSION#1" }, title: { S: "Monday" } });
    expect(record.dynamodb?.OldImage).toBeUndefined();
    expect(record.dynamodb?.SequenceNumber).toMatch(/^\d+$/);

    // TRIM_HORIZON replays from the start of the shard.
    const fromStart = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      )
    ).ShardIterator;
    const replay = await streams.send(new GetRecordsCommand({ ShardIterator: fromStart }));
    expect(replay.Records?.map((r) => r.dynamodb?.SequenceNumber)).toContain(record.dynamodb?.SequenceNumber);
  });

  test("the SES emulator captures a raw MIME email with an ICS attachment", async () => {
    await clearSesStore(ses.endpoint);
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Convene//Test//EN",
      "METHOD:REQUEST",
      "BEGIN:VEVENT",
      "UID:session-1@convene.test",
      "DTSTAMP:20250101T090000Z",
      "DTSTART:20250106T180000Z",
      "SUMMARY:Monday group",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const mime = [
      'From: "Convene" <noreply@convene.test>',
      'To: "Ann Example" <ann@example.org>, bob@example.org',
      "Reply-To: reply+abc@convene.test",
      "Subject: =?UTF-8?Q?Monday_group_=E2=80=94_invitation?=",
      "Message-ID: <session-1.ann@convene.test>",
      "X-Convene-Kind: invitation",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="outer"',
      "",
      "--outer",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "You are invited.",
      "--outer",
      'Content-Type: text/calendar; charset=utf-8; method=REQUEST; name="invite.ics"',
      'Content-Disposition: attachment; filename="invite.ics"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(ics).toString("base64"),
      "--outer--",
      "",
    ].join("\r\n");

    const sent = await sesClient.send(
      new SendEmailCommand({
        ConfigurationSetName: "convene",
        // Ignored by the emulator for Raw content: only the MIME headers count.
        Destination: { BccAddresses: ["audit@example.org"] },
        Content: { Raw: { Data: Buffer.from(mime) } },
      }),
    );
    expect(sent.MessageId).toMatch(/^ses-\d{9}$/);

    const emails = await readSesStore(ses.endpoint);
    expect(emails).toHaveLength(1);
    const email = emails[0]!;
    console.info(
      `SES store entry for a raw email: ${JSON.stringify({ ...email, attachments: email.attachments.map((a) => ({ ...a, content: `<${a.content.length} base64 chars>` })) })}`,
    );
    expect(email.messageId).toBe(sent.MessageId);
    expect(email.from).toBe('"Convene" <noreply@convene.test>');
    expect(email.destination).toEqual({
      to: ['"Ann Example" <ann@example.org>, bob@example.org'],
      cc: [],
      bcc: [],
    });
    expect(email.replyTo).toEqual(["reply+abc@convene.test"]);
    expect(email.subject).toBe("Monday group — invitation");
    expect(email.body.text).toBe("You are invited.");
    expect(email.body.html).toBeUndefined();
    expect(email.headers).toBeUndefined();
    expect(Math.abs(email.at - Date.now() / 1000)).toBeLessThan(60);

    expect(email.attachments).toHaveLength(1);
    const invite = email.attachments[0]!;
    expect(invite).toMatchObject({
      type: "attachment",
      contentType: "text/calendar",
      filename: "invite.ics",
      contentDisposition: "attachment",
      size: Buffer.byteLength(ics),
    });
    expect(attachmentBytes(invite).toString("utf8")).toBe(ics);

    expect(await readSesStore(ses.endpoint, Math.floor(Date.now() / 1000) + 3600)).toEqual([]);
    await clearSesStore(ses.endpoint);
    expect(await readSesStore(ses.endpoint)).toEqual([]);
  });

  test("stop() ends both processes and frees their ports", async () => {
    expect(isRunning(dynamo.pid)).toBe(true);
    expect(isRunning(ses.pid)).toBe(true);
    await Promise.all([dynamo.stop(), ses.stop()]);
    expect(await waitUntilGone(dynamo.pid)).toBe(true);
    expect(await waitUntilGone(ses.pid)).toBe(true);
    await expect(assertPortFree(dynamo.port)).resolves.toBeUndefined();
    await expect(assertPortFree(ses.port)).resolves.toBeUndefined();
    // Idempotent.
    await dynamo.stop();
    await ses.stop();
  });
});

describe("startup failures are clear", () => {
  test("a missing java says what to install", async () => {
    await expect(checkJava("/nonexistent/bin/java")).rejects.toThrow(
      /was not found.*Java 17\+ runtime.*openjdk-17-jre-headless/s,
    );
    await expect(startDynamoDbLocal({ java: "/nonexistent/bin/java" })).rejects.toThrow(/Java 17\+/);
  });

  test("a java that dies during startup is reported with its exit code and last stderr lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "convene-fake-java-"));
    const fakeJava = join(dir, "java");
    writeFileSync(
      fakeJava,
      [
        "#!/bin/sh",
        'case " $* " in *" -version "*) echo \'openjdk version "17.0.1" 2021-10-19\' >&2; exit 0;; esac',
        "echo 'Initializing DynamoDB Local with the following configuration:'",
        "echo 'Exception in thread \"main\" java.io.IOException: Failed to bind to 0.0.0.0/0.0.0.0:8000' >&2",
        ...Array.from({ length: 25 }, (_, i) => `printf '\\tat org.example.Frame${i}(Frame.java:1)\\n' >&2`),
        "echo 'Caused by: java.net.BindException: Address already in use' >&2",
        "printf '\\t... 16 more\\n' >&2",
        "exit 1",
      ].join("\n"),
    );
    chmodSync(fakeJava, 0o755);
    try {
      const failure = startDynamoDbLocal({ java: fakeJava });
      await expect(failure).rejects.toThrow(/exited during startup \(exit code 1\)/);
      await expect(failure).rejects.toThrow(
        /stderr\| Exception in thread "main" java.io.IOException: Failed to bind/,
      );
      await expect(failure).rejects.toThrow(
        /stderr\| Caused by: java.net.BindException: Address already in use/,
      );
      await expect(failure).rejects.not.toThrow(/Frame\d/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("java -version output is parsed for both version schemes", () => {
    expect(parseJavaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajorVersion("no version here")).toBeUndefined();
  });

  describe("a port someone else listens on", () => {
    let squatter: Server;
    let port: number;
    beforeAll(async () => {
      port = await findFreePort();
      squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(port, "127.0.0.1", resolve));
    });
    afterAll(async () => {
      await new Promise((resolve) => squatter.close(resolve));
    });

    test("is refused, never attached to", async () => {
      await expect(assertPortFree(port)).rejects.toBeInstanceOf(PortInUseError);
      await expect(assertPortFree(port)).rejects.toThrow(/will not attach to a process it did not start/);
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(`Port ${port} is already in use`);
      await expect(startSesLocal({ port })).rejects.toThrow(`Port ${port} is already in use`);
    });
  });
});

describe("a parent process that goes away takes its children with it", () => {
  // A separate `node` process that starts a supervised child (a `node` that idles forever)
  // and prints the child's pid; `signal` is how that parent ended.
  async function parentWithChild(): Promise<{
    parent: ChildProcess;
    childPid: number;
    ended: Promise<string>;
  }> {
    const processGroup = fileURLToPath(
      new URL("../../infra/local/emulators/process-group.ts", import.meta.url),
    );
    const script = [
      `import { spawnSupervised } from ${JSON.stringify(processGroup)};`,
      `const p = await spawnSupervised("sleeper", process.execPath, ["-e", "setInterval(() => {}, 1000)"]);`,
      `console.log(p.pid);`,
      `setInterval(() => {}, 1000);`,
    ].join("\n");
    const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const ended = new Promise<string>((resolve) =>
      parent.once("exit", (code, signal) => resolve(signal ?? `exit code ${code}`)),
    );
    const childPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      void ended.then((how) => reject(new Error(`The parent process ended early (${how})`)));
    });
    expect(isRunning(childPid)).toBe(true);
    return { parent, childPid, ended };
  }

  test.each(["SIGTERM", "SIGINT"] as const)(
    "on %s the supervisor stops the child, then the parent dies of that signal",
    async (signal) => {
      const { parent, childPid, ended } = await parentWithChild();
      parent.kill(signal);
      expect(await ended).toBe(signal);
      expect(await waitUntilGone(childPid, 10_000)).toBe(true);
    },
  );

  test("on SIGKILL (no clean-up possible) the watchdog stops the child", async () => {
    const { parent, childPid, ended } = await parentWithChild();
    parent.kill("SIGKILL");
    expect(await ended).toBe("SIGKILL");
    expect(await waitUntilGone(childPid, 10_000)).toBe(true);
  });
});
