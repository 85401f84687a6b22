import { openEntry } from "../api/entry.ts";
import { lambdaRuntime } from "../composition-root.ts";
import { calendarFeedsApp } from "./app.ts";

/** Lambda entry for the calendar feeds under /api/v1/feeds, which the HTTP API routes here without its authoriser. */
export const handler = openEntry(lambdaRuntime("calendar-feeds"), calendarFeedsApp);
