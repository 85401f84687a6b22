import { randomBytes, randomUUID } from "node:crypto";
import { inject } from "vitest";
import { composeLocalRuntime } from "#infra/local/composition-root.ts";
import { localDateTimeAt } from "#domain/local-time.ts";
import type { LocalRuntime } from "#infra/local/composition-root.ts";
import { setRsvpSettings } from "#use-cases/rsvp/set-rsvp-settings.ts";
import { scheduleSession } from "#use-cases/sessions/session-changes.ts";
import { recordingLog } from "./api-harness.ts";

// What the connected tests of members' RSVP choices set up alike: the local runtime on its own
// table, and sessions days ahead asking who is coming.

/** The local runtime on a table of its own, its links signed with `linkSigningSecret`. */
export const rsvpRuntime = (tableName: string, linkSigningSecret: Uint8Array = randomBytes(32)) =>
  composeLocalRuntime({
    endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
    tableName,
    settings: {
      publicBaseUrl: "http://127.0.0.1:3000",
      replyDomain: "reply.convene.test",
      fromAddress: "Convene <r@convene.test>",
      linkSigningSecret,
    },
    log: recordingLog(),
    retry: { maxAttempts: 2, baseDelayMs: 10 },
  });

/** A session `daysAhead` days ahead at 19:00 (London), asking who is coming, with `capacity` places. */
export const anAskingSession = async (
  runtime: LocalRuntime,
  ref: { organisationId: string; groupId: string },
  daysAhead: number,
  capacity: number,
) => {
  const day = new Date(runtime.clock.now().getTime() + daysAhead * 86_400_000);
  const session = await scheduleSession(runtime.ports, ref.organisationId, ref.groupId, {
    title: `Meeting ${randomUUID().slice(0, 6)}`,
    startLocal: `${localDateTimeAt(day, "Europe/London").slice(0, 10)}T19:00`,
    durationMinutes: 90,
    duties: [],
  });
  await setRsvpSettings(
    runtime.ports,
    { ...ref, sessionId: session.id },
    { asked: true, capacity, reserved: 0 },
  );
  return session;
};
