import { smallCountThreshold } from "#read-models/small-counts.ts";
import { formatMonth } from "../ui/format.ts";

export interface TrendPoint {
  month: string;
  value: number | null;
  /** No figure shown because it would tell of fewer than 3 people (value is then null). */
  hidden?: boolean;
}

/**
 * A chart's text alternative in one sentence: the span, the latest value, the highest and
 * lowest with their months, how many months have no figure and how many are hidden as small.
 */
export const describeTrend = (points: readonly TrendPoint[], format: (value: number) => string): string => {
  const known = points.filter((p): p is { month: string; value: number } => p.value !== null);
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return "No months to show.";
  const span = `${formatMonth(first.month)} to ${formatMonth(last.month)}`;
  const hidden = points.filter((p) => p.hidden).length;
  const hiddenPart = `fewer than ${smallCountThreshold} people in ${hidden} month${hidden === 1 ? "" : "s"}, not shown`;
  if (known.length === 0) return hidden > 0 ? `${span}: ${hiddenPart}.` : `${span}: no figures yet.`;
  const highest = known.reduce((a, b) => (b.value > a.value ? b : a));
  const lowest = known.reduce((a, b) => (b.value < a.value ? b : a));
  const latest = known[known.length - 1]!;
  const missing = points.length - known.length - hidden;
  return [
    `${span}: latest ${format(latest.value)} (${formatMonth(latest.month)})`,
    `highest ${format(highest.value)} (${formatMonth(highest.month)})`,
    `lowest ${format(lowest.value)} (${formatMonth(lowest.month)})`,
    ...(missing > 0 ? [`no figure for ${missing} month${missing === 1 ? "" : "s"}`] : []),
    ...(hidden > 0 ? [hiddenPart] : []),
  ]
    .join(", ")
    .concat(".");
};
