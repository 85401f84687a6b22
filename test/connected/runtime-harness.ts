import { randomUUID } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, inject } from "vitest";
import type { ConveneEvent } from "#events/catalogue.ts";
import { composeLocalRuntime, type LocalRuntime } from "#infra/local/composition-root.ts";
import type { Log } from "#ports/logger.ts";

/**
 * The local runtime as `npm start` composes it, on the emulators and a table of its own for one
 * test file (created before its tests, deleted after them), and the events its outbox holds.
 */
export const useLocalRuntime = (tablePrefix: string, log: Log) => {
  const tableName = `${tablePrefix}-${randomUUID()}`;
  let runtime: LocalRuntime | undefined;

  beforeAll(async () => {
    runtime = await composeLocalRuntime({
      endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
      tableName,
      settings: {
        publicBaseUrl: "http://127.0.0.1:3000",
        replyDomain: "reply.convene.test",
        fromAddress: "Convene <r@convene.localhost>",
        linkSigningSecret: new Uint8Array(32).fill(7),
      },
      log,
    });
  });

  afterAll(async () => {
    await runtime?.dynamo.send(new DeleteTableCommand({ TableName: tableName }));
    runtime?.dynamo.destroy();
  });

  const started = (): LocalRuntime => {
    if (!runtime) throw new Error("the local runtime starts before the tests");
    return runtime;
  };

  /** The events written for an organisation, oldest first. */
  const outboxOf = async (organisationId: string): Promise<ConveneEvent[]> => {
    const out = await started().store.doc.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true }),
    );
    return (out.Items ?? [])
      .filter((item) => item.kind === "outbox" && String(item.PK).startsWith(`ORG#${organisationId}#`))
      .map((item) => JSON.parse(String(item.detail)) as ConveneEvent)
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  };

  return { runtime: started, outboxOf };
};
