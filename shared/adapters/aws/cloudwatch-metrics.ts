import { MetricUnit, type Metrics as Powertools } from "@aws-lambda-powertools/metrics";
import type { Metrics } from "#ports/metrics.ts";

/**
 * Business figures as CloudWatch embedded metrics (EMF) through Powertools: lines on stdout
 * that CloudWatch Logs turns into metrics, with no API call in the invocation. A count without
 * dimensions is stored and published with the invocation's others (the entry's `logMetrics`
 * middleware); a count with dimensions goes out at once as a single metric, so that its
 * dimensions apply to it alone.
 */
export const cloudWatchMetrics = (powertools: Powertools): Metrics => ({
  count(metric, dimensions, value = 1) {
    const entries = Object.entries(dimensions);
    if (entries.length === 0) {
      powertools.addMetric(metric, MetricUnit.Count, value);
      return;
    }
    const single = powertools.singleMetric();
    for (const [name, dimension] of entries) single.addDimension(name, String(dimension));
    single.addMetric(metric, MetricUnit.Count, value);
  },
});
