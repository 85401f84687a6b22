import { planningFunctionApp } from "./app.ts";
import { apiEntry } from "../api/entry.ts";
import { lambdaRuntime } from "../composition-root.ts";

/** Lambda entry for a series' operations under /api/v1, which the HTTP API routes here. */
export const handler = apiEntry(lambdaRuntime("planning-api"), planningFunctionApp);
