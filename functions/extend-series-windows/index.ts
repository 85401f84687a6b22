import { lambdaRuntime } from "../composition-root.ts";
import { eventAndJobEntry } from "../job-entry.ts";
import { createExtendDueSeriesWindows, createExtendSeriesWindows } from "./handler.ts";

/** Lambda entry: the route's rule delivers series events; the daily schedule invokes the job. */
export const handler = eventAndJobEntry(
  createExtendSeriesWindows,
  { name: "extend-due-series-windows", create: createExtendDueSeriesWindows },
  lambdaRuntime("extend-series-windows"),
);
