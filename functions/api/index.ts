import { lambdaRuntime } from "../composition-root.ts";
import { apiEntry } from "./entry.ts";

/** Lambda entry for /api/v1 behind the HTTP API. */
export const handler = apiEntry(lambdaRuntime("api"));
