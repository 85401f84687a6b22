import { lambdaRuntime } from "../composition-root.ts";
import { eventAndJobEntry } from "../job-entry.ts";
import { createAskSeriesConfirmation, createAskStaleSeries } from "./handler.ts";

/** Lambda entry: the route's rule delivers the ask's events; the daily schedule invokes the job. */
export const handler = eventAndJobEntry(
  createAskSeriesConfirmation,
  { name: "ask-stale-series", create: createAskStaleSeries },
  lambdaRuntime("ask-series-confirmation"),
);
