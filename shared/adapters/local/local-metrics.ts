import type { BusinessMetric, Metrics } from "#ports/metrics.ts";

/** One counter: a metric under one set of dimensions. */
export interface MetricCount {
  metric: BusinessMetric;
  dimensions: Record<string, string>;
  value: number;
}

export interface LocalMetrics extends Metrics {
  /** Every counter since the platform started, in a stable order. */
  snapshot(): MetricCount[];
}

/**
 * CloudWatch's stand-in: counters in memory, read at GET /api/local/metrics. They start at
 * zero with each run of the platform, as a dashboard's figures would over a new period.
 */
export const localMetrics = (): LocalMetrics => {
  const counters = new Map<string, MetricCount>();
  return {
    count(metric, dimensions, value = 1) {
      const named = Object.fromEntries(
        Object.entries(dimensions)
          .map(([name, dimension]) => [name, String(dimension)] as const)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
      const key = JSON.stringify([metric, named]);
      const counter = counters.get(key) ?? { metric, dimensions: named, value: 0 };
      counter.value += value;
      counters.set(key, counter);
    },
    snapshot: () =>
      [...counters.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, counter]) => ({ ...counter, dimensions: { ...counter.dimensions } })),
  };
};
