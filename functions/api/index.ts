import { lambdaRuntime } from "../composition-root.ts";
import { apiFunctionApp } from "./app.ts";
import { apiEntry } from "./entry.ts";

/** Lambda entry for /api/v1 behind the HTTP API (but a series' operations: see functions/planning-api). */
export const handler = apiEntry(lambdaRuntime("api"), apiFunctionApp);
