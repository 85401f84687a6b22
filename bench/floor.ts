// The floor: what sending N reminders costs at the least, done directly with the SDK against
// the same emulators. Each pair is one conditional PutItem on a fresh key (the claim) and one
// SESv2 SendEmail of a comparable message; pairs run `concurrency` at a time.

import { SendEmailCommand, type SendEmailCommandInput, type SESv2Client } from "@aws-sdk/client-sesv2";
import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import pMap from "p-map";
import { performance } from "node:perf_hooks";
import { itemKind, keys } from "#adapters/aws/dynamodb/keys.ts";
import { sendEmailInput } from "#adapters/aws/ses-mailer.ts";
import { sessionEmail } from "#messages/sessions/session-notice.ts";
import type { Member } from "#domain/member.ts";
import type { Settings } from "#ports/ports.ts";
import type { Interval } from "./probes.ts";
import type { Seeded } from "./seed.ts";

/** The SendEmail request of one message, as the pipeline's mailer builds it. */
export type FloorMessage = SendEmailCommandInput;

/**
 * Messages as the pipeline sends them (same renderer, sessions and members), rendered ahead
 * of time: the floor measures I/O, not rendering. Up to `sample` messages are rendered, taking
 * members from every group in turn (facilitators and duty holders included), and the floor
 * cycles through them; rendering all of them would only repeat the same work. Returns the
 * mean CPU time per message, which the pipeline spends on each reminder on top of the floor.
 */
export const renderMessages = async (
  settings: Settings,
  seeded: Seeded,
  sample: number,
): Promise<{ messages: FloorMessage[]; cpuMsPerMessage: number }> => {
  const picks: [Seeded["groups"][number], Member][] = [];
  const deepest = Math.max(...seeded.groups.map((g) => g.members.length));
  for (let m = 0; m < deepest && picks.length < sample; m++) {
    for (const group of seeded.groups) {
      const member = group.members[m];
      if (member && picks.length < sample) picks.push([group, member]);
    }
  }
  const render = async ([{ group, session }, member]: (typeof picks)[number]): Promise<FloorMessage> => {
    const email = await sessionEmail(settings, "reminder", session, group.name, member);
    return sendEmailInput(email);
  };
  // Once untimed so the JIT has seen the code, then measured: CPU time, which other work on
  // the machine does not inflate the way it inflates wall time.
  for (const pick of picks.slice(0, 20)) await render(pick);
  const before = process.cpuUsage();
  const messages: FloorMessage[] = [];
  for (const pick of picks) messages.push(await render(pick));
  const used = process.cpuUsage(before);
  return { messages, cpuMsPerMessage: (used.user + used.system) / 1000 / picks.length };
};

export interface FloorClients {
  doc: DynamoDBDocumentClient;
  ses: SESv2Client;
  tableName: string;
}

/** Claim lifetime as in deliverOnce: the item is the same size as a real claim. */
const claimLifetimeSeconds = 35 * 24 * 3600;

/** Runs the pairs; each interval spans the claim's start to the send's answer. */
export const runPairs = async (
  clients: FloorClients,
  messages: readonly FloorMessage[],
  concurrency: number,
  keyPrefix: string,
): Promise<{ seconds: number; pairs: Interval[] }> => {
  const expiresAt = Math.floor(Date.now() / 1000) + claimLifetimeSeconds;
  const pairs: Interval[] = [];
  const started = performance.now();
  await pMap(
    messages,
    async (message, i) => {
      const start = performance.now();
      await clients.doc.send(
        new PutCommand({
          TableName: clients.tableName,
          Item: { ...keys.delivery("bench-floor", `${keyPrefix}#${i}`), kind: itemKind.delivery, expiresAt },
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      );
      const out = await clients.ses.send(new SendEmailCommand(message));
      if (!out.MessageId) throw new Error("the SES emulator accepted an email but returned no MessageId");
      pairs.push({ start, end: performance.now() });
    },
    { concurrency },
  );
  return { seconds: (performance.now() - started) / 1000, pairs };
};
