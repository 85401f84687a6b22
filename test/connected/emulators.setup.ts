// Global setup of the "connected" vitest project: starts DynamoDB Local (in memory), the SES
// emulator and the SMS sink once, on free ports, for the whole suite, and stops them at the
// end. Tests read the endpoints with `inject("dynamoEndpoint")` etc.

import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "#infra/local/emulators/dynamodb-local.ts";
import { stopAll } from "#infra/local/emulators/process-group.ts";
import { startSesLocal } from "#infra/local/emulators/ses-local.ts";
import { startSmsSink } from "#infra/local/emulators/sms-sink.ts";
import type { RunningService } from "#infra/local/emulators/types.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** DynamoDB Local (in memory, shared database), e.g. `http://127.0.0.1:41234`. */
    dynamoEndpoint: string;
    /** aws-ses-v2-local: SESv2 API plus `GET /store` and `POST /clear-store`. */
    sesEndpoint: string;
    /** The SMS sink: PinpointSMSVoiceV2.SendTextMessage plus `GET/DELETE /messages`. */
    smsEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // allSettled, not all: when one fails, the others must have finished starting before we
  // stop them, or one could come up after the clean-up.
  const [dynamo, ses, sms] = await Promise.allSettled([
    startDynamoDbLocal(),
    startSesLocal(),
    startSmsSink(),
  ]);
  const started: RunningService[] = [dynamo, ses, sms].flatMap((r) =>
    r.status === "fulfilled" ? [r.value] : [],
  );
  const teardown = async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
    await stopAll();
  };
  if (dynamo.status === "rejected" || ses.status === "rejected" || sms.status === "rejected") {
    await teardown();
    const errors = [dynamo, ses, sms].flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, "Could not start the local emulators");
  }
  project.provide("dynamoEndpoint", dynamo.value.endpoint);
  project.provide("sesEndpoint", ses.value.endpoint);
  project.provide("smsEndpoint", sms.value.endpoint);
  return teardown;
}
